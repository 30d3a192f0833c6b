// Finds the words around a match, for context words: whole words only, within a window of
// words before and after it. The scan is bounded in characters as well as words, so a long
// run of punctuation or one huge word costs a constant per finding, not the text length.
import { isWordCode } from './text-scan.ts'

/** How far to look: `before` words before the match and `after` words after it. */
export interface ContextWindow {
  readonly before: number
  readonly after: number
}

export const DEFAULT_WINDOW: ContextWindow = { before: 5, after: 2 }

/** Longer words are not in any context list; reading further would only cost time. */
const MAX_WORD = 40
/** Characters examined per direction at most, separators included. */
const MAX_SCAN = 400

/** The lower-cased words around a match, nearest first on each side. */
export interface Around {
  readonly before: readonly string[]
  readonly after: readonly string[]
}

const NONE: readonly string[] = []

function wordsBefore(text: string, start: number, count: number): readonly string[] {
  if (count === 0) return NONE
  const words: string[] = []
  let i = start - 1
  const lowest = Math.max(0, start - MAX_SCAN)
  while (words.length < count && i >= lowest) {
    while (i >= lowest && !isWordCode(text, i)) i--
    if (i < lowest) break
    const wordEnd = i + 1
    while (i >= lowest && isWordCode(text, i)) i--
    // A word cut by the scan limit is not a whole word.
    if (i < lowest && lowest > 0) break
    if (wordEnd - i - 1 <= MAX_WORD) words.push(text.slice(i + 1, wordEnd).toLowerCase())
    else words.push('')
  }
  return words
}

function wordsAfter(text: string, end: number, count: number): readonly string[] {
  if (count === 0) return NONE
  const words: string[] = []
  let j = end
  const highest = Math.min(text.length, end + MAX_SCAN)
  while (words.length < count && j < highest) {
    while (j < highest && !isWordCode(text, j)) j++
    if (j >= highest) break
    const wordStart = j
    while (j < highest && isWordCode(text, j)) j++
    if (j >= highest && highest < text.length) break
    words.push(j - wordStart <= MAX_WORD ? text.slice(wordStart, j).toLowerCase() : '')
  }
  return words
}

export function wordsAround(text: string, start: number, end: number, window: ContextWindow): Around {
  return { before: wordsBefore(text, start, window.before), after: wordsAfter(text, end, window.after) }
}

export function anyIn(words: readonly string[], set: ReadonlySet<string>): boolean {
  for (const w of words) if (set.has(w)) return true
  return false
}

/** True when one of `words` occurs as a whole word within the window around [start, end). */
export function hasContextWord(
  text: string,
  start: number,
  end: number,
  words: ReadonlySet<string>,
  window: ContextWindow,
): boolean {
  const around = wordsAround(text, start, end, window)
  return anyIn(around.before, words) || anyIn(around.after, words)
}
