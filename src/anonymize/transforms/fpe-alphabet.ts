// The alphabets FF1 works over for text: digits (radix 10), letters and digits with
// case (62) and without (36). Characters outside the alphabet (dashes, spaces, dots)
// stay where they are, so `AB-1234-XY` keeps its shape.
import type { Ff1 } from '../cipher/ff1.ts'

export class FpeAlphabet {
  readonly radix: number
  /** Letters of either case are the same numeral; output letters follow the input's case. */
  readonly caseless: boolean
  readonly #chars: string
  readonly #upper: string
  readonly #numeral = new Int8Array(128).fill(-1)

  constructor(chars: string, caseless: boolean) {
    this.radix = chars.length
    this.caseless = caseless
    this.#chars = chars
    this.#upper = chars.toUpperCase()
    for (let i = 0; i < chars.length; i++) {
      this.#numeral[chars.charCodeAt(i)] = i
      if (caseless) this.#numeral[this.#upper.charCodeAt(i)] = i
    }
  }

  /**
   * Encrypts (or decrypts) the characters of `text` that are in the alphabet, in
   * place. With a caseless alphabet, letters come out upper case when the input had
   * upper case letters and no lower case ones, else lower case.
   */
  crypt(text: string, ff1: Ff1, inverse: boolean): string {
    const codes = new Array<number>(text.length)
    const at: number[] = []
    const numerals: number[] = []
    let upper = false
    let lower = false
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i)
      codes[i] = c
      const n = c < 128 ? (this.#numeral[c] as number) : -1
      if (n < 0) continue
      at.push(i)
      numerals.push(n)
      if (c >= 65 && c <= 90) upper = true
      else if (c >= 97 && c <= 122) lower = true
    }
    const out = inverse ? ff1.decrypt(numerals) : ff1.encrypt(numerals)
    const chars = this.caseless && upper && !lower ? this.#upper : this.#chars
    for (let k = 0; k < at.length; k++) codes[at[k] as number] = chars.charCodeAt(out[k] as number)
    return String.fromCharCode(...codes)
  }
}

export const DIGITS = new FpeAlphabet('0123456789', false)
export const ALNUM = new FpeAlphabet('0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz', false)
export const ALNUM_CI = new FpeAlphabet('0123456789abcdefghijklmnopqrstuvwxyz', true)
