// The API key token: its format, parsing with adversarial input, hashing and the
// constant-time comparison.
import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { describe, it } from 'node:test'
import {
  formatApiKey,
  hashApiKey,
  matchesApiKeyHash,
  newApiKeyToken,
  parseApiKey,
} from '../../src/auth/index.ts'

const SECRET = `${'A'.repeat(42)}w`
const KEY_ID = '0123456789abcdef'
const TOKEN = `jg_${KEY_ID}_${SECRET}`

describe('API key token', () => {
  it('makes jg_<16 hex>_<43 base64url> tokens from 8 + 32 random bytes', () => {
    const sizes: number[] = []
    const made = newApiKeyToken((size) => {
      sizes.push(size)
      return new Uint8Array(size).fill(255)
    })
    assert.deepEqual(sizes, [8, 32])
    assert.equal(made.keyId, 'ffffffffffffffff')
    // 256 bits in 43 characters: the last one carries 4 bits and 2 zero bits.
    assert.equal(made.secret, `${'_'.repeat(42)}8`)
    assert.equal(made.token, `jg_ffffffffffffffff_${'_'.repeat(42)}8`)
    assert.deepEqual(parseApiKey(made.token), { keyId: made.keyId, secret: made.secret })
  })

  it('refuses a random source that returns too few bytes', () => {
    assert.throws(() => newApiKeyToken(() => new Uint8Array(4)), /too few bytes/)
  })

  it('parses a well-formed token, secrets starting with _ or - included', () => {
    assert.deepEqual(parseApiKey(TOKEN), { keyId: KEY_ID, secret: SECRET })
    const dashed = `-_${'a'.repeat(41)}`
    assert.deepEqual(parseApiKey(formatApiKey(KEY_ID, dashed)), { keyId: KEY_ID, secret: dashed })
  })

  const malformed: [string, string][] = [
    ['empty', ''],
    ['the prefix alone', 'jg_'],
    ['no secret', `jg_${KEY_ID}_`],
    ['a short secret', `jg_${KEY_ID}_${SECRET.slice(1)}`],
    ['a long secret', `jg_${KEY_ID}_${SECRET}A`],
    ['an upper-case key id', `jg_${KEY_ID.toUpperCase()}_${SECRET}`],
    ['a short key id', `jg_${KEY_ID.slice(1)}_${SECRET}`],
    ['another prefix', `JG_${KEY_ID}_${SECRET}`],
    ['padding', `jg_${KEY_ID}_${SECRET.slice(1)}=`],
    ['a trailing newline', `${TOKEN}\n`],
    ['a leading space', ` ${TOKEN}`],
    ['standard base64', `jg_${KEY_ID}_${'+'.repeat(43)}`],
    ['a full-width digit', `jg_０123456789abcdef_${SECRET}`],
  ]
  for (const [name, token] of malformed) {
    it(`refuses ${name}`, () => assert.equal(parseApiKey(token), undefined))
  }

  it('hashes the whole token with SHA-256', () => {
    assert.equal(hashApiKey(TOKEN), createHash('sha256').update(TOKEN).digest('hex'))
    assert.notEqual(hashApiKey(TOKEN), hashApiKey(formatApiKey('fedcba9876543210', SECRET)))
  })

  it('matches only the token the hash was made from', () => {
    const stored = hashApiKey(TOKEN)
    assert.equal(matchesApiKeyHash(TOKEN, stored), true)
    assert.equal(matchesApiKeyHash(`jg_${KEY_ID}_${'B'.repeat(43)}`, stored), false)
    // Unknown key id: the same comparison runs against a dummy hash, and fails.
    assert.equal(matchesApiKeyHash(TOKEN, undefined), false)
    // A stored value that is not a hex SHA-256 never matches, whatever its length.
    assert.equal(matchesApiKeyHash(TOKEN, ''), false)
    assert.equal(matchesApiKeyHash(TOKEN, stored.toUpperCase()), false)
    assert.equal(matchesApiKeyHash(TOKEN, stored.slice(2)), false)
    assert.equal(matchesApiKeyHash(TOKEN, '0'.repeat(64)), false)
  })
})
