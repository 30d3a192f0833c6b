// Character classes for the hand-written scanners and boundary checks. The ASCII
// fast path avoids a Unicode regex per character; only non-ASCII characters pay for it.

const LETTER_OR_DIGIT = /[\p{L}\p{N}\p{M}]/u
const LETTER = /[\p{L}\p{M}]/u

export function isAsciiDigit(code: number): boolean {
  return code >= 48 && code <= 57
}

export function isAsciiLetter(code: number): boolean {
  return (code >= 65 && code <= 90) || (code >= 97 && code <= 122)
}

/** A letter or digit in any script: what a word is made of for context words. */
export function isWordCode(text: string, at: number): boolean {
  const code = text.charCodeAt(at)
  if (code < 128) return isAsciiDigit(code) || isAsciiLetter(code)
  return LETTER_OR_DIGIT.test(text[at] ?? '')
}

/** A letter in any script. */
export function isLetterAt(text: string, at: number): boolean {
  const code = text.charCodeAt(at)
  if (code < 128) return isAsciiLetter(code)
  return LETTER.test(text[at] ?? '')
}

/** True when the character at `at` (if any) would extend an identifier: letter, digit or `_`. */
export function joinsIdentifier(text: string, at: number): boolean {
  if (at < 0 || at >= text.length) return false
  return text.charCodeAt(at) === 95 || isWordCode(text, at)
}

// Latin letters of the six languages (Latin-1 Supplement and Latin Extended-A, whose upper-
// and lower-case letters alternate, so both ranges hold all of it) and combining marks.
// Patterns use these without the `u` flag: V8 runs them two to three times faster than
// \p{…} classes, and a non-ASCII neighbour is checked in code instead (touchesWord).
export const LATIN_UPPER = 'A-Z\\u00c0-\\u00d6\\u00d8-\\u00de\\u0100-\\u017f'
export const LATIN_LOWER = 'a-z\\u00df-\\u00f6\\u00f8-\\u00ff\\u0100-\\u017f'
export const MARKS = '\\u0300-\\u036f'

/**
 * True when a non-ASCII letter or digit sits right before `start` or right at `end`:
 * the ASCII-only lookarounds of the patterns cannot see those, so a match glued to
 * "é" or "ß" is rejected here.
 */
export function touchesWord(text: string, start: number, end: number): boolean {
  if (start > 0 && text.charCodeAt(start - 1) >= 128 && isWordCode(text, start - 1)) return true
  return end < text.length && text.charCodeAt(end) >= 128 && isWordCode(text, end)
}
