// FROM items and WITH clauses: what names a query brings into reach (tables, subqueries, CTEs,
// functions, joins), so that its column references can be tied to tables.
import type { Alias, JoinExpr, Node, RangeVar, WithClause } from 'libpg-query'
import { functionWriteReason } from './function-volatility.ts'
import { quoteName, type RangeEntry, type Scope } from './name-scope.ts'
import { dataModifyingVerb, splitName, stringsOf, type Walker } from './walker-types.ts'

/** Declares a WITH clause's CTEs in `scope`, walking each query; a DML one is a data-modifying CTE. */
export function declareCtes(withClause: WithClause | undefined, scope: Scope, w: Walker): void {
  for (const node of withClause?.ctes ?? []) {
    if (!('CommonTableExpr' in node)) {
      w.walk(node, scope)
      continue
    }
    const cte = node.CommonTableExpr
    const name = cte.ctename ?? ''
    if (withClause?.recursive === true) scope.ctes.add(name)
    const verb = dataModifyingVerb(cte.ctequery)
    w.walk(cte.ctequery, scope.child(verb === undefined ? {} : { nestedIn: 'data-modifying CTE' }))
    w.walkFields(cte, scope, ['ctequery'])
    scope.ctes.add(name)
  }
}

/** Records a table (or a CTE reference) used as a FROM item and brings it into reach. */
export function addRelation(
  rel: RangeVar,
  scope: Scope,
  w: Walker,
  role: 'read' | 'write',
): string | undefined {
  const relname = rel.relname ?? ''
  const alias = rel.alias?.aliasname
  if (rel.schemaname === undefined && role === 'read' && scope.hasCte(relname)) {
    scope.entries.push({ name: alias ?? relname })
    return undefined
  }
  const table = w.relation(rel, scope, role)
  const entry: RangeEntry =
    alias === undefined
      ? { name: relname, table, ...(rel.schemaname === undefined ? {} : { schema: rel.schemaname }) }
      : { name: alias, table }
  scope.entries.push(entry)
  return table
}

/** Walks one FROM item, adding what it brings into reach to `scope`. */
export function addFromItem(node: Node, scope: Scope, w: Walker): void {
  if ('RangeVar' in node) {
    addRelation(node.RangeVar, scope, w, 'read')
  } else if ('RangeSubselect' in node) {
    // The subquery sees the items before it (LATERAL); a non-LATERAL one never names them.
    w.walk(node.RangeSubselect.subquery, scope)
    addDerived(node.RangeSubselect.alias, '', scope)
  } else if ('JoinExpr' in node) {
    addJoin(node.JoinExpr, scope, w)
  } else if ('RangeFunction' in node) {
    const fn = node.RangeFunction
    w.walkFields(fn, scope, ['alias'])
    addDerived(fn.alias, firstFunctionName(fn.functions), scope)
  } else if ('RangeTableSample' in node) {
    const sample = node.RangeTableSample
    if (sample.relation !== undefined) addFromItem(sample.relation, scope, w)
    checkSampleMethod(stringsOf(sample.method), w)
    w.walkFields(sample, scope, ['relation', 'method'])
  } else if ('RangeTableFunc' in node) {
    w.walkFields(node.RangeTableFunc, scope, ['alias'])
    addDerived(node.RangeTableFunc.alias, 'xmltable', scope)
  } else if ('JsonTable' in node) {
    w.walkFields(node.JsonTable, scope, ['alias'])
    addDerived(node.JsonTable.alias, 'json_table', scope)
  } else {
    w.walk(node, scope)
  }
}

function addJoin(join: JoinExpr, scope: Scope, w: Walker): void {
  const before = scope.entries.length
  if (join.larg !== undefined) addFromItem(join.larg, scope, w)
  const middle = scope.entries.length
  if (join.rarg !== undefined) addFromItem(join.rarg, scope, w)
  // USING (id) compares the column of the table on each side.
  for (const column of stringsOf(join.usingClause)) {
    for (const side of [scope.entries.slice(before, middle), scope.entries.slice(middle)]) {
      const [only] = side
      if (side.length === 1 && only?.table !== undefined)
        w.facts.readColumn(`${only.table}.${quoteName(column)}`)
    }
  }
  w.walk(join.quals, scope)
  if (join.alias !== undefined) addDerived(join.alias, '', scope)
  if (join.join_using_alias !== undefined) addDerived(join.join_using_alias, '', scope)
}

function addDerived(alias: Alias | undefined, fallback: string, scope: Scope): void {
  scope.entries.push({ name: alias?.aliasname ?? fallback })
}

function firstFunctionName(functions: readonly Node[] | undefined): string {
  const [first] = functions ?? []
  const call = first !== undefined && 'List' in first ? first.List.items?.[0] : undefined
  return call !== undefined && 'FuncCall' in call ? splitName(stringsOf(call.FuncCall.funcname))[1] : ''
}

// TABLESAMPLE's method is a function; the two built-in methods only pick rows.
function checkSampleMethod(method: readonly string[], w: Walker): void {
  const [schema, name] = splitName(method)
  const builtin =
    (schema === undefined || schema === 'pg_catalog') && (name === 'system' || name === 'bernoulli')
  const reason = builtin ? undefined : functionWriteReason(schema, name, w.env.catalog)
  if (reason !== undefined) w.facts.because(`TABLESAMPLE ${reason}`)
}
