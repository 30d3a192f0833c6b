// Generalization: a coarser value in place of the value. Dates become their month or
// year, ages (or birth dates, given today's date) 10-year-style bands, numbers ranges,
// postcodes their leading part, IP addresses their network. The result is always
// text and never the value itself: inputs that are already that coarse are refused.
import { wrongInput } from './anonymize-error.ts'
import { ipPrefix } from './ip-prefix.ts'
import { numberOf } from './value-text.ts'

export type GeneralizeTo = 'month' | 'year' | 'age_band' | 'range' | 'postcode' | 'ip_prefix'
export const GENERALIZE_TARGETS: readonly GeneralizeTo[] = [
  'month',
  'year',
  'age_band',
  'range',
  'postcode',
  'ip_prefix',
]

interface CalendarDate {
  readonly year: number
  readonly month: number
  readonly day: number
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/

/** The calendar date a value names, as written (a time's offset is not applied). */
export function calendarDate(value: unknown, transform: string): CalendarDate {
  if (value instanceof Date && !Number.isNaN(value.getTime()))
    return { year: value.getUTCFullYear(), month: value.getUTCMonth() + 1, day: value.getUTCDate() }
  const m = typeof value === 'string' ? DATE.exec(value.trim()) : null
  if (m !== null) {
    const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])]
    if (month >= 1 && month <= 12 && day >= 1 && day <= 31) return { year, month, day }
  }
  throw wrongInput(transform, 'a date (YYYY-MM-DD, optionally with a time)')
}

/** The generalizer for one `to` (and `size`); `now` gives ages from birth dates. */
export function generalizer(
  to: GeneralizeTo,
  size: number | undefined,
  now?: Date,
): (value: unknown) => string {
  switch (to) {
    case 'month':
      return (value) => {
        const d = calendarDate(value, 'generalize to: month')
        return `${pad(d.year, 4)}-${pad(d.month, 2)}`
      }
    case 'year':
      return (value) => pad(calendarDate(value, 'generalize to: year').year, 4)
    case 'age_band':
      return (value) => {
        const band = size ?? 10
        const low = Math.floor(ageOf(value, now) / band) * band
        return `${low}-${low + band - 1}`
      }
    case 'range': {
      // A width of 1 would hand the number back: the policy compiler refuses it, and so do we.
      const width = Math.max(2, size ?? 10)
      return (value) => {
        const low = Math.floor(numberOf(value, 'generalize to: range') / width) * width
        return `[${low},${low + width})`
      }
    }
    case 'postcode':
      return (value) => postcodePrefix(value, size)
    case 'ip_prefix':
      return (value) => ipPrefix(value, size ?? 24)
  }
}

/** An age in whole years: a number, or a birth date counted up to `now`. */
function ageOf(value: unknown, now: Date | undefined): number {
  if (typeof value === 'number' || (typeof value === 'string' && !value.includes('-'))) {
    const age = numberOf(value, 'generalize to: age_band')
    if (age < 0) throw wrongInput('generalize to: age_band', 'an age of 0 or more')
    return Math.floor(age)
  }
  const born = calendarDate(value, 'generalize to: age_band')
  if (now === undefined) throw wrongInput('generalize to: age_band', "an age (birth dates need today's date)")
  const [y, m, d] = [now.getUTCFullYear(), now.getUTCMonth() + 1, now.getUTCDate()]
  const age = y - born.year - (m < born.month || (m === born.month && d < born.day) ? 1 : 0)
  if (age < 0) throw wrongInput('generalize to: age_band', 'a birth date in the past')
  return age
}

/** The first `size` characters (spaces dropped), or the part before the first space, or 3. */
function postcodePrefix(value: unknown, size: number | undefined): string {
  const text = typeof value === 'string' ? value.trim().toUpperCase() : ''
  const compact = text.replace(/\s+/g, '')
  if (!/^[A-Z0-9-]+$/.test(compact)) throw wrongInput('generalize to: postcode', 'a postcode')
  const keep = size ?? (text.includes(' ') ? (text.split(/\s/)[0] ?? '').length : 3)
  if (keep >= compact.length) throw wrongInput('generalize to: postcode', `a postcode longer than ${keep}`)
  return compact.slice(0, keep)
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0')
}
