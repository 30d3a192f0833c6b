// What a value of a statement may be made of: the table columns whose values flow into it, and
// whether it is one of those values unchanged (direct) or computed from them. Masking follows
// lineages, not names: a column renamed by an alias, passed through a subquery, a CTE, a view or
// UNION ALL keeps its lineage, and anything computed from it is no longer direct.

/** A relation as masks name it: `table`, within `schema`. */
export interface RelationName {
  readonly schema: string
  readonly table: string
}

/** A column of a relation of the upstream. */
export interface SourceColumn extends RelationName {
  /** Unique per schema, table and column. */
  readonly key: string
  readonly column: string
  /** Tables it is also a column of (inheritance, partitions): their masks apply too. */
  readonly parents: readonly RelationName[]
  /** A column of pg_catalog or information_schema: metadata, never masked. */
  readonly system: boolean
}

export interface Lineage {
  readonly sources: readonly SourceColumn[]
  /** The value is one of the sources' values, unchanged. */
  readonly direct: boolean
}

/** Constants, parameters, and what is computed from nothing but them. */
export const CONSTANT: Lineage = Object.freeze({ sources: [], direct: false })

export function sourceColumn(
  relation: RelationName,
  column: string,
  parents: readonly RelationName[],
  system: boolean,
): SourceColumn {
  const key = JSON.stringify([relation.schema, relation.table, column])
  return { key, schema: relation.schema, table: relation.table, column, parents, system }
}

export function directLineage(source: SourceColumn): Lineage {
  return { sources: [source], direct: true }
}

/** A value computed from all of `parts`. */
export function derived(parts: readonly Lineage[]): Lineage {
  const sources = mergeSources(parts)
  return sources.length === 0 ? CONSTANT : { sources, direct: false }
}

/**
 * A value that is one of `parts` (UNION ALL, a column of same-named tables, a USING column):
 * direct when every part that holds column values is direct. A constant part does not make it
 * computed: a masking transform applied to a constant reveals nothing.
 */
export function alternatives(parts: readonly Lineage[]): Lineage {
  const sources = mergeSources(parts)
  if (sources.length === 0) return CONSTANT
  return { sources, direct: parts.every((p) => p.direct || p.sources.length === 0) }
}

function mergeSources(parts: readonly Lineage[]): SourceColumn[] {
  const seen = new Map<string, SourceColumn>()
  for (const part of parts) for (const s of part.sources) if (!seen.has(s.key)) seen.set(s.key, s)
  return [...seen.values()]
}

export function sameLineage(a: Lineage, b: Lineage): boolean {
  if (a.direct !== b.direct || a.sources.length !== b.sources.length) return false
  const keys = new Set(a.sources.map((s) => s.key))
  return b.sources.every((s) => keys.has(s.key))
}

/** True when every source of `inner` is a source of `outer`. */
export function coveredBy(inner: Lineage, outer: Lineage): boolean {
  const keys = new Set(outer.sources.map((s) => s.key))
  return inner.sources.every((s) => keys.has(s.key))
}

/** `table.column` (with the schema unless it is public), for messages. */
export function sourceLabel(source: SourceColumn): string {
  const table = source.schema === 'public' ? source.table : `${source.schema}.${source.table}`
  return `${table}.${source.column}`
}
