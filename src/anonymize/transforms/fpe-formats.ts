// Format-preserving encryption of whole values with FF1: digits, alphanumerics (with
// or without case), card numbers (length kept, the check digit recomputed so the
// result passes Luhn) and phone numbers (the country calling code and every format
// character kept). Each format has its own tweak, so one purpose's key never maps
// the same digits the same way in two formats.
import { parsePhoneNumberFromString } from 'libphonenumber-js'
import { Ff1 } from '../cipher/ff1.ts'
import type { AnonymizeKeys } from '../keys/anonymize-keys.ts'
import { wrongInput } from './anonymize-error.ts'
import { checkDetokenizeAccess, type DetokenizeAccess } from './detokenize-access.ts'
import { ALNUM, ALNUM_CI, DIGITS, type FpeAlphabet } from './fpe-alphabet.ts'

export type FpeFormat = 'digits' | 'alnum' | 'alnum_ci' | 'card' | 'phone'
export const FPE_FORMATS: readonly FpeFormat[] = ['digits', 'alnum', 'alnum_ci', 'card', 'phone']

const ALPHABETS: Readonly<Record<FpeFormat, FpeAlphabet>> = {
  digits: DIGITS,
  alnum: ALNUM,
  alnum_ci: ALNUM_CI,
  card: DIGITS,
  phone: DIGITS,
}

/**
 * What a value of an alphabet format may hold besides its alphabet: separators only,
 * so FPE never passes words through in the clear around the encrypted characters.
 */
const SHAPES: Readonly<Record<'digits' | 'alnum' | 'alnum_ci', { re: RegExp; what: string }>> = {
  digits: { re: /^[\d\s\-./()+#]+$/, what: 'digits and separators' },
  alnum: { re: /^[0-9A-Za-z\s\-./_:#]+$/, what: 'letters, digits and separators' },
  alnum_ci: { re: /^[0-9A-Za-z\s\-./_:#]+$/, what: 'letters, digits and separators' },
}

/** FF1 for one format and purpose under one key (the current one unless named). */
export class FpeCipher {
  readonly format: FpeFormat
  readonly #ff1: Ff1

  constructor(keys: AnonymizeKeys, format: FpeFormat, purpose: string, keyId?: string) {
    this.format = format
    const tweak = new TextEncoder().encode(format)
    this.#ff1 = new Ff1(keys.fpe(purpose, keyId), ALPHABETS[format].radix, tweak)
  }

  encrypt(value: unknown): string {
    return this.#crypt(value, false)
  }

  /** Without a grant check: use revealFpe, which asks for one. */
  decrypt(value: unknown): string {
    return this.#crypt(value, true)
  }

  #crypt(value: unknown, inverse: boolean): string {
    const text =
      (typeof value === 'number' && Number.isSafeInteger(value)) || typeof value === 'bigint'
        ? String(value)
        : value
    if (typeof text !== 'string') throw wrongInput(`fpe format: ${this.format}`, 'text or an integer')
    if (this.format === 'card') return this.#card(text, inverse)
    if (this.format === 'phone') return this.#phone(text, inverse)
    const shape = SHAPES[this.format]
    if (!shape.re.test(text)) throw wrongInput(`fpe format: ${this.format}`, shape.what)
    return ALPHABETS[this.format].crypt(text, this.#ff1, inverse)
  }

  #card(text: string, inverse: boolean): string {
    // Digits with spaces or dashes between them; the separators stay where they are.
    const at: number[] = []
    const body: number[] = []
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i)
      if (c >= 48 && c <= 57) {
        at.push(i)
        body.push(c - 48)
      } else if ((c !== 32 && c !== 45) || i === 0 || i === text.length - 1)
        throw wrongInput('fpe format: card', 'a card number')
    }
    if (body.length < 12 || body.length > 19)
      throw wrongInput('fpe format: card', 'a card number of 12–19 digits')
    body.pop()
    const out = inverse ? this.#ff1.decrypt(body) : this.#ff1.encrypt(body)
    out.push(luhnCheckDigit(out))
    const chars = text.split('')
    for (let k = 0; k < at.length; k++) chars[at[k] as number] = String.fromCharCode(48 + (out[k] as number))
    return chars.join('')
  }

  #phone(text: string, inverse: boolean): string {
    const trimmed = text.trim()
    if (!/^\+?[\d\s()./-]+$/.test(trimmed) || !/\d/.test(trimmed))
      throw wrongInput('fpe format: phone', 'a phone number')
    let keep = 0
    if (trimmed.startsWith('+')) {
      const code = parsePhoneNumberFromString(trimmed)?.countryCallingCode
      if (code === undefined || !trimmed.replace(/\D/g, '').startsWith(code))
        throw wrongInput('fpe format: phone', 'a phone number with a known country calling code')
      keep = code.length
    }
    // The calling code's digits are kept; the rest go through FF1 as one numeral string.
    const at: number[] = []
    const digits: number[] = []
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i) - 48
      if (c < 0 || c > 9) continue
      if (keep > 0) keep--
      else {
        at.push(i)
        digits.push(c)
      }
    }
    const out = inverse ? this.#ff1.decrypt(digits) : this.#ff1.encrypt(digits)
    const chars = text.split('')
    for (let k = 0; k < at.length; k++) chars[at[k] as number] = String(out[k])
    return chars.join('')
  }
}

/** The check digit that makes `body ‖ digit` pass the Luhn check. */
export function luhnCheckDigit(body: readonly number[]): number {
  let sum = 0
  for (let i = body.length - 1, double = true; i >= 0; i--, double = !double) {
    let d = body[i] as number
    if (double) {
      d *= 2
      if (d > 9) d -= 9
    }
    sum += d
  }
  return (10 - (sum % 10)) % 10
}

/**
 * The value an FPE output stands for, under a `data.detokenize` grant. FPE output
 * has no room for a key id: pass the id of the key it was made with after rotation.
 */
export function revealFpe(
  keys: AnonymizeKeys,
  format: FpeFormat,
  purpose: string,
  value: string,
  access: DetokenizeAccess | undefined,
  keyId?: string,
): string {
  checkDetokenizeAccess(access)
  return new FpeCipher(keys, format, purpose, keyId).decrypt(value)
}
