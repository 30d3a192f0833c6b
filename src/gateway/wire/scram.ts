// SCRAM-SHA-256 (RFC 5802, RFC 7677): the key derivations both sides share, the verifier
// kept at rest (PostgreSQL's own text form, `SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:
// <ServerKey>`), and the verifier of an API key. A verifier cannot be turned back into the
// token, and it cannot log in by itself: a client proof needs ClientKey, which is not kept.
import { createHash, createHmac, pbkdf2Sync } from 'node:crypto'

export interface ScramVerifier {
  readonly iterations: number
  readonly salt: Buffer
  readonly storedKey: Buffer
  readonly serverKey: Buffer
}

/** PostgreSQL's default, and RFC 7677's minimum recommendation. */
export const SCRAM_ITERATIONS = 4096

export function hmacSha256(key: Buffer, text: string): Buffer {
  return createHmac('sha256', key).update(text, 'utf8').digest()
}

export function sha256(data: Buffer): Buffer {
  return createHash('sha256').update(data).digest()
}

export function xorBuffers(a: Buffer, b: Buffer): Buffer {
  const out = Buffer.allocUnsafe(a.length)
  for (let i = 0; i < a.length; i++) out[i] = (a[i] ?? 0) ^ (b[i] ?? 0)
  return out
}

/**
 * SaltedPassword = PBKDF2-HMAC-SHA-256(password, salt, iterations). The password is used
 * as UTF-8 without SASLprep: API keys are printable ASCII, which SASLprep leaves unchanged.
 */
export function saltedPassword(password: string, salt: Buffer, iterations: number): Buffer {
  return pbkdf2Sync(Buffer.from(password, 'utf8'), salt, iterations, 32, 'sha256')
}

export function clientKeyOf(salted: Buffer): Buffer {
  return hmacSha256(salted, 'Client Key')
}

export function scramVerifier(password: string, salt: Buffer, iterations = SCRAM_ITERATIONS): ScramVerifier {
  const salted = saltedPassword(password, salt, iterations)
  return {
    iterations,
    salt,
    storedKey: sha256(clientKeyOf(salted)),
    serverKey: hmacSha256(salted, 'Server Key'),
  }
}

export function formatScramVerifier(verifier: ScramVerifier): string {
  const b64 = (data: Buffer) => data.toString('base64')
  return `SCRAM-SHA-256$${verifier.iterations}:${b64(verifier.salt)}$${b64(verifier.storedKey)}:${b64(verifier.serverKey)}`
}

const VERIFIER =
  /^SCRAM-SHA-256\$([1-9][0-9]{0,8}):([A-Za-z0-9+/]+={0,2})\$([A-Za-z0-9+/]{43}=):([A-Za-z0-9+/]{43}=)$/

/** The verifier in `text`, or undefined when it is not one (a stored value is never trusted). */
export function parseScramVerifier(text: string): ScramVerifier | undefined {
  const match = VERIFIER.exec(text)
  if (match === null) return undefined
  const [, iterations, salt, storedKey, serverKey] = match
  if (iterations === undefined || salt === undefined || storedKey === undefined || serverKey === undefined)
    return undefined
  return {
    iterations: Number(iterations),
    salt: Buffer.from(salt, 'base64'),
    storedKey: Buffer.from(storedKey, 'base64'),
    serverKey: Buffer.from(serverKey, 'base64'),
  }
}

/**
 * The salt of every SCRAM verifier of `subject`'s API keys. The server names one salt before
 * it knows which key the client holds (the user name is all it has), so a subject's keys
 * share theirs. A salt is public and guards against precomputation over guessable passwords;
 * an API key carries 256 random bits, which leaves nothing to precompute. Derived, not
 * stored, so an unknown user gets a stable salt too and cannot be told from a known one.
 */
export function subjectScramSalt(subject: string): Buffer {
  return createHash('sha256')
    .update('jitgate scram salt\0', 'utf8')
    .update(subject, 'utf8')
    .digest()
    .subarray(0, 16)
}

/** The verifier to keep with an API key at its creation: the token is needed once, here. */
export function apiKeyScramVerifier(token: string, subject: string): string {
  return formatScramVerifier(scramVerifier(token, subjectScramSalt(subject)))
}

/** `a=1,b=2` into a map; undefined when an attribute is not `letter=value` or repeats. */
export function scramAttributes(text: string): Map<string, string> | undefined {
  const attributes = new Map<string, string>()
  for (const part of text.split(',')) {
    if (part.length < 2 || part[1] !== '=') return undefined
    const name = part[0] ?? ''
    if (!/^[a-zA-Z]$/.test(name) || attributes.has(name)) return undefined
    attributes.set(name, part.slice(2))
  }
  return attributes
}

// RFC 5802: printable ASCII but ','.
export const SCRAM_NONCE = /^[\x21-\x2b\x2d-\x7e]+$/
