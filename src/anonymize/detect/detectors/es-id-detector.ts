// Spanish identity numbers: the DNI/NIF (8 digits and a control letter) and the NIE
// (X, Y or Z, 7 digits and a control letter). The letter is the number mod 23 looked up
// in a fixed table, so a random look-alike passes one time in 23.
import type { PiiFinding } from '../entity-types.ts'
import { touchesWord } from '../text-scan.ts'
import type { Detector, ScanInput } from './detector.ts'
import { matches } from './detector.ts'

const LETTERS = 'TRWAGMYFPDXBNJZSQVHLCKE'

const NIF = /(?<![A-Za-z0-9_-])(\d{8})[- ]?([A-Za-z])(?![A-Za-z0-9_])/g
const NIE = /(?<![A-Za-z0-9_-])([XYZxyz])[- ]?(\d{7})[- ]?([A-Za-z])(?![A-Za-z0-9_])/g

export function dniLetter(digits: string): string {
  return LETTERS[Number(digits) % 23] ?? ''
}

export const esIdDetector: Detector = {
  name: 'es-id',
  types: ['ES_NIF', 'ES_NIE'],
  scan({ text }: ScanInput, out: PiiFinding[]): void {
    for (const m of matches(NIF, text)) {
      if (touchesWord(text, m.index, m.index + m[0].length)) continue
      const [, digits = '', letter = ''] = m
      if (dniLetter(digits) !== letter.toUpperCase()) continue
      // Lower-case control letters occur but are rarer, and more often coincidence.
      const score = letter === letter.toUpperCase() ? 0.9 : 0.7
      out.push({ type: 'ES_NIF', start: m.index, end: m.index + m[0].length, score, detector: 'es-id' })
    }
    for (const m of matches(NIE, text)) {
      if (touchesWord(text, m.index, m.index + m[0].length)) continue
      const [, prefix = '', digits = '', letter = ''] = m
      const lead = 'XYZ'.indexOf(prefix.toUpperCase())
      if (dniLetter(`${lead}${digits}`) !== letter.toUpperCase()) continue
      const score = prefix === prefix.toUpperCase() && letter === letter.toUpperCase() ? 0.9 : 0.7
      out.push({ type: 'ES_NIE', start: m.index, end: m.index + m[0].length, score, detector: 'es-id' })
    }
  },
}
