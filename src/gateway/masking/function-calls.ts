// Function calls under masking. Functions defined in the database are refused outright: jitgate
// cannot see what their bodies read or raise. So are built-ins that run SQL given as text or read
// what a statement does not name (query_to_xml, pg_read_file, logical decoding…). A masked value
// may flow through a few built-ins that cannot fail or multiply rows on any value, and the
// result is redacted; every other function takes masked values nowhere (restricted arguments).
import type { FuncCall, Node, WindowDef } from 'libpg-query'
import { OPAQUE_READ_FUNCTIONS } from '../classify/index.ts'
import { type Analyzer, narrow, splitName, strings, type Use } from './analysis-types.ts'
import { CONSTANT, derived, type Lineage } from './lineage.ts'
import { refuseFunction } from './masking-refusal.ts'
import type { Level } from './query-scope.ts'

/** Built-ins that read files, logs, WAL or other sessions' statements. */
const REVEALING_FUNCTIONS: ReadonlySet<string> = new Set([
  'pg_read_file',
  'pg_read_binary_file',
  'lo_import',
  'lo_export',
  'pg_stat_get_activity',
  'pg_stat_get_backend_activity',
  'pg_logical_slot_get_changes',
  'pg_logical_slot_peek_changes',
  'pg_logical_slot_get_binary_changes',
  'pg_logical_slot_peek_binary_changes',
])

/** Built-ins that take masked values in any argument: total over text, no rows added. */
const SAFE_ANY_ARGUMENT: ReadonlySet<string> = new Set([
  ...['upper', 'lower', 'initcap', 'length', 'char_length', 'character_length', 'octet_length'],
  ...['bit_length', 'md5', 'concat', 'concat_ws', 'btrim', 'ltrim', 'rtrim', 'quote_literal'],
  ...['quote_nullable', 'quote_ident', 'to_json', 'row_to_json', 'json_build_array', 'json_build_object'],
  ...['count', 'min', 'max'],
])

/** Built-ins that take a masked value in their first argument only (the rest are positions). */
const SAFE_FIRST_ARGUMENT: ReadonlySet<string> = new Set(['substr', 'left', 'right', 'substring'])

export function functionCall(a: Analyzer, call: FuncCall, level: Level, use: Use): Lineage {
  const [schema, name] = splitName(strings(call.funcname))
  checkCallable(a, schema, name)
  const shown = schema === undefined ? name : `${schema}.${name}`
  const args = call.args ?? []
  const inputs = args.map((arg, i) => a.expr(unnamed(arg), level, argumentUse(a, call, name, i, use, shown)))
  if (call.agg_filter !== undefined) a.expr(call.agg_filter, level, narrow(use, 'an aggregate FILTER'))
  const orderClause = call.agg_within_group === true ? 'WITHIN GROUP (ORDER BY)' : 'an aggregate ORDER BY'
  for (const key of call.agg_order ?? []) a.expr(key, level, narrow(use, orderClause))
  if (call.over !== undefined) windowDefinition(a, call.over, level, use)
  return call.agg_star === true ? CONSTANT : derived(inputs)
}

/** PARTITION BY, ORDER BY and frame offsets compare and sort values: restricted. */
export function windowDefinition(a: Analyzer, window: WindowDef, level: Level, use: Use): void {
  a.exprs(window.partitionClause, level, narrow(use, 'a window PARTITION BY'))
  a.exprs(window.orderClause, level, narrow(use, 'a window ORDER BY'))
  a.expr(window.startOffset, level, narrow(use, 'a window frame'))
  a.expr(window.endOffset, level, narrow(use, 'a window frame'))
}

function checkCallable(a: Analyzer, schema: string | undefined, name: string): void {
  const shown = schema === undefined ? name : `${schema}.${name}`
  const builtinApplies = schema === undefined || schema === 'pg_catalog'
  if (builtinApplies && (OPAQUE_READ_FUNCTIONS.has(name) || REVEALING_FUNCTIONS.has(name)))
    throw refuseFunction(shown, 'It reads data the statement does not name, which masking cannot follow.')
  if (a.env.snapshot.isUserFunction(schema, name))
    throw refuseFunction(
      shown,
      'It is defined in the database (or shares its name with a function that is): jitgate cannot see what its body reads or reveals, so masked access allows built-in functions only.',
    )
}

function argumentUse(a: Analyzer, call: FuncCall, name: string, index: number, use: Use, shown: string): Use {
  const why = `the arguments of ${shown}`
  if (call.agg_distinct === true) return narrow(use, 'an aggregate DISTINCT', 'compare')
  if (SAFE_ANY_ARGUMENT.has(name)) return use
  if (name === 'substring' && index === 0) a.readConstant()
  if (SAFE_FIRST_ARGUMENT.has(name) && index === 0 && (name !== 'substring' || positionsOnly(call)))
    return use
  return narrow(use, why, 'compute')
}

// substring(x, 'pattern') runs a regular expression over x: only integer positions are safe.
function positionsOnly(call: FuncCall): boolean {
  return (call.args ?? []).slice(1).every((arg) => 'A_Const' in arg && arg.A_Const.ival !== undefined)
}

function unnamed(arg: Node): Node {
  return 'NamedArgExpr' in arg && arg.NamedArgExpr.arg !== undefined ? arg.NamedArgExpr.arg : arg
}
