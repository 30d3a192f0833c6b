// Passport numbers of the US, UK, France, Spain, Italy and the Netherlands (Germany's are
// in de-id-detector, which can check their digit). Passport numbers carry no printed check
// digit, and their shapes are shared with order and reference numbers, so they score low
// until "passport" (or the national word) is near; a country word there breaks ties
// between the shapes two countries share, such as nine digits for the US and the UK.
import { hasContextWord } from '../context-score.ts'
import type { EntityType, PiiFinding } from '../entity-types.ts'
import { touchesWord } from '../text-scan.ts'
import type { Detector, ScanInput } from './detector.ts'
import { matches } from './detector.ts'

interface Shape {
  readonly types: readonly EntityType[]
  readonly pattern: RegExp
}

const bounded = (body: string): RegExp =>
  new RegExp(`(?<![A-Za-z0-9_-])(?:${body})(?![A-Za-z0-9_]|-\\d)`, 'g')

const SHAPES: readonly Shape[] = [
  { types: ['US_PASSPORT', 'UK_PASSPORT'], pattern: bounded('\\d{9}') },
  { types: ['US_PASSPORT'], pattern: bounded('[A-Z]\\d{8}') },
  { types: ['FR_PASSPORT'], pattern: bounded('\\d{2}[A-Z]{2}\\d{5}') },
  { types: ['ES_PASSPORT'], pattern: bounded('[A-Z]{3}\\d{6}') },
  { types: ['IT_PASSPORT'], pattern: bounded('[A-Z]{2}\\d{7}') },
  // Dutch numbers never use the letter O, and end in a digit.
  { types: ['NL_PASSPORT'], pattern: bounded('[A-NP-Z]{2}[A-NP-Z0-9]{6}\\d') },
]

const words = (text: string): ReadonlySet<string> => new Set(text.split(' '))

/** Words naming the issuing country. */
const COUNTRY: ReadonlyMap<EntityType, ReadonlySet<string>> = new Map([
  ['US_PASSPORT', words('us usa american america states')],
  ['UK_PASSPORT', words('uk british britain gb hm kingdom')],
  ['FR_PASSPORT', words('french france français française francais')],
  ['ES_PASSPORT', words('spanish spain español española espanol españa')],
  ['IT_PASSPORT', words('italian italy italiano italiana italia')],
  ['NL_PASSPORT', words('dutch netherlands nederlands nederlandse nederland holland')],
])

const BASE = 0.2
const COUNTRY_BONUS = 0.1

export const passportDetector: Detector = {
  name: 'passport',
  types: ['US_PASSPORT', 'UK_PASSPORT', 'FR_PASSPORT', 'ES_PASSPORT', 'IT_PASSPORT', 'NL_PASSPORT'],
  scan({ text, window, hint, minScore }: ScanInput, out: PiiFinding[]): void {
    // Every passport word contains "pas" (passport, Reisepass, pasaporte, paspoort…). Without
    // one nearby and without a column hint, no match can reach the threshold: skip the work.
    const hinted = hint?.boost.has('US_PASSPORT') === true
    if (!hinted && minScore > BASE + COUNTRY_BONUS && !/pas/i.test(text)) return
    for (const shape of SHAPES)
      for (const m of matches(shape.pattern, text)) {
        if (touchesWord(text, m.index, m.index + m[0].length)) continue
        const end = m.index + m[0].length
        // Real numbers mix digits in; a run of capitals with one digit is a code word.
        if (/^0+$/.test(m[0])) continue
        for (const type of shape.types) {
          const cue = COUNTRY.get(type)
          const bonus =
            cue !== undefined && hasContextWord(text, m.index, end, cue, window) ? COUNTRY_BONUS : 0
          out.push({ type, start: m.index, end, score: BASE + bonus, detector: 'passport' })
        }
      }
  },
}
