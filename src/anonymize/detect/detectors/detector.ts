// The contract every detector implements: scan a text and report candidate findings
// with a base score. Context words, column hints, filtering and overlap resolution
// are applied afterwards by detectPii, the same way for every detector.
import type { CountryCode } from 'libphonenumber-js/max'
import type { ColumnHint } from '../column-hint.ts'
import type { ContextWindow } from '../context-score.ts'
import type { EntityType, PiiFinding } from '../entity-types.ts'

export interface ScanInput {
  readonly text: string
  readonly hint: ColumnHint | undefined
  readonly window: ContextWindow
  /** Regions whose national phone formats are recognised (international ones always are). */
  readonly phoneRegions: readonly CountryCode[]
  /** Findings below this are dropped later; a detector may skip work that cannot reach it. */
  readonly minScore: number
  /** Work one scan shares between detectors, such as the capitalised words. */
  readonly shared: ScanShared
}

export interface ScanShared {
  capitalised?: readonly CapitalisedWord[]
}

/** A capitalised word, or an initial such as `F.` (then `initial` is true). */
export interface CapitalisedWord {
  readonly start: number
  readonly end: number
  readonly text: string
  readonly initial: boolean
}

export interface Detector {
  readonly name: string
  readonly types: readonly EntityType[]
  scan(input: ScanInput, out: PiiFinding[]): void
}

/**
 * The matches of a global pattern, read with exec on the shared, precompiled regex.
 * `String.prototype.matchAll` would clone the regex on every call, which costs more than
 * the scan of a short text. Scans are synchronous and no detector nests a pattern in its
 * own loop, so the shared `lastIndex` is safe.
 */
export function* matches(re: RegExp, text: string): Generator<RegExpExecArray, void, undefined> {
  re.lastIndex = 0
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    // No pattern here matches the empty string; if one ever did, this keeps the loop finite.
    if (m[0] === '') re.lastIndex++
    yield m
  }
}
