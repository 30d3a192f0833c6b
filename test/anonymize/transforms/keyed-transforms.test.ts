// Pseudonyms and tokens: deterministic per purpose, different across purposes and
// keys, tokens reversible only under a detokenize grant and across key rotation.
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import {
  AnonymizeError,
  type DetokenizeAccess,
  detokenize,
  MasterKey,
  pseudonymizer,
  tokenizer,
} from '../../../src/anonymize/transforms/index.ts'
import { ACCESS, NOW, rotate, testKeys } from './fixtures.ts'

const value = fc.oneof(fc.string({ unit: 'grapheme', maxLength: 60 }), fc.integer(), fc.emailAddress())

describe('pseudonym', () => {
  const keys = testKeys()
  const analytics = pseudonymizer(keys.hmac('pseudonym', 'analytics'))
  const billing = pseudonymizer(keys.hmac('pseudonym', 'billing'))

  it('is ps_ and 16 base32 characters, the same for the same value and purpose', () => {
    fc.assert(
      fc.property(value, (v) => {
        const p = analytics(v)
        assert.match(p, /^ps_[a-z2-7]{16}$/)
        assert.equal(pseudonymizer(keys.hmac('pseudonym', 'analytics'))(v), p)
        assert.notEqual(billing(v), p)
      }),
    )
  })

  it('differs for distinct values and under another master key', () => {
    const seen = new Set(Array.from({ length: 5000 }, (_, i) => analytics(`customer-${i}`)))
    assert.equal(seen.size, 5000)
    assert.notEqual(pseudonymizer(testKeys().hmac('pseudonym', 'analytics'))('alice'), analytics('alice'))
  })

  it('gives 42 and "42" the same pseudonym, so integer and text keys join', () => {
    assert.equal(analytics(42), analytics('42'))
    assert.equal(analytics(42n), analytics('42'))
  })

  it('refuses values that are not text, numbers or dates', () => {
    for (const bad of [{}, [], true, Number.NaN, Symbol('x')])
      assert.throws(() => analytics(bad), { code: 'transform_input_invalid' })
  })
})

describe('token', () => {
  it('round-trips any text under a grant, and repeats for the same value', () => {
    const keys = testKeys('k1')
    const tokenize = tokenizer(keys, 'support')
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 80 }), (v) => {
        const token = tokenize(v)
        assert.match(token, /^tok_k1_[A-Za-z0-9_-]{22,}$/)
        assert.equal(tokenize(v), token)
        assert.equal(detokenize(keys, 'support', token, ACCESS), v)
      }),
    )
    assert.equal(detokenize(keys, 'support', tokenize(1234), ACCESS), '1234')
  })

  it('opens tokens of older keys after rotation, and new tokens carry the new key id', () => {
    let keys = testKeys('k1')
    const made: [string, string][] = []
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 20 }), { minLength: 1, maxLength: 5 }), (values) => {
        for (const v of values) made.push([v, tokenizer(keys, 'export')(v)])
        keys = rotate(keys, new MasterKey(`k${keys.keyring.keys.size + 1}`, randomBytes(32)))
        for (const [v, token] of made) assert.equal(detokenize(keys, 'export', token, ACCESS), v)
      }),
      { numRuns: 20 },
    )
    assert.ok(tokenizer(keys, 'export')('x').startsWith(`tok_${keys.currentId}_`))
  })

  it("does not open another purpose's or keyring's token, nor an altered one", () => {
    const keys = testKeys('k1')
    const token = tokenizer(keys, 'support')('alice@example.com')
    const cases: [string, () => string, string][] = [
      ['another purpose', () => detokenize(keys, 'export', token, ACCESS), 'token_invalid'],
      [
        'another keyring with the same key id',
        () => detokenize(testKeys('k1'), 'support', token, ACCESS),
        'token_invalid',
      ],
      [
        'an unknown key id',
        () => detokenize(keys, 'support', token.replace('tok_k1_', 'tok_k9_'), ACCESS),
        'anonymize_key_unknown',
      ],
      [
        'a changed character',
        () =>
          detokenize(keys, 'support', `${token.slice(0, -2)}${token.endsWith('AA') ? 'BB' : 'AA'}`, ACCESS),
        'token_invalid',
      ],
      ['a cut token', () => detokenize(keys, 'support', token.slice(0, 20), ACCESS), 'token_invalid'],
      ['a pseudonym', () => detokenize(keys, 'support', 'ps_abcdefghijklmnop', ACCESS), 'token_invalid'],
    ]
    for (const [name, fn, code] of cases) assert.throws(fn, { code }, name)
  })

  it('refuses to detokenize without a grant that covers it now', () => {
    const keys = testKeys('k1')
    const token = tokenizer(keys, 'support')('alice@example.com')
    const grant = ACCESS.grant
    const cases: [string, DetokenizeAccess | undefined, string][] = [
      ['no access at all', undefined, 'grant'],
      ['a grant for another verb', { ...ACCESS, grant: { ...grant, verb: 'data.read' } }, 'grant.verb'],
      ['an expired grant', { ...ACCESS, now: new Date('2026-03-15T13:00:00Z') }, 'grant.expiresAt'],
      [
        'a grant without expiry',
        { ...ACCESS, grant: { id: 'g', verb: grant.verb, resource: grant.resource } },
        'grant.expiresAt',
      ],
      ['an invalid time', { ...ACCESS, now: new Date('nope') }, 'now'],
      ['another resource', { ...ACCESS, resource: 'pg://staging/customers' }, 'grant.resource'],
      [
        'a glob it does not trust',
        { ...ACCESS, grant: { ...grant, resource: 'pg://*/customers' } },
        'grant.resource',
      ],
      [
        'a field the grant does not list',
        { ...ACCESS, grant: { ...grant, fields: ['email'] }, field: 'ssn' },
        'grant.fields',
      ],
      [
        'no field for a grant that lists fields',
        { ...ACCESS, grant: { ...grant, fields: ['email'] } },
        'grant.fields',
      ],
    ]
    for (const [name, access, path] of cases) {
      assert.throws(
        () => detokenize(keys, 'support', token, access),
        (err: unknown) =>
          err instanceof AnonymizeError &&
          err.code === 'detokenize_denied' &&
          err.status === 403 &&
          err.message === "detokenizing needs an active 'data.detokenize' grant" &&
          err.details[0]?.path === path,
        name,
      )
    }
    const exact = {
      ...ACCESS,
      grant: { ...grant, resource: 'pg://prod/customers', fields: ['email'] },
      field: 'email',
    }
    assert.equal(detokenize(keys, 'support', token, exact), 'alice@example.com')
    assert.ok(NOW < new Date(grant.expiresAt ?? ''))
  })
})
