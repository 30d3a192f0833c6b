// Format-preserving encryption of whole values: lengths, alphabets and format
// characters kept, card numbers Luhn-valid, phone numbers keeping their country code,
// reversible under a grant, and domains under a million refused.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import {
  FpeCipher,
  type FpeFormat,
  luhnCheckDigit,
  revealFpe,
} from '../../../src/anonymize/transforms/index.ts'
import { ACCESS, testKeys } from './fixtures.ts'

const keys = testKeys('k1')
const cipher = (format: FpeFormat, purpose = 'default'): FpeCipher => new FpeCipher(keys, format, purpose)
const luhnValid = (digits: string): boolean =>
  luhnCheckDigit(Array.from(digits.slice(0, -1), Number)) === Number(digits.at(-1))

const shape = (text: string, alphabet: RegExp): string => text.replace(new RegExp(alphabet.source, 'g'), '#')

describe('FPE formats', () => {
  const formats: [FpeFormat, string, RegExp][] = [
    ['digits', '0123456789', /[0-9]/],
    ['alnum', '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz', /[0-9A-Za-z]/],
    ['alnum_ci', '0123456789abcdefghijklmnopqrstuvwxyz', /[0-9a-z]/],
  ]
  for (const [format, alphabet, inAlphabet] of formats) {
    it(`${format}: keeps length, alphabet and separators, and decrypts back`, () => {
      const c = cipher(format)
      const text = fc
        .array(
          fc.oneof(
            { weight: 6, arbitrary: fc.constantFrom(...alphabet) },
            fc.constantFrom('-', ' ', '.', '/'),
          ),
          {
            minLength: 6,
            maxLength: 40,
          },
        )
        .map((chars) => chars.join(''))
        .filter((t) => alphabet.length ** t.replace(/[-. /]/g, '').length >= 1_000_000)
      fc.assert(
        fc.property(text, (t) => {
          const y = c.encrypt(t)
          assert.equal(y.length, t.length)
          assert.equal(shape(y, inAlphabet), shape(t, inAlphabet))
          assert.equal(c.decrypt(y), t)
        }),
      )
    })
  }

  it('alnum_ci: upper case in, upper case out', () => {
    const y = cipher('alnum_ci').encrypt('AB12-CD34-EF56')
    assert.match(y, /^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/)
    assert.equal(cipher('alnum_ci').decrypt(y), 'AB12-CD34-EF56')
  })

  it('card: keeps length and separators, passes Luhn, decrypts back', () => {
    const body = fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 11, maxLength: 18 })
    fc.assert(
      fc.property(body, fc.constantFrom('', ' ', '-'), (digits, sep) => {
        const all = [...digits, luhnCheckDigit(digits)].join('')
        const text = sep === '' ? all : (all.match(/.{1,4}/g) ?? []).join(sep)
        const y = cipher('card').encrypt(text)
        assert.equal(y.length, text.length)
        assert.equal(y.replace(/\d/g, '#'), text.replace(/\d/g, '#'))
        assert.ok(luhnValid(y.replace(/\D/g, '')))
        assert.equal(cipher('card').decrypt(y), text)
      }),
    )
    assert.ok(luhnValid(cipher('card').encrypt(4111111111111111)))
  })

  it('phone: keeps the country calling code and the format characters', () => {
    const cases: [string, string][] = [
      ['+44 20 7946 0958', '+44 '],
      ['+1 (555) 123-4567', '+1 ('],
      ['+49 30 901820', '+49 '],
      ['+353 1 234 5678', '+353 '],
      ['+800 1234 5678', '+800 '],
    ]
    for (const [phone, prefix] of cases) {
      const y = cipher('phone').encrypt(phone)
      assert.ok(y.startsWith(prefix), `${y} keeps ${prefix}`)
      assert.equal(y.replace(/\d/g, '#'), phone.replace(/\d/g, '#'))
      assert.notEqual(y, phone)
      assert.equal(cipher('phone').decrypt(y), phone)
    }
    const national = cipher('phone').encrypt('020 7946 0958')
    assert.equal(national.replace(/\d/g, '#'), '### #### ####')
  })

  it('refuses what does not fit the format, and domains under a million', () => {
    const cases: [FpeFormat, unknown, string][] = [
      ['digits', '12345', 'fpe_domain_too_small'],
      ['digits', '12-34-5', 'fpe_domain_too_small'],
      ['digits', '--..//', 'fpe_domain_too_small'],
      ['digits', 'John Smith 12345678', 'transform_input_invalid'],
      ['alnum', 'élan-12345678', 'transform_input_invalid'],
      ['alnum', 'abc', 'fpe_domain_too_small'],
      ['alnum_ci', 'ab-c', 'fpe_domain_too_small'],
      ['digits', {}, 'transform_input_invalid'],
      ['card', '4111 1111', 'transform_input_invalid'],
      ['card', '4111-1111-1111-111x', 'transform_input_invalid'],
      ['phone', '+44 12345', 'fpe_domain_too_small'],
      ['phone', '+999 1234 5678', 'transform_input_invalid'],
      ['phone', 'call me', 'transform_input_invalid'],
      ['phone', '1-800-FLOWERS', 'transform_input_invalid'],
    ]
    for (const [format, value, code] of cases)
      assert.throws(() => cipher(format).encrypt(value), { code }, `${format} ${String(value)}`)
  })

  it('differs across purposes and formats, and reveals only under a grant', () => {
    const a = cipher('digits', 'a').encrypt('123456789012')
    assert.notEqual(cipher('digits', 'b').encrypt('123456789012'), a)
    assert.notEqual(
      cipher('card').encrypt('1234567890128').slice(0, 12),
      cipher('digits').encrypt('123456789012'),
    )
    assert.equal(revealFpe(keys, 'digits', 'a', a, ACCESS), '123456789012')
    assert.throws(() => revealFpe(keys, 'digits', 'a', a, undefined), { code: 'detokenize_denied' })
  })
})
