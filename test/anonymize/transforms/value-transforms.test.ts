// Partial masks, generalization and noise: what each gives for typical and awkward
// values, and the refusals (AnonymizeError) the masker turns into redactions.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import {
  AnonymizeError,
  type GeneralizeTo,
  generalizer,
  maskCardLast4,
  maskEmailDomain,
  maskKeeping,
  numericNoise,
} from '../../../src/anonymize/transforms/index.ts'
import { NOW, testKeys } from './fixtures.ts'

const refused = (fn: () => unknown): string => {
  try {
    fn()
  } catch (err) {
    assert.ok(err instanceof AnonymizeError)
    return err.code
  }
  return 'not refused'
}

describe('partial masks', () => {
  const cases: [string, unknown, number, number, string][] = [
    ['keep the last 4', '+44 20 7946 0958', 0, 4, '************0958'],
    ['keep the first 1', 'Grace Hopper', 1, 0, 'G***********'],
    ['keep both ends', 'ABCDEFGH', 2, 2, 'AB****GH'],
    ['a number', 123456789, 0, 3, '******789'],
    ['too short to keep anything', 'abc', 2, 2, '***'],
    ['exactly as long as what is kept', 'abcd', 2, 2, '****'],
    ['emoji are not split', '😀😀😀😀😀', 1, 1, '😀***😀'],
  ]
  for (const [name, value, first, last, expected] of cases)
    it(name, () => assert.equal(maskKeeping(value, first, last), expected))

  it("keeps an email's domain only", () => {
    assert.equal(maskEmailDomain('grace.hopper@navy.example.mil'), '***@navy.example.mil')
    for (const bad of ['no-at-sign', '@example.com', 'a@', 'a@b@c', 'a b@c.com', 42])
      assert.equal(
        refused(() => maskEmailDomain(bad)),
        'transform_input_invalid',
      )
  })

  it("keeps a card's last 4 digits and its separators", () => {
    assert.equal(maskCardLast4('4111 1111 1111 1111'), '**** **** **** 1111')
    assert.equal(maskCardLast4('4111-1111-1111-1111'), '****-****-****-1111')
    assert.equal(maskCardLast4(4111111111111111), '************1111')
    for (const bad of ['4111', '4111 1111 1111 1111 1111', 'card 4111111111111111', 'x'])
      assert.equal(
        refused(() => maskCardLast4(bad)),
        'transform_input_invalid',
      )
  })
})

describe('generalize', () => {
  const g = (to: GeneralizeTo, value: unknown, size?: number, now?: Date): string =>
    generalizer(to, size, now)(value)
  const cases: [string, GeneralizeTo, unknown, number | undefined, string][] = [
    ['a date to its month', 'month', '1990-05-17', undefined, '1990-05'],
    ['a time to its month, as written', 'month', '1990-05-31T23:30:00-05:00', undefined, '1990-05'],
    ['a Date to its month (UTC)', 'month', new Date('1990-05-17T10:00:00Z'), undefined, '1990-05'],
    ['a date to its year', 'year', '1990-05-17', undefined, '1990'],
    ['an age to a band', 'age_band', 37, 10, '30-39'],
    ['an age as text', 'age_band', '37.9', 5, '35-39'],
    ['a birth date to a band', 'age_band', '1990-03-16', 10, '30-39'],
    ['a birthday today', 'age_band', '1986-03-15', 10, '40-49'],
    ['a number to a range', 'range', 1234.5, 100, '[1200,1300)'],
    ['a negative number to a range', 'range', -5, 10, '[-10,0)'],
    ['a UK postcode to its outward code', 'postcode', 'SW1A 1AA', undefined, 'SW1A'],
    ['a ZIP code to 3 digits', 'postcode', '94107', undefined, '941'],
    ['a postcode to a given size', 'postcode', 'sw1a 1aa', 2, 'SW'],
    ['an IPv4 address to /24', 'ip_prefix', '203.0.113.77', 24, '203.0.113.0/24'],
    ['an IPv4 address to /20', 'ip_prefix', '203.0.127.77', 20, '203.0.112.0/20'],
    ['an IPv6 address to /48', 'ip_prefix', '2001:db8:85a3:1234::8a2e:370:7334', 24, '2001:db8:85a3::/48'],
    ['an IPv6 address to /56', 'ip_prefix', '2001:0db8:85a3:12ff::1', 56, '2001:db8:85a3:1200::/56'],
    ['an IPv4-mapped IPv6 address', 'ip_prefix', '::ffff:203.0.113.7', 24, '::/48'],
  ]
  for (const [name, to, value, size, expected] of cases)
    it(name, () => assert.equal(g(to, value, size, NOW), expected))

  const refusals: [string, GeneralizeTo, unknown, number | undefined, Date | undefined][] = [
    ['a month without a day', 'month', '1990-05', undefined, NOW],
    ['month 13', 'month', '1990-13-01', undefined, NOW],
    ['a timestamp number', 'year', 642902400000, undefined, NOW],
    ['a birth date without today', 'age_band', '1990-03-16', 10, undefined],
    ['a birth date in the future', 'age_band', '2030-01-01', 10, NOW],
    ['a negative age', 'age_band', -1, 10, NOW],
    ['a word for a range', 'range', 'lots', 10, NOW],
    ['a postcode no longer than what is kept', 'postcode', 'SW', 2, NOW],
    ['an address with a zone', 'ip_prefix', 'fe80::1%eth0', 24, NOW],
    ['an address with a prefix already', 'ip_prefix', '203.0.113.0/24', 24, NOW],
  ]
  for (const [name, to, value, size, now] of refusals)
    it(`refuses ${name}`, () =>
      assert.equal(
        refused(() => g(to, value, size, now)),
        'transform_input_invalid',
      ))
})

describe('noise', () => {
  const keys = testKeys()
  const noise = numericNoise(keys.hmac('noise', 'default'), 10)

  it('stays within the percentage, keeps precision and type, and repeats for the same value', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -1e9, max: 1e9, noNaN: true }),
        fc.integer({ min: 0, max: 4 }),
        (x, decimals) => {
          const value = Number(x.toFixed(decimals))
          const out = noise(value) as number
          assert.equal(typeof out, 'number')
          assert.ok(Math.abs(out - value) <= Math.abs(value) * 0.1 + 0.5 / 10 ** decimals + 1e-6)
          assert.equal(noise(value), out)
          const text = value.toFixed(decimals)
          assert.equal(typeof noise(text), 'string')
          assert.match(
            noise(text) as string,
            decimals === 0 ? /^-?\d+$/ : new RegExp(`^-?\\d+\\.\\d{${decimals}}$`),
          )
        },
      ),
    )
  })

  it('gives unrelated amounts to different values, and differs across purposes', () => {
    const moves = Array.from({ length: 200 }, (_, i) => (noise(100_000 + i) as number) - (100_000 + i))
    assert.ok(new Set(moves).size > 150)
    const other = numericNoise(keys.hmac('noise', 'other'), 10)
    assert.notEqual(other(123_456.78), noise(123_456.78))
  })

  it('refuses what is not a number', () => {
    for (const bad of ['twelve', '', '1,5', Number.NaN, Number.POSITIVE_INFINITY, {}, true])
      assert.equal(
        refused(() => noise(bad)),
        'transform_input_invalid',
      )
  })
})
