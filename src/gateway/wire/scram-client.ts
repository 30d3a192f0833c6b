// The client side of SCRAM-SHA-256, for jitgate's own login to an upstream database: the
// client-first message, the client-final message with its proof, and the check of the
// server's signature (an upstream that cannot prove it knows the verifier is not trusted).
import { timingSafeEqual } from 'node:crypto'
import {
  clientKeyOf,
  hmacSha256,
  SCRAM_NONCE,
  saltedPassword,
  scramAttributes,
  sha256,
  xorBuffers,
} from './scram.ts'
import type { ScramStep } from './scram-server.ts'

const GS2_HEADER = 'n,,'

/** The client-first message; PostgreSQL takes the user from the startup packet, so it may be empty. */
export function scramClientFirst(
  clientNonce: string,
  user = '',
): { readonly message: string; readonly bare: string } {
  const bare = `n=${user},r=${clientNonce}`
  return { message: `${GS2_HEADER}${bare}`, bare }
}

export function scramClientFinal(
  password: string,
  clientNonce: string,
  clientFirstBare: string,
  serverFirst: string,
): ScramStep<{ readonly message: string; readonly serverSignature: Buffer }> {
  const attributes = scramAttributes(serverFirst)
  const nonce = attributes?.get('r')
  const salt = attributes?.get('s')
  const iterations = Number(attributes?.get('i'))
  if (nonce === undefined || salt === undefined || !Number.isInteger(iterations) || iterations < 1)
    return { ok: false, error: 'the server-first message is malformed' }
  if (!nonce.startsWith(clientNonce) || nonce.length === clientNonce.length || !SCRAM_NONCE.test(nonce))
    return { ok: false, error: 'the server nonce does not extend the client nonce' }
  const salted = saltedPassword(password, Buffer.from(salt, 'base64'), iterations)
  const clientKey = clientKeyOf(salted)
  const withoutProof = `c=${Buffer.from(GS2_HEADER).toString('base64')},r=${nonce}`
  const authMessage = `${clientFirstBare},${serverFirst},${withoutProof}`
  const proof = xorBuffers(clientKey, hmacSha256(sha256(clientKey), authMessage))
  return {
    ok: true,
    message: `${withoutProof},p=${proof.toString('base64')}`,
    serverSignature: hmacSha256(hmacSha256(salted, 'Server Key'), authMessage),
  }
}

/** True when the server-final message carries the expected server signature. */
export function scramServerVerified(serverFinal: string, expected: Buffer): boolean {
  const signature = scramAttributes(serverFinal)?.get('v')
  if (signature === undefined) return false
  const actual = Buffer.from(signature, 'base64')
  return actual.length === expected.length && timingSafeEqual(actual, expected)
}
