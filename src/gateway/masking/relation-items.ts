// FROM items for relations of the catalog: a table's columns are its own (direct lineages), a
// view's come from its definition (AnalysisEnv.relationShape). A name without a schema may mean
// a relation of that name in any schema: the item then holds the columns of all of them. The
// system relations that hold values of other tables' columns are refused outright.
import type { Alias } from 'libpg-query'
import { type AnalysisEnv, strings } from './analysis-types.ts'
import type { CatalogRelation } from './catalog-snapshot.ts'
import { alternatives, directLineage, type Lineage, sourceColumn } from './lineage.ts'
import { refuseRelation } from './masking-refusal.ts'
import { column, renamed, type Shape, spread, unionShapes } from './output-shape.ts'
import type { RangeItem } from './query-scope.ts'

/** Columns every table has and `*` leaves out. */
const SYSTEM_COLUMNS: ReadonlySet<string> = new Set(['tableoid', 'cmax', 'xmax', 'cmin', 'xmin', 'ctid'])

/** pg_catalog relations that hold values of other tables' columns or other sessions' statements. */
const REVEALING_RELATIONS: ReadonlyMap<string, string> = new Map([
  ['pg_statistic', 'it holds sampled values of every column'],
  ['pg_statistic_ext_data', 'it holds sampled values of every column'],
  ['pg_stats', 'it shows the most common values of every column'],
  ['pg_stats_ext', 'it shows the most common values of every column'],
  ['pg_stats_ext_exprs', 'it shows the most common values of every column'],
  ['pg_stat_activity', "it shows other sessions' statements, which may hold masked values"],
])

/** A table's (or a system relation's) columns as they are. */
export function tableShape(relation: CatalogRelation): Shape {
  return relation.columns.map((c) =>
    column(c.name, directLineage(sourceColumn(relation, c.name, relation.parents, relation.system))),
  )
}

export function checkReadable(relation: CatalogRelation): void {
  const why = relation.system ? REVEALING_RELATIONS.get(relation.table) : undefined
  if (why !== undefined)
    throw refuseRelation(`${relation.schema}.${relation.table}`, `Masking cannot follow it: ${why}.`)
}

/** The FROM item for the relations a name means (all of them when several schemas have it). */
export function relationItem(
  env: AnalysisEnv,
  relations: readonly CatalogRelation[],
  name: string,
  writtenSchema: string | undefined,
  alias: Alias | undefined,
): RangeItem {
  for (const r of relations) {
    checkReadable(r)
    env.touch(r)
  }
  const shapes = relations.map((r) => env.relationShape(r))
  const tables = relations.filter((r) => r.kind !== 'view')
  const aliased = alias?.aliasname !== undefined
  return {
    name: alias?.aliasname ?? name,
    schemas: aliased ? [] : writtenSchema !== undefined ? [writtenSchema] : relations.map((r) => r.schema),
    shape: renamed(sameColumns(shapes), strings(alias?.colnames)),
    ...(tables.length === 0 ? {} : { systemColumn: (col: string) => systemColumn(tables, col) }),
  }
}

function systemColumn(tables: readonly CatalogRelation[], name: string): Lineage | undefined {
  if (!SYSTEM_COLUMNS.has(name)) return undefined
  return alternatives(tables.map((t) => directLineage(sourceColumn(t, name, t.parents, t.system))))
}

// Same-named relations in several schemas: column by column when their columns match; else the
// positions are unknown (PostgreSQL's origin of each result field tells them apart), and a name
// means that column of each relation that has it.
function sameColumns(shapes: readonly Shape[]): Shape {
  const [first, ...rest] = shapes
  if (first === undefined) return []
  const names = (s: Shape) => s.map((item) => (item.kind === 'column' ? item.name : '*')).join('\0')
  if (rest.every((s) => names(s) === names(first))) return rest.reduce(unionShapes, first)
  const everything = alternatives(shapes.flat().map((item) => item.lineage))
  if (shapes.some((shape) => shape.some((item) => item.kind === 'spread' && item.names === undefined)))
    return [spread(everything)]
  const byName = new Map<string, Lineage[]>()
  for (const item of shapes.flat())
    if (item.kind === 'column') byName.set(item.name, [...(byName.get(item.name) ?? []), item.lineage])
  const named = new Map([...byName].map(([name, parts]) => [name, alternatives(parts)] as const))
  return [spread(everything, named)]
}
