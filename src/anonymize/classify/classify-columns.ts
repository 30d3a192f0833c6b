// Proposes a classification for each column of a table from its name and a sample of
// its values: the evidence is the name hint and the fraction of sampled values that are
// (or contain) each kind of personal data. A proposal for a person to confirm, not a
// verdict: when name and values disagree it keeps the name's class at low confidence,
// because a missed personal-data column costs more than a second look.
import { createPiiDetector, type PiiDetector, type PiiFinding, parseColumnHint } from '../detect/index.ts'
import { CLASS_RANK, classOf, type PiiClass } from './pii-classes.ts'

export interface ColumnSample {
  readonly name: string
  /** Sampled values; null, undefined and empty strings count as missing. */
  readonly values: readonly unknown[]
}

export interface ColumnEvidence {
  /** The class the column name alone suggests. */
  readonly nameHint: PiiClass | undefined
  /** Non-missing values examined. */
  readonly sampled: number
  /** Per class, the fraction of sampled values that are wholly of that class. */
  readonly matches: Readonly<Partial<Record<PiiClass, number>>>
  /** Per class, the fraction of sampled values that contain some of it (free text). */
  readonly contains: Readonly<Partial<Record<PiiClass, number>>>
}

export interface ColumnClassification {
  readonly column: string
  readonly classification: PiiClass
  /** 0–1. */
  readonly confidence: number
  readonly evidence: ColumnEvidence
}

export interface ClassifyOptions {
  /** At most this many non-missing values per column are scanned (default 200). */
  readonly maxSample?: number
  /** A detector to reuse; by default one with the standard options. */
  readonly detector?: PiiDetector
}

/** A finding is the whole value when it covers at least this share of it. */
const WHOLE = 0.8

function text(value: unknown): string | undefined {
  if (typeof value === 'string') return value.trim() === '' ? undefined : value
  if (typeof value === 'number' || typeof value === 'bigint') return String(value)
  return undefined
}

function nameHintOf(name: string): PiiClass | undefined {
  const hint = parseColumnHint(name)
  if (hint.whole !== undefined) return classOf(hint.whole)
  const classes = [...hint.boost]
    .map(classOf)
    .sort((a, b) => (CLASS_RANK.get(a) ?? 0) - (CLASS_RANK.get(b) ?? 0))
  return classes[0]
}

function tally(
  findings: readonly PiiFinding[],
  value: string,
  whole: Set<PiiClass>,
  some: Set<PiiClass>,
): void {
  const length = value.trim().length
  for (const f of findings) {
    const c = classOf(f.type)
    some.add(c)
    if (f.end - f.start >= WHOLE * length) whole.add(c)
  }
}

function best(fractions: Readonly<Partial<Record<PiiClass, number>>>): [PiiClass, number] | undefined {
  let top: [PiiClass, number] | undefined
  for (const [c, f] of Object.entries(fractions) as [PiiClass, number][])
    if (
      top === undefined ||
      f > top[1] ||
      (f === top[1] && (CLASS_RANK.get(c) ?? 0) < (CLASS_RANK.get(top[0]) ?? 0))
    )
      top = [c, f]
  return top
}

const round = (n: number): number => Math.round(n * 100) / 100

function decide(evidence: ColumnEvidence): [PiiClass, number] {
  const { nameHint, sampled, matches, contains } = evidence
  if (nameHint !== undefined) {
    const backed = matches[nameHint] ?? 0
    if (backed >= 0.5) return [nameHint, 0.5 + 0.45 * backed]
    // Nothing to contradict the name, or values that do not look like it: keep it, unsure.
    if (sampled === 0) return [nameHint, 0.5]
  }
  const whole = best(matches)
  if (whole !== undefined && whole[1] >= 0.5) return [whole[0], 0.9 * whole[1]]
  if (nameHint !== undefined) return [nameHint, 0.3]
  const some = best(contains)
  // Free text: a comment column where a fifth of the rows hold an email address is personal data.
  if (some !== undefined && some[1] >= 0.2) return [some[0], 0.8 * some[1]]
  return ['pii.none', sampled === 0 ? 0.3 : 1 - (some?.[1] ?? 0)]
}

function classifyColumn(
  column: ColumnSample,
  detector: PiiDetector,
  maxSample: number,
): ColumnClassification {
  const whole = new Map<PiiClass, number>()
  const some = new Map<PiiClass, number>()
  let sampled = 0
  for (const raw of column.values) {
    if (sampled >= maxSample) break
    const value = text(raw)
    if (value === undefined) continue
    sampled++
    const w = new Set<PiiClass>()
    const s = new Set<PiiClass>()
    tally(detector.detect(value, column.name), value, w, s)
    for (const c of w) whole.set(c, (whole.get(c) ?? 0) + 1)
    for (const c of s) some.set(c, (some.get(c) ?? 0) + 1)
  }
  const fractions = (counts: Map<PiiClass, number>) =>
    Object.fromEntries([...counts].map(([c, n]) => [c, round(n / sampled)])) as Partial<
      Record<PiiClass, number>
    >
  const evidence: ColumnEvidence = {
    nameHint: nameHintOf(column.name),
    sampled,
    matches: fractions(whole),
    contains: fractions(some),
  }
  const [classification, confidence] = decide(evidence)
  return { column: column.name, classification, confidence: round(confidence), evidence }
}

/** One proposal per column, in the order given. Pure: the same input gives the same output. */
export function classifyColumns(
  columns: readonly ColumnSample[],
  options: ClassifyOptions = {},
): ColumnClassification[] {
  const detector = options.detector ?? createPiiDetector()
  const maxSample = options.maxSample ?? 200
  return columns.map((column) => classifyColumn(column, detector, maxSample))
}
