// A value from a column named for people or places (first_name, surname, city, street)
// is a name or an address as a whole, whatever it looks like, unless it is empty, a
// placeholder, or plainly something else (digits only, an email address, a URL).
import type { PiiFinding } from './entity-types.ts'

const PLACEHOLDERS = new Set([
  'n/a',
  'na',
  'null',
  'none',
  'unknown',
  'nil',
  '-',
  '--',
  'tbd',
  'test',
  'redacted',
])
const PERSON_SHAPE = /^[\p{L}\p{M}][\p{L}\p{M}'’.,\- ]{0,98}$/u
const HAS_LETTER = /\p{L}/u

/** Score of a whole-value finding: the column name is strong evidence, the shape a check. */
const WHOLE_SCORE = 0.6

export function wholeValueFinding(text: string, type: 'PERSON' | 'LOCATION'): PiiFinding | undefined {
  const trimmed = text.trim()
  if (trimmed === '' || trimmed.length > 200 || PLACEHOLDERS.has(trimmed.toLowerCase())) return undefined
  if (type === 'PERSON') {
    if (!PERSON_SHAPE.test(trimmed) || trimmed.split(' ').length > 6) return undefined
  } else if (!HAS_LETTER.test(trimmed) || trimmed.includes('@') || trimmed.includes('://')) return undefined
  const start = text.indexOf(trimmed)
  return { type, start, end: start + trimmed.length, score: WHOLE_SCORE, detector: 'column-hint' }
}
