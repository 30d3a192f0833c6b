// Capitalised words and initials with their positions, computed once per scan and shared
// by the person and place detectors. Names are written capitalised in all six languages;
// what differs (German nouns, sentence starts) is sorted out by the word lists.
import { LATIN_LOWER, LATIN_UPPER, MARKS, touchesWord } from '../text-scan.ts'
import type { CapitalisedWord, ScanInput } from './detector.ts'
import { matches } from './detector.ts'

const U = `[${LATIN_UPPER}]`
const L = `[${LATIN_LOWER}${MARKS}]{1,30}`
const LETTER = `A-Za-z0-9_\\u00c0-\\u00d6\\u00d8-\\u00f6\\u00f8-\\u017f${MARKS}`
// O'Brien, McDonald, Jean-Luc, Müller, and initials (F.). Each part is bounded.
const WORD = new RegExp(
  `(?<![${LETTER}])(?:(?:${U}['’])?${U}${L}(?:${U}${L})?(?:-${U}${L})?|${U}\\.)(?![${LETTER}])`,
  'g',
)
const HAS_UPPER = new RegExp(U)

export function capitalisedWords(input: ScanInput): readonly CapitalisedWord[] {
  const cached = input.shared.capitalised
  if (cached !== undefined) return cached
  const words: CapitalisedWord[] = []
  // Nothing to find in a text without an upper-case letter; most machine values are such.
  if (HAS_UPPER.test(input.text))
    for (const m of matches(WORD, input.text)) {
      if (touchesWord(input.text, m.index, m.index + m[0].length)) continue
      words.push({ start: m.index, end: m.index + m[0].length, text: m[0], initial: m[0].endsWith('.') })
    }
  input.shared.capitalised = words
  return words
}

/** True when [from, to) of the text only separates two parts of one name. */
export function joinsName(text: string, from: number, to: number, particles: ReadonlySet<string>): boolean {
  if (to - from === 1) return text.charCodeAt(from) === 32
  if (to - from > 12 || text.charCodeAt(from) !== 32 || text.charCodeAt(to - 1) !== 32) return false
  // " van der ", " de la ", " di ": only lower-case name particles in between.
  const inner = text.slice(from + 1, to - 1).split(' ')
  return inner.length <= 3 && inner.every((w) => particles.has(w))
}

/** True when position `at` starts a sentence: text start, or after `.`, `!`, `?`, a quote or a line break. */
export function startsSentence(text: string, at: number): boolean {
  let i = at - 1
  while (i >= 0 && text.charCodeAt(i) === 32) i--
  if (i < 0) return true
  const c = text[i]
  return c === '.' || c === '!' || c === '?' || c === '\n' || c === '"' || c === '“'
}
