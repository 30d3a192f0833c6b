// US Social Security numbers: AAA-GG-SSSS with the SSA's rules (area not 000, 666 or
// 900–999; group not 00; serial not 0000) and the numbers published in advertising.
// Written with dashes or spaces it is likely an SSN; nine bare digits need a context word.
import type { PiiFinding } from '../entity-types.ts'
import { touchesWord } from '../text-scan.ts'
import type { Detector, ScanInput } from './detector.ts'
import { matches } from './detector.ts'

const SSN = /(?<![A-Za-z0-9_.-])(\d{3})([- ]?)(\d{2})\2(\d{4})(?![A-Za-z0-9_]|[- .]\d)/g

/** Numbers the SSA voided after they appeared in ads and samples. */
const VOID = new Set(['078051120', '219099999', '123456789', '987654320'])

export function validSsn(area: string, group: string, serial: string): boolean {
  const a = Number(area)
  if (a === 0 || a === 666 || a >= 900) return false
  if (group === '00' || serial === '0000') return false
  return !VOID.has(area + group + serial) && !/^(\d)\1{8}$/.test(area + group + serial)
}

export const usSsnDetector: Detector = {
  name: 'us-ssn',
  types: ['US_SSN'],
  scan({ text }: ScanInput, out: PiiFinding[]): void {
    for (const m of matches(SSN, text)) {
      if (touchesWord(text, m.index, m.index + m[0].length)) continue
      const [, area = '', sep = '', group = '', serial = ''] = m
      if (!validSsn(area, group, serial)) continue
      const score = sep === '' ? 0.3 : 0.6
      out.push({ type: 'US_SSN', start: m.index, end: m.index + m[0].length, score, detector: 'us-ssn' })
    }
  },
}
