// The row transforms of a masked plan. Each result set is tied to the statement that produced it
// by counting the statements that return rows, and each field to an output column of that
// statement by position. PostgreSQL's own origin of a field (table OID and column number) is
// given only for a column passed through unchanged: it is checked against the position's column,
// and a disagreement counts both; where positions are uncertain (a spread), it decides. A field
// that cannot be tied to anything is masked by default when the statement reads a table with a
// masked column.
// Values of masked fields in binary format become NULL: a transform works on text.
import { DEFAULT_REDACTION, type Masker } from '../../anonymize/index.ts'
import type { RowColumn, RowDescription, RowTransform, RowTransformFactory } from '../wire/index.ts'
import { coveredBy, derived, type Lineage } from './lineage.ts'
import type { MaskRules, OutputTreatment } from './mask-rules.ts'
import type { OutputItem, Shape } from './output-shape.ts'
import type { AnalyzedStatement } from './statement-analysis.ts'

/** A field's origin from its table OID and column number: a lineage, unknown, or none given. */
export type FieldOrigin = (field: RowColumn) => Lineage | 'unknown' | undefined

export interface RowMaskingOptions {
  /** The statements that return rows, in order. */
  readonly statements: readonly AnalyzedStatement[]
  readonly rules: MaskRules
  /** The mask's transforms, compiled; `column(key)` masks by the transform of a mask key. */
  readonly masker: Masker
  readonly origin: FieldOrigin
}

export function rowMasking(options: RowMaskingOptions): RowTransformFactory {
  let next = 0
  return (description) => {
    // One statement answers every result set of its message (an Execute may run a portal in
    // parts); with several, a result set beyond those counted cannot be tied to one: unknown.
    const index = options.statements.length === 1 ? 0 : next++
    // A transform depends on the statement and on where PostgreSQL says each field comes from,
    // nothing else: a kept analysis (the same options, message after message) keeps its
    // transforms by those, and a prepared statement's rows pay for its treatments once.
    let kept = keptTransforms.get(options)
    if (kept === undefined) {
      kept = new Map()
      keptTransforms.set(options, kept)
    }
    const key = descriptionKey(index, description)
    const known = kept.get(key)
    if (known !== undefined) return known ?? undefined
    const made = transformFor(options, options.statements[index], description)
    if (kept.size >= MAX_KEPT_TRANSFORMS) kept.delete(kept.keys().next().value as string)
    kept.set(key, made ?? null)
    return made
  }
}

const keptTransforms = new WeakMap<RowMaskingOptions, Map<string, RowTransform | null>>()
const MAX_KEPT_TRANSFORMS = 64

function descriptionKey(index: number, description: RowDescription): string {
  let key = `${index}`
  for (const field of description) key += `|${field.tableOid}.${field.columnAttnum}.${field.format}`
  return key
}

function transformFor(
  options: RowMaskingOptions,
  statement: AnalyzedStatement | undefined,
  description: RowDescription,
): RowTransform | undefined {
  const readsMasked = options.statements.some((s) => s.readsMasked)
  const parsed = statement === undefined ? undefined : aligned(statement.shape, description.length)
  const unknownMasked = statement?.readsMasked ?? readsMasked
  const treatments = description.map((field, i) => {
    const lineage = fieldLineage(parsed?.[i], options.origin(field))
    if (lineage === 'unknown') return unknownMasked ? REDACT : KEEP
    return options.rules.treatment(lineage)
  })
  return treatments.every((t) => t.kind === 'keep')
    ? undefined
    : transform(description, treatments, options.masker)
}

const KEEP: OutputTreatment = { kind: 'keep' }
const REDACT: OutputTreatment = { kind: 'redact' }

/** What the statement says a field holds; `certain` when its position is known. */
interface Placed {
  readonly lineage: Lineage
  readonly certain: boolean
}

function fieldLineage(
  parsed: Placed | undefined,
  origin: Lineage | 'unknown' | undefined,
): Lineage | 'unknown' {
  if (origin === 'unknown') return 'unknown'
  if (parsed === undefined) return origin ?? 'unknown'
  if (origin === undefined) return parsed.lineage
  // PostgreSQL gives an origin only for a column passed through unchanged: where the position
  // is uncertain it decides; where the statement is certain, a disagreement counts both.
  if (!parsed.certain) return origin
  return coveredBy(origin, parsed.lineage) ? parsed.lineage : derived([parsed.lineage, origin])
}

/**
 * The lineage of each of `count` fields: position by position; around one spread, from both
 * ends; otherwise each field may be any output column.
 */
export function aligned(shape: Shape, count: number): Placed[] {
  const certain = (item: OutputItem | undefined): Placed => ({
    lineage: (item as OutputItem).lineage,
    certain: true,
  })
  const spreads = shape.filter((item) => item.kind === 'spread').length
  if (spreads === 0 && shape.length === count) return shape.map(certain)
  const anything: Placed = { lineage: derived(shape.map((item) => item.lineage)), certain: false }
  const at = shape.findIndex((item) => item.kind === 'spread')
  const head = shape.slice(0, at)
  const tail = shape.slice(at + 1)
  if (spreads !== 1 || head.length + tail.length > count) return Array.from({ length: count }, () => anything)
  const middle: Placed = { lineage: (shape[at] as OutputItem).lineage, certain: false }
  return Array.from({ length: count }, (_, i) =>
    i < head.length
      ? certain(head[i])
      : i >= count - tail.length
        ? certain(tail[i - (count - tail.length)])
        : middle,
  )
}

function transform(
  description: RowDescription,
  treatments: readonly OutputTreatment[],
  masker: Masker,
): RowTransform {
  const fns = treatments.map((t, i) => {
    if (t.kind === 'keep') return undefined
    if (description[i]?.format === 1) return () => null
    if (t.kind === 'redact') return () => DEFAULT_REDACTION
    const mask = masker.column(t.key)
    return (text: string) => asText(mask(text))
  })
  return {
    transform: (values) =>
      values.map((value, i) => {
        const fn = fns[i]
        return fn === undefined || value === null ? value : fn(value.toString('utf8'))
      }),
  }
}

function asText(value: unknown): string | null {
  if (value === null || value === undefined) return null
  if (typeof value === 'string') return value
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean')
    return String(value)
  if (value instanceof Date && !Number.isNaN(value.getTime())) return value.toISOString()
  return DEFAULT_REDACTION
}
