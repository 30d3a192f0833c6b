// IBANs: a country code and two check digits, then exactly the country's length of
// BBAN characters, spaced in groups of four or not at all, passing ISO 7064 mod 97.
// The scanner reads exactly the country's length, so a number printed right after an
// IBAN is never swallowed into it.
import { mod97 } from '../checksums.ts'
import type { PiiFinding } from '../entity-types.ts'
import type { Detector, ScanInput } from './detector.ts'
import { matches } from './detector.ts'

/** IBAN length per country (SWIFT IBAN registry). */
const LENGTHS: ReadonlyMap<string, number> = new Map(
  `AD24 AE23 AL28 AT20 AZ28 BA20 BE16 BG22 BH22 BI27 BR29 BY28 CH21 CR22 CY28 CZ24 DE22 DJ27 DK18 DO28
   EE20 EG29 ES24 FI18 FK18 FO18 FR27 GB22 GE22 GI23 GL18 GR27 GT28 HN28 HR21 HU28 IE22 IL23 IQ23 IS26
   IT27 JO30 KW30 KZ20 LB28 LC32 LI21 LT20 LU20 LV21 LY25 MC27 MD24 ME22 MK19 MN20 MR27 MT31 MU30 NI28
   NL18 NO15 OM23 PK24 PL28 PS29 PT25 QA29 RO24 RS22 RU33 SA24 SC31 SD18 SE24 SI19 SK24 SM27 SO23 ST25
   SV28 TL23 TN24 TR26 UA29 VA22 VG24 XK20 YE30`
    .split(/\s+/)
    .filter((e) => e !== '')
    .map((e) => [e.slice(0, 2), Number(e.slice(2))] as const),
)

const START = /(?<![A-Za-z0-9_])[A-Z]{2}\d{2}/g

function isUpperAlnum(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90)
}

/** End of an IBAN of `length` characters starting at `start`, or -1. */
function readIban(text: string, start: number, length: number): number {
  let count = 4
  let i = start + 4
  let spaced: boolean | undefined
  while (count < length && i < text.length) {
    const c = text.charCodeAt(i)
    if (c === 32 && count % 4 === 0 && spaced !== false) {
      spaced = true
      i++
      continue
    }
    if (!isUpperAlnum(c)) return -1
    if (count % 4 === 0 && spaced === undefined) spaced = false
    if (count % 4 === 0 && spaced === true && text.charCodeAt(i - 1) !== 32) return -1
    count++
    i++
  }
  if (count < length) return -1
  const next = text.charCodeAt(i)
  if (isUpperAlnum(next) || (next >= 97 && next <= 122)) return -1
  return i
}

/** True when the string (no spaces) is a well-formed IBAN with a valid checksum. */
export function validIban(iban: string): boolean {
  const length = LENGTHS.get(iban.slice(0, 2))
  if (length === undefined || iban.length !== length) return false
  return mod97(iban.slice(4) + iban.slice(0, 4)) === 1
}

export const ibanDetector: Detector = {
  name: 'iban',
  types: ['IBAN_CODE'],
  scan({ text }: ScanInput, out: PiiFinding[]): void {
    for (const m of matches(START, text)) {
      const length = LENGTHS.get(m[0].slice(0, 2))
      if (length === undefined) continue
      const end = readIban(text, m.index, length)
      if (end < 0) continue
      const compact = text.slice(m.index, end).replaceAll(' ', '')
      if (!validIban(compact)) continue
      out.push({ type: 'IBAN_CODE', start: m.index, end, score: 0.95, detector: 'iban' })
    }
  },
}
