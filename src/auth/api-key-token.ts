// The API key token: `jg_<key id>_<secret>`, its parsing, and the hash the store keeps.
//
// The key id (16 hex characters) is public: it finds the row and names the key in logs and
// audit. The secret is 32 random bytes (43 base64url characters) and is shown once. The
// `jg_` prefix lets secret scanners recognize a leaked key.
//
// At rest: SHA-256 of the whole token, not a slow password hash nor an HMAC with a server
// pepper. 256 random bits cannot be guessed from a leaked hash, so a slow hash buys nothing
// but CPU per request, and a pepper would be one more secret to configure, share across
// nodes and rotate, whose loss locks out every key. Hashing the whole token binds the hash
// to its key id: a hash copied to another row does not authenticate that row's key id.
import { createHash, timingSafeEqual } from 'node:crypto'

export const API_KEY_PREFIX = 'jg_'
export const KEY_ID_BYTES = 8
export const SECRET_BYTES = 32

const TOKEN = /^jg_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/
const HASH = /^[0-9a-f]{64}$/
// What an unknown key id is compared against, so that unknown and wrong keys cost the same.
const DUMMY_HASH = Buffer.alloc(32)

export interface ParsedApiKey {
  readonly keyId: string
  readonly secret: string
}

export interface NewApiKeyToken extends ParsedApiKey {
  /** What the holder presents; shown once, never stored. */
  readonly token: string
}

/** True when `token` claims to be an API key (it may still be malformed). */
export function looksLikeApiKey(token: string): boolean {
  return token.startsWith(API_KEY_PREFIX)
}

/** The key id and secret of a well-formed token; undefined for anything else. */
export function parseApiKey(token: string): ParsedApiKey | undefined {
  const match = TOKEN.exec(token)
  if (match === null) return undefined
  const [, keyId, secret] = match
  return keyId === undefined || secret === undefined ? undefined : { keyId, secret }
}

export function formatApiKey(keyId: string, secret: string): string {
  return `${API_KEY_PREFIX}${keyId}_${secret}`
}

/** A new key from `randomBytes` (crypto.randomBytes in production; a seeded source in tests). */
export function newApiKeyToken(randomBytes: (size: number) => Uint8Array): NewApiKeyToken {
  const keyId = Buffer.from(randomBytes(KEY_ID_BYTES)).toString('hex')
  const secret = Buffer.from(randomBytes(SECRET_BYTES)).toString('base64url')
  const token = formatApiKey(keyId, secret)
  if (parseApiKey(token) === undefined) throw new Error('the random source returned too few bytes')
  return { keyId, secret, token }
}

/** SHA-256 (hex) of the token: what the store keeps instead of the secret. */
export function hashApiKey(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex')
}

/**
 * True when `token` hashes to `storedHash`, compared in constant time. `storedHash`
 * undefined (no such key id) runs the same comparison against a dummy and returns false.
 */
export function matchesApiKeyHash(token: string, storedHash: string | undefined): boolean {
  const actual = createHash('sha256').update(token, 'utf8').digest()
  const known = storedHash !== undefined && HASH.test(storedHash)
  const expected = known ? Buffer.from(storedHash, 'hex') : DUMMY_HASH
  return timingSafeEqual(actual, expected) && known
}
