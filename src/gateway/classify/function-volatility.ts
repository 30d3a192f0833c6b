// Whether calling a function (or an operator, which calls one) can change data or state, judged
// by volatility: the built-ins' from a table generated off a real PostgreSQL
// (scripts/generate-function-volatility.ts), user-defined ones' from the upstream's catalog.
// A volatile function counts as a write unless it is on the short list below; an unknown
// function counts as a write, always.
import builtins from './builtin-functions.json' with { type: 'json' }
import type { FunctionCatalog, Volatility } from './classification-types.ts'

function volatilityMap(entries: Readonly<Record<string, string>>): ReadonlyMap<string, Volatility> {
  const map = new Map<string, Volatility>()
  for (const [name, v] of Object.entries(entries)) {
    if (v !== 'i' && v !== 's' && v !== 'v')
      throw new Error(`builtin-functions.json: bad volatility for ${name}`)
    map.set(name, v)
  }
  return map
}

const BUILTIN_FUNCTIONS = volatilityMap(builtins.functions)
const BUILTIN_OPERATORS = volatilityMap(builtins.operators)

/**
 * Volatile built-ins that change nothing and read nothing the statement does not name: they
 * are volatile only because each call may return something new.
 */
export const HARMLESS_VOLATILE_FUNCTIONS: ReadonlySet<string> = new Set([
  // randomness (setseed is not here: it changes the session's generator)
  'random',
  'random_normal',
  'gen_random_uuid',
  'uuidv4',
  'uuidv7',
  'array_shuffle',
  'array_sample',
  // the clock
  'clock_timestamp',
  'timeofday',
  // sizes, which psql's \d+ and \l+ ask for
  'pg_relation_size',
  'pg_table_size',
  'pg_indexes_size',
  'pg_total_relation_size',
  'pg_database_size',
  'pg_tablespace_size',
])

/**
 * Built-ins that run SQL given as a string or read whole tables, schemas or databases named by a
 * value: the statement does not show what they read, so they are never a plain read.
 */
export const OPAQUE_READ_FUNCTIONS: ReadonlySet<string> = new Set([
  'query_to_xml',
  'query_to_xml_and_xmlschema',
  'query_to_xmlschema',
  'cursor_to_xml',
  'cursor_to_xmlschema',
  'table_to_xml',
  'table_to_xml_and_xmlschema',
  'schema_to_xml',
  'schema_to_xml_and_xmlschema',
  'database_to_xml',
  'database_to_xml_and_xmlschema',
  'ts_stat',
  'ts_rewrite',
])

/** Why calling this function makes a statement a write, or undefined when it does not. */
export function functionWriteReason(
  schema: string | undefined,
  name: string,
  catalog: FunctionCatalog | undefined,
): string | undefined {
  const shown = schema === undefined ? name : `${schema}.${name}`
  // pg_catalog is searched first for an unqualified name, but an overload elsewhere may win.
  const builtinApplies = schema === undefined || schema === 'pg_catalog'
  if (builtinApplies && OPAQUE_READ_FUNCTIONS.has(name))
    return `function ${shown} reads data the statement does not name`
  const builtin = builtinApplies ? BUILTIN_FUNCTIONS.get(name) : undefined
  const user = schema === 'pg_catalog' ? undefined : catalog?.functionVolatility(schema, name)
  if (builtin === undefined && user === undefined) return `unknown function ${shown}`
  if (user === 'v' || (builtin === 'v' && !HARMLESS_VOLATILE_FUNCTIONS.has(name)))
    return `volatile function ${shown}`
  return undefined
}

/** Why using this operator makes a statement a write, or undefined when it does not. */
export function operatorWriteReason(
  schema: string | undefined,
  name: string,
  catalog: FunctionCatalog | undefined,
): string | undefined {
  const shown = schema === undefined ? name : `OPERATOR(${schema}.${name})`
  const builtin = schema === undefined || schema === 'pg_catalog' ? BUILTIN_OPERATORS.get(name) : undefined
  const user = schema === 'pg_catalog' ? undefined : catalog?.operatorVolatility(schema, name)
  if (builtin === undefined && user === undefined) return `unknown operator ${shown}`
  if (user === 'v' || builtin === 'v') return `volatile operator ${shown}`
  return undefined
}

/** One row of the upstream's catalog: a function or operator outside pg_catalog. */
export interface CatalogEntry {
  readonly schema: string
  readonly name: string
  readonly volatility: Volatility
}

/** Asks the upstream for its functions' volatility; rows fit `functionCatalog`. */
export const USER_FUNCTIONS_SQL = `select n.nspname as schema, p.proname as name, max(p.provolatile) as volatility
from pg_proc p join pg_namespace n on n.oid = p.pronamespace
where n.nspname <> 'pg_catalog' group by n.nspname, p.proname`

/** Asks the upstream for its operators' volatility (that of the function behind each). */
export const USER_OPERATORS_SQL = `select n.nspname as schema, o.oprname as name, max(p.provolatile) as volatility
from pg_operator o join pg_namespace n on n.oid = o.oprnamespace join pg_proc p on p.oid = o.oprcode
where n.nspname <> 'pg_catalog' group by n.nspname, o.oprname`

/** A catalog over the upstream's rows; an unqualified name takes the most volatile of any schema. */
export function functionCatalog(
  functions: Iterable<CatalogEntry>,
  operators: Iterable<CatalogEntry> = [],
): FunctionCatalog {
  const fns = indexEntries(functions)
  const ops = indexEntries(operators)
  return {
    functionVolatility: (schema, name) =>
      (schema === undefined ? fns.byName : fns.qualified).get(qualify(schema, name)),
    operatorVolatility: (schema, name) =>
      (schema === undefined ? ops.byName : ops.qualified).get(qualify(schema, name)),
  }
}

function qualify(schema: string | undefined, name: string): string {
  return schema === undefined ? name : `${schema}.${name}`
}

function indexEntries(entries: Iterable<CatalogEntry>) {
  const qualified = new Map<string, Volatility>()
  const byName = new Map<string, Volatility>()
  for (const e of entries) {
    qualified.set(qualify(e.schema, e.name), most(qualified.get(qualify(e.schema, e.name)), e.volatility))
    byName.set(e.name, most(byName.get(e.name), e.volatility))
  }
  return { qualified, byName }
}

function most(a: Volatility | undefined, b: Volatility): Volatility {
  return a === undefined || b > a ? b : a
}
