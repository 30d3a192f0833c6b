// FF1 against NIST's nine FF1 samples (FF1samples.pdf), against noble's own FF1 as a
// second implementation, and for the round trip and the SP 800-38G Rev. 1 domain rule.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { FF1 as nobleFf1 } from '@noble/ciphers/ff1.js'
import fc from 'fast-check'
import { AesBlock } from '../../../src/anonymize/cipher/aes-block.ts'
import { Ff1 } from '../../../src/anonymize/cipher/ff1.ts'
import { AnonymizeError } from '../../../src/anonymize/transforms/anonymize-error.ts'

const hex = (text: string): Uint8Array => Uint8Array.from(Buffer.from(text.replaceAll(' ', ''), 'hex'))
const KEY = '2B7E151628AED2A6ABF7158809CF4F3CEF4359D8D580AA4F7F036D6F04FC6A94'
const key = (bits: number): Uint8Array => hex(KEY.slice(0, bits / 4))
const numerals = (text: string): number[] => [...text].map((c) => Number.parseInt(c, 36))
const text = (digits: readonly number[]): string => digits.map((d) => d.toString(36)).join('')

const TWEAK_10 = '39383736353433323130'
const TWEAK_36 = '3737373770717273373737'
const SAMPLES = [
  { n: 1, bits: 128, radix: 10, tweak: '', pt: '0123456789', ct: '2433477484' },
  { n: 2, bits: 128, radix: 10, tweak: TWEAK_10, pt: '0123456789', ct: '6124200773' },
  { n: 3, bits: 128, radix: 36, tweak: TWEAK_36, pt: '0123456789abcdefghi', ct: 'a9tv40mll9kdu509eum' },
  { n: 4, bits: 192, radix: 10, tweak: '', pt: '0123456789', ct: '2830668132' },
  { n: 5, bits: 192, radix: 10, tweak: TWEAK_10, pt: '0123456789', ct: '2496655549' },
  { n: 6, bits: 192, radix: 36, tweak: TWEAK_36, pt: '0123456789abcdefghi', ct: 'xbj3kv35jrawxv32ysr' },
  { n: 7, bits: 256, radix: 10, tweak: '', pt: '0123456789', ct: '6657667009' },
  { n: 8, bits: 256, radix: 10, tweak: TWEAK_10, pt: '0123456789', ct: '1001623463' },
  { n: 9, bits: 256, radix: 36, tweak: TWEAK_36, pt: '0123456789abcdefghi', ct: 'xs8a0azh2avyalyzuwd' },
]

describe('FF1', () => {
  for (const s of SAMPLES) {
    it(`NIST sample ${s.n}: AES-${s.bits}, radix ${s.radix}, ${s.tweak === '' ? 'no tweak' : 'tweak'}`, () => {
      const ff1 = new Ff1(new AesBlock(key(s.bits)), s.radix, hex(s.tweak))
      assert.equal(text(ff1.encrypt(numerals(s.pt))), s.ct)
      assert.equal(text(ff1.decrypt(numerals(s.ct))), s.pt)
    })
  }

  it('refuses domains under 1,000,000 values, and accepts the smallest above', () => {
    const aes = new AesBlock(key(128))
    for (const [radix, tooShort] of [
      [10, 5],
      [36, 3],
      [62, 3],
      [2, 19],
    ] as const) {
      const ff1 = new Ff1(aes, radix)
      assert.throws(
        () => ff1.encrypt(new Array<number>(tooShort).fill(1)),
        (e: unknown) =>
          e instanceof AnonymizeError &&
          e.code === 'fpe_domain_too_small' &&
          e.message === `FF1 over ${tooShort} numerals of radix ${radix} has fewer than 1,000,000 values`,
      )
      const ok = new Array<number>(tooShort + 1).fill(1)
      assert.deepEqual(ff1.decrypt(ff1.encrypt(ok)), ok)
    }
  })

  it('refuses numerals outside the radix', () => {
    const ff1 = new Ff1(new AesBlock(key(128)), 10)
    assert.throws(() => ff1.encrypt([1, 2, 3, 4, 5, 6, 10]), { code: 'fpe_value_invalid' })
    assert.throws(() => ff1.encrypt([1, 2, 3, 4, 5, 6, 1.5]), { code: 'fpe_value_invalid' })
  })

  it('agrees with noble FF1 and round-trips, on both the number and the BigInt paths', () => {
    const input = fc
      .record({
        radix: fc.constantFrom(2, 10, 16, 36, 62, 255, 1000, 65535),
        keyBytes: fc.constantFrom(16, 24, 32),
        tweak: fc.uint8Array({ maxLength: 40 }),
        seed: fc.array(fc.nat(), { minLength: 1, maxLength: 60 }),
      })
      .map(({ radix, keyBytes, tweak, seed }) => {
        let length = seed.length
        while (radix ** length < 1_000_000) length++
        const x = Array.from({ length }, (_, i) => (seed[i % seed.length] as number) % radix)
        return { radix, keyBytes, tweak, x }
      })
    fc.assert(
      fc.property(
        input,
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        ({ radix, keyBytes, tweak, x }, k) => {
          const raw = k.subarray(0, keyBytes)
          const ff1 = new Ff1(new AesBlock(raw), radix, tweak)
          const y = ff1.encrypt(x)
          assert.equal(y.length, x.length)
          assert.ok(y.every((d) => Number.isInteger(d) && d >= 0 && d < radix))
          assert.deepEqual(y, nobleFf1(radix, raw, tweak).encrypt(x))
          assert.deepEqual(ff1.decrypt(y), x)
        },
      ),
      { numRuns: 300 },
    )
  })
})
