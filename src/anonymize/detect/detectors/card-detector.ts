// Payment card numbers: 13–19 digits, contiguous or grouped as printed (4-4-4-4[-3],
// Amex 4-6-5), that pass Luhn. A known issuer prefix with a matching length gives a
// high score; a Luhn-valid number from no known range needs a context word.
import { luhnValid } from '../checksums.ts'
import type { PiiFinding } from '../entity-types.ts'
import { touchesWord } from '../text-scan.ts'
import type { Detector, ScanInput } from './detector.ts'
import { matches } from './detector.ts'

// The separator is captured and reused so `4111 1111-1111 1111` is not one number.
const CARD =
  /(?<![A-Za-z0-9_-])(?:\d{13,19}|\d{4}([ -])\d{4}\1\d{4}\1\d{4}(?:\1\d{1,3})?|\d{4}([ -])\d{6}\2\d{4,5})(?![A-Za-z0-9_]|[ -]\d)/g

interface Range {
  readonly from: number
  readonly to: number
  /** Prefix length: ranges are compared on this many leading digits. */
  readonly digits: number
  readonly lengths: readonly number[]
}

const r = (from: number, to: number, lengths: readonly number[]): Range => ({
  from,
  to,
  digits: String(from).length,
  lengths,
})
const SIXTEEN_TO_19 = [16, 17, 18, 19]

/** Issuer ranges (IIN) of the common networks, from their published tables. */
const RANGES: readonly Range[] = [
  r(4, 4, [13, 16, 19]), // Visa
  r(51, 55, [16]), // Mastercard
  r(2221, 2720, [16]), // Mastercard 2-series
  r(34, 34, [15]), // American Express
  r(37, 37, [15]),
  r(6011, 6011, SIXTEEN_TO_19), // Discover
  r(644, 649, SIXTEEN_TO_19),
  r(65, 65, SIXTEEN_TO_19),
  r(3528, 3589, SIXTEEN_TO_19), // JCB
  r(300, 305, [14, 16, 17, 18, 19]), // Diners Club
  r(36, 36, [14, 16, 17, 18, 19]),
  r(38, 39, [16, 17, 18, 19]),
  r(62, 62, SIXTEEN_TO_19), // UnionPay
  r(2200, 2204, SIXTEEN_TO_19), // Mir
  r(5018, 5018, [13, 15, 16, 17, 18, 19]), // Maestro
  r(5020, 5020, [13, 15, 16, 17, 18, 19]),
  r(5038, 5038, [13, 15, 16, 17, 18, 19]),
  r(5893, 5893, [13, 15, 16, 17, 18, 19]),
  r(6304, 6304, [13, 15, 16, 17, 18, 19]),
  r(6759, 6763, [13, 15, 16, 17, 18, 19]),
]

/** True when the number starts in a known issuer range and has one of its lengths. */
export function knownIssuer(digits: string): boolean {
  for (const range of RANGES) {
    const prefix = Number(digits.slice(0, range.digits))
    if (prefix >= range.from && prefix <= range.to && range.lengths.includes(digits.length)) return true
  }
  return false
}

export const cardDetector: Detector = {
  name: 'card',
  types: ['CREDIT_CARD'],
  scan({ text }: ScanInput, out: PiiFinding[]): void {
    for (const m of matches(CARD, text)) {
      if (touchesWord(text, m.index, m.index + m[0].length)) continue
      const digits = m[0].replace(/[ -]/g, '')
      if (!luhnValid(digits) || /^(\d)\1+$/.test(digits)) continue
      const score = knownIssuer(digits) ? 0.95 : 0.4
      out.push({ type: 'CREDIT_CARD', start: m.index, end: m.index + m[0].length, score, detector: 'card' })
    }
  },
}
