// The server side of a SCRAM-SHA-256 exchange as two pure steps: the client's first message
// gets the server-first message (nonce, salt, iterations), the client's final message is
// checked against the candidate verifiers. Nonces come in; nothing here touches I/O.
// Channel binding is not offered (SCRAM-SHA-256, not -PLUS): a client asking for it is refused.
import { timingSafeEqual } from 'node:crypto'
import { hmacSha256, SCRAM_NONCE, type ScramVerifier, scramAttributes, sha256, xorBuffers } from './scram.ts'

export interface ScramServerState {
  readonly gs2Header: string
  readonly clientFirstBare: string
  readonly serverFirst: string
  readonly nonce: string
  readonly salt: Buffer
  readonly iterations: number
}

export type ScramStep<T> = ({ readonly ok: true } & T) | { readonly ok: false; readonly error: string }

/** Reads the client-first message and answers with the server-first message. */
export function scramServerFirst(
  clientFirst: string,
  params: { readonly salt: Buffer; readonly iterations: number },
  serverNonce: string,
): ScramStep<{ readonly serverFirst: string; readonly state: ScramServerState }> {
  const first = clientFirst.indexOf(',')
  const second = clientFirst.indexOf(',', first + 1)
  if (first < 0 || second < 0) return { ok: false, error: 'the client-first message has no GS2 header' }
  const flag = clientFirst.slice(0, first)
  if (flag.startsWith('p=')) return { ok: false, error: 'channel binding is not offered by jitgate' }
  if (flag !== 'n' && flag !== 'y') return { ok: false, error: 'the GS2 channel binding flag is malformed' }
  if (second !== first + 1) return { ok: false, error: 'an authorization identity is not supported' }
  const gs2Header = clientFirst.slice(0, second + 1)
  const clientFirstBare = clientFirst.slice(second + 1)
  const attributes = scramAttributes(clientFirstBare)
  if (attributes === undefined) return { ok: false, error: 'the client-first message is malformed' }
  if (attributes.has('m')) return { ok: false, error: 'SCRAM extensions are not supported' }
  const clientNonce = attributes.get('r')
  if (!attributes.has('n') || clientNonce === undefined || !SCRAM_NONCE.test(clientNonce))
    return { ok: false, error: 'the client-first message lacks a user name or a valid nonce' }
  const nonce = clientNonce + serverNonce
  const serverFirst = `r=${nonce},s=${params.salt.toString('base64')},i=${params.iterations}`
  return {
    ok: true,
    serverFirst,
    state: {
      gs2Header,
      clientFirstBare,
      serverFirst,
      nonce,
      salt: params.salt,
      iterations: params.iterations,
    },
  }
}

/**
 * Checks the client's proof against each candidate (the verifiers sharing the state's salt
 * and iterations) and answers with the server signature of the one that matches.
 */
export function scramServerFinal(
  state: ScramServerState,
  clientFinal: string,
  candidates: readonly ScramVerifier[],
): ScramStep<{ readonly index: number; readonly serverFinal: string }> {
  const proofAt = clientFinal.lastIndexOf(',p=')
  if (proofAt < 0) return { ok: false, error: 'the client-final message has no proof' }
  const withoutProof = clientFinal.slice(0, proofAt)
  const attributes = scramAttributes(withoutProof)
  const proofText = clientFinal.slice(proofAt + 3)
  if (attributes === undefined || !/^[A-Za-z0-9+/]{43}=$/.test(proofText))
    return { ok: false, error: 'the client-final message is malformed' }
  if (attributes.get('c') !== Buffer.from(state.gs2Header, 'utf8').toString('base64'))
    return { ok: false, error: 'the channel binding does not match the GS2 header' }
  if (attributes.get('r') !== state.nonce) return { ok: false, error: 'the nonce does not match' }
  const proof = Buffer.from(proofText, 'base64')
  const authMessage = `${state.clientFirstBare},${state.serverFirst},${withoutProof}`
  let found = -1
  // Every candidate is checked, so the time taken does not tell which one matched.
  candidates.forEach((verifier, index) => {
    if (verifier.iterations !== state.iterations || !verifier.salt.equals(state.salt)) return
    const clientKey = xorBuffers(proof, hmacSha256(verifier.storedKey, authMessage))
    if (timingSafeEqual(sha256(clientKey), verifier.storedKey) && found < 0) found = index
  })
  const matched = candidates[found]
  if (matched === undefined) return { ok: false, error: 'proof' }
  const signature = hmacSha256(matched.serverKey, authMessage).toString('base64')
  return { ok: true, index: found, serverFinal: `v=${signature}` }
}
