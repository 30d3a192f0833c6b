// Italian codice fiscale: surname and name consonants, birth year, month letter, day
// (plus 40 for women), municipality code and a check character computed over the other
// fifteen. Digits may be replaced by letters (omocodia) when two people would collide.
import type { PiiFinding } from '../entity-types.ts'
import { touchesWord } from '../text-scan.ts'
import type { Detector, ScanInput } from './detector.ts'
import { matches } from './detector.ts'

const D = '[0-9LMNPQRSTUV]'
const CODE = new RegExp(
  `(?<![A-Za-z0-9_])[A-Za-z]{6}${D}{2}[ABCDEHLMPRSTabcdehlmprst]${D}{2}[A-Za-z]${D}{3}[A-Za-z](?![A-Za-z0-9_])`,
  'g',
)

/** Values of characters in odd positions (1st, 3rd, …), digits and letters alike. */
const ODD = [1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23]
const OMOCODE = 'LMNPQRSTUV'

function value(code: number, odd: boolean): number {
  // Digits and letters share the table: 0 and A, 1 and B, … 9 and J.
  const v = code <= 57 ? code - 48 : code - 65
  return odd ? (ODD[v] ?? 0) : v
}

export function fiscalCheckChar(first15: string): string {
  const upper = first15.toUpperCase()
  let sum = 0
  for (let i = 0; i < 15; i++) sum += value(upper.charCodeAt(i), i % 2 === 0)
  return String.fromCharCode(65 + (sum % 26))
}

/** Day of birth from positions 9–10, omocodia undone; women's days are 41–71. */
function birthDay(code: string): number {
  const digit = (c: string) => (OMOCODE.includes(c) ? OMOCODE.indexOf(c) : Number(c))
  const day = digit(code[9] ?? '') * 10 + digit(code[10] ?? '')
  return day > 40 ? day - 40 : day
}

export function validFiscalCode(code: string): boolean {
  const upper = code.toUpperCase()
  const day = birthDay(upper)
  if (day < 1 || day > 31) return false
  return fiscalCheckChar(upper.slice(0, 15)) === upper[15]
}

export const itIdDetector: Detector = {
  name: 'it-fiscal-code',
  types: ['IT_FISCAL_CODE'],
  scan({ text }: ScanInput, out: PiiFinding[]): void {
    for (const m of matches(CODE, text)) {
      if (touchesWord(text, m.index, m.index + m[0].length)) continue
      if (!validFiscalCode(m[0])) continue
      const score = m[0] === m[0].toUpperCase() ? 1 : 0.8
      out.push({
        type: 'IT_FISCAL_CODE',
        start: m.index,
        end: m.index + m[0].length,
        score,
        detector: 'it-fiscal-code',
      })
    }
  },
}
