// Which transform of a mask applies to a column of the upstream, and so which columns are masked
// (any transform but keep). Masks and classifications name `table.column` without a schema, so
// a table matches by its name in every schema: a client cannot dodge a mask by naming another
// schema or changing search_path. A `schema.table.column` key applies first when present. A
// partition or child table also takes the masks of its parents. Columns of pg_catalog and
// information_schema are metadata and never masked.
import { resolveColumn } from '../../anonymize/index.ts'
import type { FieldTransform } from '../../policy/index.ts'
import type { Lineage, RelationName, SourceColumn } from './lineage.ts'

/** A transform and the mask key it came from (undefined: no key, e.g. the implicit keep). */
export interface KeyedTransform {
  readonly key: string | undefined
  readonly transform: FieldTransform
}

/** What an output value gets: kept, masked by the transform of a mask key, or redacted. */
export type OutputTreatment =
  | { readonly kind: 'keep' }
  | { readonly kind: 'mask'; readonly key: string }
  | { readonly kind: 'redact' }

const KEEP: KeyedTransform = { key: undefined, transform: { transform: 'keep', params: {} } }
const CONFLICT: KeyedTransform = { key: undefined, transform: { transform: 'redact', params: {} } }

export type Mask = Readonly<Record<string, FieldTransform>>

/** Transforms that give equal outputs exactly for equal inputs (within one purpose and key). */
const DETERMINISTIC: ReadonlySet<string> = new Set(['pseudonym', 'token', 'fpe'])

export class MaskRules {
  readonly #mask: Mask
  readonly #classOf: (field: string) => string | undefined
  readonly #memo = new Map<string, KeyedTransform>()

  constructor(mask: Mask, classOf: (field: string) => string | undefined) {
    this.#mask = mask
    this.#classOf = classOf
  }

  /** True when the mask has any entry that masks. */
  get masksAnything(): boolean {
    return Object.values(this.#mask).some((t) => t.transform !== 'keep')
  }

  transformOf(source: SourceColumn): KeyedTransform {
    const known = this.#memo.get(source.key)
    if (known !== undefined) return known
    const found = source.system
      ? KEEP
      : strictest([source, ...source.parents].map((relation) => this.#forRelation(relation, source.column)))
    this.#memo.set(source.key, found)
    return found
  }

  isMasked(source: SourceColumn): boolean {
    return this.transformOf(source).transform.transform !== 'keep'
  }

  /** The first masked column a value may hold, for a refusal to name. */
  firstMasked(lineage: Lineage): SourceColumn | undefined {
    return lineage.sources.find((s) => this.isMasked(s))
  }

  /**
   * An output value: kept when no masked column flows into it; a column passed through keeps its
   * own transform (one of several columns, their common transform); anything computed from a
   * masked column, or holding columns masked differently, is redacted.
   */
  treatment(lineage: Lineage): OutputTreatment {
    const masked = lineage.sources
      .map((s) => this.transformOf(s))
      .filter((t) => t.transform.transform !== 'keep')
    if (masked.length === 0) return { kind: 'keep' }
    if (!lineage.direct) return { kind: 'redact' }
    const chosen = strictest(masked)
    return chosen.key === undefined ? { kind: 'redact' } : { kind: 'mask', key: chosen.key }
  }

  /**
   * True when `a = b` compares nothing the results would not show: both are masked columns passed
   * through, all under one deterministic transform (pseudonym, token, fpe), so equal values give
   * equal masked values. That is what lets tables join on pseudonymized keys.
   */
  equalAsMasked(a: Lineage, b: Lineage): boolean {
    if (!a.direct || !b.direct || a.sources.length === 0 || b.sources.length === 0) return false
    const transforms = [...a.sources, ...b.sources].map((s) => this.transformOf(s))
    const [first] = transforms
    return (
      first !== undefined &&
      first.key !== undefined &&
      DETERMINISTIC.has(first.transform.transform) &&
      transforms.every((t) => t.key !== undefined && sameTransform(t.transform, first.transform))
    )
  }

  #forRelation(relation: RelationName, column: string): KeyedTransform {
    const qualified = `${relation.schema}.${relation.table}.${column}`
    const own = Object.hasOwn(this.#mask, qualified) ? this.#mask[qualified] : undefined
    if (own !== undefined) return { key: qualified, transform: own }
    return resolveColumn(this.#mask, column, { table: relation.table, classOf: this.#classOf })
  }
}

/** One transform for several that apply: keeps drop out; equal ones agree; others redact. */
function strictest(candidates: readonly KeyedTransform[]): KeyedTransform {
  const masking = candidates.filter((c) => c.transform.transform !== 'keep')
  const [first] = masking
  if (first === undefined) return KEEP
  return masking.every((c) => sameTransform(c.transform, first.transform)) ? first : CONFLICT
}

export function sameTransform(a: FieldTransform, b: FieldTransform): boolean {
  return a.transform === b.transform && canonical(a.params) === canonical(b.params)
}

function canonical(params: FieldTransform['params'] | undefined): string {
  const entries = Object.entries(params ?? {}).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))
  return JSON.stringify(entries)
}
