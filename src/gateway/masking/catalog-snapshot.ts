// What masking needs to know of an upstream's catalog, read once and shared by the plans of many
// statements: every relation (tables, views with their definitions, sequences) with its columns
// and parent tables, and the names of functions and operators defined outside the system schemas.
// Loaded through a CatalogQuery: jitgate's own side connection, not the client's session.
import { JitgateError } from '../../shared/index.ts'
import type { RelationName } from './lineage.ts'

/** Runs SQL on a side connection to the upstream with jitgate's own credentials. */
export type CatalogQuery = (
  sql: string,
  params?: readonly unknown[],
) => Promise<readonly Record<string, unknown>[]>

export const SYSTEM_SCHEMAS: ReadonlySet<string> = new Set(['pg_catalog', 'information_schema'])

export interface CatalogColumn {
  readonly attnum: number
  readonly name: string
}

export interface CatalogRelation extends RelationName {
  readonly oid: number
  /** `view` covers materialized views: both are read through their definitions. */
  readonly kind: 'table' | 'view' | 'sequence'
  /** In pg_catalog or information_schema. */
  readonly system: boolean
  readonly columns: readonly CatalogColumn[]
  /** pg_get_viewdef of a view outside the system schemas. */
  readonly definition: string | undefined
  /** Ancestors through inheritance and partitioning, nearest first. */
  readonly parents: readonly RelationName[]
}

const RELATIONS_SQL = `select c.oid::text as oid, n.nspname as schema, c.relname as name, c.relkind::text as kind,
  case when c.relkind in ('v', 'm') and n.nspname not in ('pg_catalog', 'information_schema')
    then pg_catalog.pg_get_viewdef(c.oid) end as definition
from pg_catalog.pg_class c join pg_catalog.pg_namespace n on n.oid = c.relnamespace
where c.relkind in ('r', 'p', 'f', 'v', 'm', 'S') and n.nspname <> 'pg_toast'`

const COLUMNS_SQL = `select a.attrelid::text as relid, a.attnum::int as num, a.attname as name
from pg_catalog.pg_attribute a join pg_catalog.pg_class c on c.oid = a.attrelid
where c.relkind in ('r', 'p', 'f', 'v', 'm', 'S') and a.attnum > 0 and not a.attisdropped
order by a.attrelid, a.attnum`

const INHERITS_SQL = `select inhrelid::text as child, inhparent::text as parent
from pg_catalog.pg_inherits order by inhseqno`

const USER_FUNCTIONS_SQL = `select distinct p.proname as name from pg_catalog.pg_proc p
join pg_catalog.pg_namespace n on n.oid = p.pronamespace
where n.nspname not in ('pg_catalog', 'information_schema')`

const USER_OPERATORS_SQL = `select distinct o.oprname as name from pg_catalog.pg_operator o
join pg_catalog.pg_namespace n on n.oid = o.oprnamespace
where n.nspname not in ('pg_catalog', 'information_schema')`

export class CatalogSnapshot {
  readonly #byOid: ReadonlyMap<number, CatalogRelation>
  readonly #byName = new Map<string, CatalogRelation[]>()

  constructor(
    relations: readonly CatalogRelation[],
    readonly userFunctions: ReadonlySet<string>,
    readonly userOperators: ReadonlySet<string>,
    /** When it was read, in milliseconds since the epoch. */
    readonly loadedAt: number,
  ) {
    this.#byOid = new Map(relations.map((r) => [r.oid, r]))
    for (const r of relations) {
      const list = this.#byName.get(r.table) ?? []
      list.push(r)
      this.#byName.set(r.table, list)
    }
  }

  byOid(oid: number): CatalogRelation | undefined {
    return this.#byOid.get(oid)
  }

  /** The relations a name may mean: in that schema, or in any schema when unqualified. */
  named(schema: string | undefined, name: string): readonly CatalogRelation[] {
    const all = this.#byName.get(name) ?? []
    return schema === undefined ? all : all.filter((r) => r.schema === schema)
  }

