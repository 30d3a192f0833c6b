// Finds personal data in a text: runs the detectors, raises or lowers each candidate's
// score by the context words around it and the column it came from, drops what stays
// below the threshold and resolves overlaps. A pure function of the text and options.
import { type CountryCode, isSupportedCountry } from 'libphonenumber-js/max'
import { type ColumnHint, parseColumnHint } from './column-hint.ts'
import { type Around, anyIn, type ContextWindow, DEFAULT_WINDOW, wordsAround } from './context-score.ts'
import { CONTEXT_WORDS, CONTEXT_WORDS_BEFORE, NEGATIVE_WORDS } from './context-words.ts'
import { DETECTORS } from './detectors/all-detectors.ts'
import type { ScanInput } from './detectors/detector.ts'
import { DEFAULT_PHONE_REGIONS } from './detectors/phone-detector.ts'
import { ENTITY_TYPES, type EntityType, isEntityType, type PiiFinding } from './entity-types.ts'
import { PiiOptionError } from './pii-option-error.ts'
import { resolveOverlaps, sortFindings } from './resolve-overlaps.ts'
import { wholeValueFinding } from './whole-value.ts'

export interface PiiDetectorOptions {
  /** Only these types (default: all). Unknown names throw PiiOptionError. */
  readonly types?: readonly string[]
  /** Drop findings scoring below this, 0–1 (default 0.5). */
  readonly minScore?: number
  /** `resolve` (default) keeps the best of overlapping findings; `all` returns every one. */
  readonly overlaps?: 'resolve' | 'all'
  /** Words before and after a match searched for context words (default 5 and 2). */
  readonly contextWindow?: ContextWindow
  /** Regions whose national phone formats count (default US, GB, DE, FR, ES, IT, NL). */
  readonly phoneRegions?: readonly string[]
}

export interface PiiDetector {
  /** Findings in text order; `columnHint` is the name of the column the text came from. */
  detect(text: string, columnHint?: string): PiiFinding[]
}

export const DEFAULT_MIN_SCORE = 0.5
/** What a context word adds, as in Presidio's default context enhancer. */
export const CONTEXT_BOOST = 0.35
/** What a column named for the type adds: the column says more than a nearby word. */
export const HINT_BOOST = 0.4

function checkTypes(types: readonly string[] | undefined): ReadonlySet<EntityType> {
  if (types === undefined) return new Set(ENTITY_TYPES)
  return new Set(
    types.map((t, i) => {
      if (!isEntityType(t)) throw PiiOptionError.unknownType(t, i, ENTITY_TYPES)
      return t
    }),
  )
}

function checkOptions(options: PiiDetectorOptions): void {
  const { minScore, contextWindow: w } = options
  if (minScore !== undefined && !(minScore >= 0 && minScore <= 1))
    throw new PiiOptionError('minScore', `minScore must be between 0 and 1, got ${minScore}`, 'pass e.g. 0.5')
  const small = (n: number) => Number.isInteger(n) && n >= 0 && n <= 50
  if (w !== undefined && !(small(w.before) && small(w.after)))
    throw new PiiOptionError(
      'contextWindow',
      'context window sizes must be whole numbers of words, 0–50',
      'pass e.g. { before: 5, after: 2 }',
    )
  for (const [i, region] of (options.phoneRegions ?? []).entries())
    if (!isSupportedCountry(region))
      throw new PiiOptionError(
        `phoneRegions/${i}`,
        `unknown phone region '${region}'`,
        'use ISO 3166 alpha-2 codes such as DE',
      )
}

function near(around: Around, set: ReadonlySet<string> | undefined): boolean {
  return set !== undefined && (anyIn(around.before, set) || anyIn(around.after, set))
}

function adjust(f: PiiFinding, text: string, hint: ColumnHint | undefined, window: ContextWindow): number {
  let score = f.score
  const positive = CONTEXT_WORDS[f.type]
  const before = CONTEXT_WORDS_BEFORE[f.type]
  const negative = NEGATIVE_WORDS[f.type]
  if (positive !== undefined || negative !== undefined) {
    // One walk over the window serves every word list of the type.
    const around = wordsAround(text, f.start, f.end, window)
    if (near(around, positive) || (before !== undefined && anyIn(around.before, before)))
      score += CONTEXT_BOOST
    if (near(around, negative)) score -= CONTEXT_BOOST
  }
  if (hint?.boost.has(f.type) === true) score += HINT_BOOST
  // Two decimals: scores are compared and printed, and 0.30000000000000004 helps no one.
  return Math.round(Math.min(1, Math.max(0, score)) * 100) / 100
}

export function createPiiDetector(options: PiiDetectorOptions = {}): PiiDetector {
  checkOptions(options)
  const types = checkTypes(options.types)
  const minScore = options.minScore ?? DEFAULT_MIN_SCORE
  const window = options.contextWindow ?? DEFAULT_WINDOW
  const phoneRegions = (options.phoneRegions ?? DEFAULT_PHONE_REGIONS) as readonly CountryCode[]
  const detectors = DETECTORS.filter((d) => d.types.some((t) => types.has(t)))
  const hints = new Map<string, ColumnHint>()
  const hintFor = (name: string): ColumnHint => {
    let hint = hints.get(name)
    if (hint === undefined) {
      hint = parseColumnHint(name)
      // A detector serves one table's columns: a handful of names, kept for its lifetime.
      if (hints.size < 1000) hints.set(name, hint)
    }
    return hint
  }
  return {
    detect(text: string, columnHint?: string): PiiFinding[] {
      const hint = columnHint === undefined ? undefined : hintFor(columnHint)
      const input: ScanInput = { text, hint, window, phoneRegions, minScore, shared: {} }
      const raw: PiiFinding[] = []
      for (const detector of detectors) detector.scan(input, raw)
      const whole =
        hint?.whole === undefined || !types.has(hint.whole) ? undefined : wholeValueFinding(text, hint.whole)
      if (whole !== undefined) raw.push(whole)
      const kept: PiiFinding[] = []
      for (const f of raw) {
        if (!types.has(f.type)) continue
        const score = adjust(f, text, hint, window)
        if (score >= minScore) kept.push(score === f.score ? f : { ...f, score })
      }
      return options.overlaps === 'all' ? sortFindings(kept) : resolveOverlaps(kept)
    },
  }
}

/** One-off detection; build a detector with createPiiDetector to scan many texts. */
export function detectPii(
  text: string,
  options: PiiDetectorOptions & { readonly columnHint?: string } = {},
): PiiFinding[] {
  return createPiiDetector(options).detect(text, options.columnHint)
}
