// Dutch BSN (burgerservicenummer, 11-proef) and French NIR (numéro de sécurité sociale,
// key = 97 − number mod 97). A bare nine-digit number passes the 11-proef one time in
// eleven, so a BSN needs a context word; a NIR's key and fields make it near-certain.
import { allSame, weightedSum } from '../checksums.ts'
import type { PiiFinding } from '../entity-types.ts'
import { touchesWord } from '../text-scan.ts'
import type { Detector, ScanInput } from './detector.ts'
import { matches } from './detector.ts'

const BSN = /(?<![A-Za-z0-9_.-])(?:\d{9}|\d{4}\.\d{2}\.\d{3})(?![A-Za-z0-9_]|[.-]\d)/g
const NIR =
  /(?<![A-Za-z0-9_])([12378]) ?(\d{2}) ?(\d{2}) ?(\d{2}|2[ABab]) ?(\d{3}) ?(\d{3}) ?(\d{2})(?![A-Za-z0-9_]| \d)/g

export function validBsn(digits: string): boolean {
  if (digits.length !== 9 || allSame(digits)) return false
  const sum = weightedSum(digits, [9, 8, 7, 6, 5, 4, 3, 2, -1])
  return sum > 0 && sum % 11 === 0
}

/** NIR check: month 01–12 or INSEE's special 20–99, and the key over the first 13 characters. */
export function validNir(first13: string, key: number): boolean {
  const month = Number(first13.slice(3, 5))
  if (month === 0 || (month > 12 && month < 20)) return false
  // Corsica's departments 2A and 2B count as 19 and 18 in the key.
  const numeric = first13.toUpperCase().replace('2A', '19').replace('2B', '18')
  if (!/^\d{13}$/.test(numeric)) return false
  return 97 - (Number(numeric) % 97) === key
}

export const nlFrIdDetector: Detector = {
  name: 'nl-fr-id',
  types: ['NL_BSN', 'FR_NIR'],
  scan({ text }: ScanInput, out: PiiFinding[]): void {
    for (const m of matches(BSN, text)) {
      if (touchesWord(text, m.index, m.index + m[0].length)) continue
      const digits = m[0].replaceAll('.', '')
      if (!validBsn(digits)) continue
      const score = m[0].includes('.') ? 0.6 : 0.4
      out.push({ type: 'NL_BSN', start: m.index, end: m.index + m[0].length, score, detector: 'nl-bsn' })
    }
    for (const m of matches(NIR, text)) {
      if (touchesWord(text, m.index, m.index + m[0].length)) continue
      const first13 = m.slice(1, 7).join('')
      if (!validNir(first13, Number(m[7]))) continue
      out.push({ type: 'FR_NIR', start: m.index, end: m.index + m[0].length, score: 0.9, detector: 'fr-nir' })
    }
  },
}
