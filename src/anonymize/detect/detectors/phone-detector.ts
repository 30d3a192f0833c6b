// Phone numbers: a bounded pattern cuts candidates, cheap shape checks throw out dates,
// ISBNs and IP addresses, and only then libphonenumber-js decides, because it costs about
// 10 µs a call. Bare digit runs are checked only when a phone word or column hint is
// near: without one they are order numbers far more often than phone numbers.
//
// We use the `max` metadata: it validates against each region's per-type number ranges.
// `min` only checks lengths and each region's general pattern: in our measurement it took
// 90% of random ten-digit Dutch strings starting with 0 for valid numbers, `max` 54% (and
// 90% against 71% for German ones), at about the same 10 µs per call. Stricter validation
// is what keeps order and reference numbers out, so the larger metadata is worth loading.
import { type CountryCode, parsePhoneNumberFromString } from 'libphonenumber-js/max'
import { hasContextWord } from '../context-score.ts'
import { CONTEXT_WORDS } from '../context-words.ts'
import type { PiiFinding } from '../entity-types.ts'
import { touchesWord } from '../text-scan.ts'
import type { Detector, ScanInput } from './detector.ts'
import { matches } from './detector.ts'

// One class, bounded: at most 24 characters from a digit, `+` or `(` to a digit.
const CANDIDATE = /(?<![A-Za-z0-9_+.\-/])(?:\+|\(\+?)?\d[\d ().\-/]{5,22}\d(?![A-Za-z0-9_]|[.\-/]\d)/g

const DATE_LIKE = /\d{4}[-./]\d{1,2}[-./]\d{1,2}|\d{1,2}[-./]\d{1,2}[-./]\d{2,4}(?!\d)/
const ISBN_LIKE = /^\d{1,5}-\d{1,7}-\d{1,7}-\d$|^97[89]-/
const IPV4_LIKE = /^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$/
const DOUBLE_SEPARATOR = /[.\-/]{2}|[ ]{2}|\(\)|\)\(/

/** National number lengths (digits, trunk prefix included) per region, to skip hopeless parses. */
interface NationalRule {
  readonly trunk: boolean
  readonly min: number
  readonly max: number
  /** First digits subscriber numbers start with, when the region has no trunk prefix. */
  readonly leading?: string
}

const NATIONAL: Readonly<Partial<Record<CountryCode, NationalRule>>> = {
  US: { trunk: false, min: 10, max: 11, leading: '123456789' },
  CA: { trunk: false, min: 10, max: 11, leading: '123456789' },
  GB: { trunk: true, min: 10, max: 11 },
  DE: { trunk: true, min: 6, max: 14 },
  FR: { trunk: true, min: 10, max: 10 },
  NL: { trunk: true, min: 10, max: 10 },
  // Spanish numbers start 6–9; Italian landlines keep their 0, mobiles start with 3.
  ES: { trunk: false, min: 9, max: 9, leading: '6789' },
  IT: { trunk: false, min: 6, max: 11, leading: '03' },
}

export const DEFAULT_PHONE_REGIONS: readonly CountryCode[] = ['US', 'GB', 'DE', 'FR', 'ES', 'IT', 'NL']

const NANP_GROUPING = /^(?:1[ .-]?)?(?:\(\d{3}\) ?|\d{3}[ .-]?)\d{3}[ .-]?\d{4}$/

function plausibleNational(candidate: string, digits: string, region: CountryCode): boolean {
  const rule = NATIONAL[region]
  if (rule !== undefined) {
    if (digits.length < rule.min || digits.length > rule.max) return false
    // Regions with a trunk prefix write national numbers with it: 030 …, 020 …, 06 ….
    if (rule.trunk && digits[0] !== '0') return false
    if (rule.leading !== undefined && !rule.leading.includes(digits[0] ?? '')) return false
  }
  // NANP numbers are grouped 3-3-4; anything else of ten digits is more likely an id.
  if ((region === 'US' || region === 'CA') && !NANP_GROUPING.test(candidate)) return false
  return true
}

function valid(candidate: string, digits: string, regions: readonly CountryCode[]): boolean {
  if (candidate.startsWith('+') || candidate.startsWith('(+'))
    return parsePhoneNumberFromString(candidate)?.isValid() === true
  if (digits.startsWith('00'))
    return parsePhoneNumberFromString(`+${candidate.replace(/^\D*00/, '')}`)?.isValid() === true
  for (const region of regions) {
    if (!plausibleNational(candidate, digits, region)) continue
    if (parsePhoneNumberFromString(candidate, region)?.isValid() === true) return true
  }
  return false
}

function balanced(candidate: string): boolean {
  const open = candidate.indexOf('(')
  const close = candidate.indexOf(')')
  if (open < 0 && close < 0) return true
  return (
    open >= 0 && close > open && candidate.indexOf('(', open + 1) < 0 && candidate.indexOf(')', close + 1) < 0
  )
}

const PHONE_WORDS = CONTEXT_WORDS.PHONE_NUMBER ?? new Set<string>()

interface Check {
  readonly text: string
  readonly start: number
  readonly hinted: boolean
  readonly window: ScanInput['window']
  readonly regions: readonly CountryCode[]
}

/** The score of `candidate` as a phone number at `check.start`, or 0. */
function score(candidate: string, check: Check): number {
  const digits = candidate.replace(/\D/g, '')
  if (digits.length < 7 || digits.length > 15 || !balanced(candidate)) return 0
  if (DOUBLE_SEPARATOR.test(candidate) || DATE_LIKE.test(candidate)) return 0
  if (ISBN_LIKE.test(candidate) || IPV4_LIKE.test(candidate)) return 0
  const international = candidate.startsWith('+') || candidate.startsWith('(+') || digits.startsWith('00')
  const bare = !international && /^\d+$/.test(candidate)
  const end = check.start + candidate.length
  if (bare && !check.hinted && !hasContextWord(check.text, check.start, end, PHONE_WORDS, check.window))
    return 0
  if (!valid(candidate, digits, check.regions)) return 0
  // `+` leaves little doubt; a formatted national number is likely; bare digits lean on context.
  return international ? 0.85 : bare ? 0.4 : 0.55
}

export const phoneDetector: Detector = {
  name: 'phone',
  types: ['PHONE_NUMBER'],
  scan({ text, hint, window, phoneRegions }: ScanInput, out: PiiFinding[]): void {
    const hinted = hint?.boost.has('PHONE_NUMBER') === true
    for (const m of matches(CANDIDATE, text)) {
      if (touchesWord(text, m.index, m.index + m[0].length)) continue
      const check: Check = { text, start: m.index, hinted, window, regions: phoneRegions }
      let candidate = m[0]
      // A number may be followed by another one ("030 1234567 12 items"): retry without
      // the last group, twice at most, so each candidate costs a bounded number of parses.
      for (let tries = 0; tries < 3; tries++) {
        const s = score(candidate, check)
        if (s > 0) {
          out.push({
            type: 'PHONE_NUMBER',
            start: m.index,
            end: m.index + candidate.length,
            score: s,
            detector: 'phone',
          })
          break
        }
        // Only a short trailing group (a count, a quantity) is dropped: cutting longer
        // groups would turn card and reference numbers into phone-sized pieces.
        const cut = candidate.lastIndexOf(' ')
        if (cut < 7 || candidate.length - cut > 4) break
        candidate = candidate.slice(0, cut).replace(/[ .\-/(]+$/, '')
      }
    }
  },
}
