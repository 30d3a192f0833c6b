// Cities and countries named in text, looked up in the place lists from each capitalised
// word, longest name first ("Frankfurt am Main" before "Frankfurt"). Names that are also
// everyday words or given names score lower, so that "in", "from" or "city" must be near.
import type { PiiFinding } from '../entity-types.ts'
import { LATIN_LOWER, LATIN_UPPER } from '../text-scan.ts'
import { capitalisedWords } from './capitalised-words.ts'
import type { Detector, ScanInput } from './detector.ts'
import { CITIES, COUNTRIES, MAX_PLACE_WORDS } from './place-lexicon.ts'

/** Place names that are as often something else: a verb, a noun, a person. */
const AMBIGUOUS = new Set([
  'Nice',
  'Essen',
  'Tours',
  'Reading',
  'Bath',
  'Florence',
  'Santiago',
  'Washington',
  'Austin',
  'Nancy',
  'Victoria',
  'Phoenix',
  'Como',
  'Lima',
  'Bruno',
  'Simon',
  'Bonn',
])

// One more word after a space: letters, apostrophes and hyphens, bounded.
const NEXT_WORD = new RegExp(` [${LATIN_UPPER}${LATIN_LOWER}'’-]{1,24}`, 'y')

export const placeDetector: Detector = {
  name: 'place',
  types: ['LOCATION'],
  scan(input: ScanInput, out: PiiFinding[]): void {
    const { text } = input
    let covered = 0
    for (const word of capitalisedWords(input)) {
      if (word.start < covered || word.initial) continue
      // The ends of the one-, two- and three-word phrases starting here.
      const ends = [word.end]
      while (ends.length < MAX_PLACE_WORDS) {
        NEXT_WORD.lastIndex = ends[ends.length - 1] ?? 0
        const m = NEXT_WORD.exec(text)
        if (m === null) break
        ends.push(NEXT_WORD.lastIndex)
      }
      for (let k = ends.length - 1; k >= 0; k--) {
        const end = ends[k] ?? 0
        const phrase = text.slice(word.start, end)
        const city = CITIES.has(phrase)
        if (!city && !COUNTRIES.has(phrase)) continue
        const score = AMBIGUOUS.has(phrase) ? 0.4 : city ? 0.65 : 0.6
        out.push({ type: 'LOCATION', start: word.start, end, score, detector: 'place' })
        covered = end
        break
      }
    }
  },
}
