// Dates, for dates of birth: numeric (1985-03-12, 12.03.1985, 03/12/1985) and written
// (12 March 1985, March 12, 1985, 12. März 1985, 12 de marzo de 1985, …). A bare date
// scores low: most dates are not birthdays. "born", "DOB", "geboren" and the like, or a
// column named like a birth date, lift it. Timestamps (a time right after) are skipped.
import type { PiiFinding } from '../entity-types.ts'
import { touchesWord } from '../text-scan.ts'
import type { Detector, ScanInput } from './detector.ts'
import { matches } from './detector.ts'

/** Month names and abbreviations in the six languages, lower-case, mapped to 1–12. */
const MONTHS: ReadonlyMap<string, number> = new Map(
  [
    'january jan januar janvier enero gennaio januari jänner',
    'february feb februar février fevrier febrero febbraio februari',
    'march mar märz maerz mars marzo maart',
    'april apr avril abril aprile',
    'may mai mayo maggio mei',
    'june jun juni juin junio giugno',
    'july jul juli juillet julio luglio',
    'august aug août aout agosto augustus',
    'september sep sept septembre septiembre settembre',
    'october oct oktober octobre octubre ottobre okt',
    'november nov novembre noviembre',
    'december dec dezember décembre decembre diciembre dicembre dez',
  ].flatMap((names, i) => names.split(' ').map((n) => [n, i + 1] as const)),
)

const MONTH_ALT = [...MONTHS.keys()].sort((a, b) => b.length - a.length).join('|')
const YEAR = '(19\\d{2}|20\\d{2})'
// After a date: no digit or letter, no further date part, no time.
const AFTER = '(?![A-Za-z0-9_]|[./-]\\d|[T ]\\d{1,2}:\\d)'

const ISO = new RegExp(`(?<![A-Za-z0-9_./-])${YEAR}-(\\d{2})-(\\d{2})${AFTER}`, 'g')
const NUMERIC = new RegExp(`(?<![A-Za-z0-9_./-])(\\d{1,2})([./-])(\\d{1,2})\\2${YEAR}${AFTER}`, 'g')
const DAY_MONTH = new RegExp(
  `(?<![A-Za-z0-9_])(\\d{1,2})(?:\\.|st|nd|rd|th|er)? (?:de )?(${MONTH_ALT})\\.?,? (?:de )?${YEAR}${AFTER}`,
  'gi',
)
const MONTH_DAY = new RegExp(
  `(?<![A-Za-z0-9_])(${MONTH_ALT})\\.? (\\d{1,2})(?:st|nd|rd|th)?,? ${YEAR}${AFTER}`,
  'gi',
)

const HAS_YEAR = /(?:19|20)\d\d/

/** A month name anywhere: the written forms are tried only then. */
const HAS_MONTH = new RegExp(`(?:${MONTH_ALT})`, 'i')

const DAYS = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]

export function validDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)
  return day <= (month === 2 && !leap ? 28 : (DAYS[month - 1] ?? 0))
}

/** Base score: a date is personal data only as a date of birth, which context tells. */
const BASE = 0.3

function push(out: PiiFinding[], text: string, start: number, length: number): void {
  if (touchesWord(text, start, start + length)) return
  out.push({ type: 'DATE_TIME', start, end: start + length, score: BASE, detector: 'date' })
}

export const dateDetector: Detector = {
  name: 'date',
  types: ['DATE_TIME'],
  scan({ text }: ScanInput, out: PiiFinding[]): void {
    // Every form has a four-digit year: one cheap test spares the month-name patterns.
    if (!HAS_YEAR.test(text)) return
    for (const m of matches(ISO, text))
      if (validDate(Number(m[1]), Number(m[2]), Number(m[3]))) push(out, text, m.index, m[0].length)
    for (const m of matches(NUMERIC, text)) {
      const [a, b, y] = [Number(m[1]), Number(m[3]), Number(m[4])]
      // Day first (Europe) or month first (US): either reading makes it a date.
      if (validDate(y, b, a) || validDate(y, a, b)) push(out, text, m.index, m[0].length)
    }
    if (!HAS_MONTH.test(text)) return
    for (const m of matches(DAY_MONTH, text)) {
      const month = MONTHS.get((m[2] ?? '').toLowerCase()) ?? 0
      if (validDate(Number(m[3]), month, Number(m[1]))) push(out, text, m.index, m[0].length)
    }
    for (const m of matches(MONTH_DAY, text)) {
      const month = MONTHS.get((m[1] ?? '').toLowerCase()) ?? 0
      if (validDate(Number(m[3]), month, Number(m[2]))) push(out, text, m.index, m[0].length)
    }
  },
}