  /** True when a call may run a function defined in the database rather than a built-in one. */
  isUserFunction(schema: string | undefined, name: string): boolean {
    return schema === undefined ? this.userFunctions.has(name) : !SYSTEM_SCHEMAS.has(schema)
  }

  isUserOperator(schema: string | undefined, name: string): boolean {
    return schema === undefined ? this.userOperators.has(name) : !SYSTEM_SCHEMAS.has(schema)
  }
}

/** Reads the catalog of an upstream (five queries on the side connection). */
export async function loadCatalogSnapshot(query: CatalogQuery, loadedAt: number): Promise<CatalogSnapshot> {
  const relations = await query(RELATIONS_SQL)
  const columns = await query(COLUMNS_SQL)
  const inherits = await query(INHERITS_SQL)
  const functions = await query(USER_FUNCTIONS_SQL)
  const operators = await query(USER_OPERATORS_SQL)
  const columnsOf = new Map<number, CatalogColumn[]>()
  for (const row of columns) {
    const relid = oidField(row, 'relid')
    const list = columnsOf.get(relid) ?? []
    list.push({ attnum: intField(row, 'num'), name: textField(row, 'name') })
    columnsOf.set(relid, list)
  }
  const parentsOf = new Map<number, number[]>()
  for (const row of inherits) {
    const child = oidField(row, 'child')
    parentsOf.set(child, [...(parentsOf.get(child) ?? []), oidField(row, 'parent')])
  }
  const base = relations.map((row) => relationOf(row, columnsOf))
  const byOid = new Map(base.map((r) => [r.oid, r]))
  const withParents = base.map((r) => ({ ...r, parents: ancestors(r.oid, parentsOf, byOid) }))
  return new CatalogSnapshot(
    withParents,
    new Set(functions.map((row) => textField(row, 'name'))),
    new Set(operators.map((row) => textField(row, 'name'))),
    loadedAt,
  )
}

function relationOf(row: Record<string, unknown>, columnsOf: ReadonlyMap<number, CatalogColumn[]>) {
  const oid = oidField(row, 'oid')
  const schema = textField(row, 'schema')
  const relkind = textField(row, 'kind')
  const definition = row.definition
  return {
    oid,
    schema,
    table: textField(row, 'name'),
    kind: relkind === 'v' || relkind === 'm' ? 'view' : relkind === 'S' ? 'sequence' : 'table',
    system: SYSTEM_SCHEMAS.has(schema),
    columns: columnsOf.get(oid) ?? [],
    definition: typeof definition === 'string' ? definition : undefined,
    parents: [],
  } satisfies CatalogRelation
}

function ancestors(
  oid: number,
  parentsOf: ReadonlyMap<number, readonly number[]>,
  byOid: ReadonlyMap<number, CatalogRelation>,
): RelationName[] {
  const out: RelationName[] = []
  const seen = new Set<number>([oid])
  const queue = [...(parentsOf.get(oid) ?? [])]
  for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
    if (seen.has(next)) continue
    seen.add(next)
    const parent = byOid.get(next)
    if (parent !== undefined) out.push({ schema: parent.schema, table: parent.table })
    queue.push(...(parentsOf.get(next) ?? []))
  }
  return out
}

export class CatalogRowError extends JitgateError {
  constructor(field: string) {
    super('masking_catalog_invalid', `the upstream's catalog returned an unexpected ${field}`, {
      details: [{ path: field, message: 'catalog rows did not have the expected types' }],
    })
  }
}

function textField(row: Record<string, unknown>, field: string): string {
  const value = row[field]
  if (typeof value !== 'string') throw new CatalogRowError(field)
  return value
}

function intField(row: Record<string, unknown>, field: string): number {
  const value = row[field]
  if (typeof value !== 'number' || !Number.isInteger(value)) throw new CatalogRowError(field)
  return value
}

function oidField(row: Record<string, unknown>, field: string): number {
  const value = Number(textField(row, field))
  if (!Number.isInteger(value) || value < 0) throw new CatalogRowError(field)
  return value
}
