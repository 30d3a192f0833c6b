// FROM items: what each brings into reach (tables, views, subqueries, CTEs, functions, joins) and
// what `*` expands to. Join conditions (ON, USING, NATURAL) compare values: restricted. The
// arguments of a function in FROM are restricted too (a function can turn a value into rows:
// `unnest(string_to_array(ssn, ''))`), so a function's columns hold no masked value.
import type { JoinExpr, Node, RangeFunction, RangeVar } from 'libpg-query'
import { type Analyzer, restricted, splitName, strings } from './analysis-types.ts'
import { alternatives, CONSTANT, type Lineage } from './lineage.ts'
import { refuseUnsupported, UnknownRelationError } from './masking-refusal.ts'
import { column, columnLineage, hasSpread, renamed, type Shape, spread } from './output-shape.ts'
import type { Level, RangeItem } from './query-scope.ts'
import { relationItem } from './relation-items.ts'

/** Adds a FROM item to `level` and returns what `*` expands to for it. */
export function addFromItem(a: Analyzer, node: Node, level: Level): Shape {
  if ('RangeVar' in node) return addItem(level, rangeVarItem(a, node.RangeVar, level)).shape
  if ('RangeSubselect' in node) {
    const sub = node.RangeSubselect
    const shape = a.query(sub.subquery, level.child(true), { kind: 'output' })
    const alias = sub.alias
    return addItem(level, {
      name: alias?.aliasname ?? '',
      schemas: [],
      shape: renamed(shape, strings(alias?.colnames)),
    }).shape
  }
  if ('JoinExpr' in node) return addJoin(a, node.JoinExpr, level)
  if ('RangeFunction' in node) return addItem(level, functionItem(a, node.RangeFunction, level)).shape
  if ('RangeTableSample' in node) {
    const sample = node.RangeTableSample
    const [schema, method] = splitName(strings(sample.method))
    const builtin =
      (schema === undefined || schema === 'pg_catalog') && ['system', 'bernoulli'].includes(method)
    if (!builtin) throw refuseUnsupported(`the TABLESAMPLE method ${method}`)
    a.exprs(sample.args, level, restricted('TABLESAMPLE'))
    a.expr(sample.repeatable, level, restricted('TABLESAMPLE'))
    if (sample.relation === undefined) throw refuseUnsupported('TABLESAMPLE without a relation')
    return addFromItem(a, sample.relation, level)
  }
  const [type] = Object.keys(node)
  throw refuseUnsupported(`${type ?? 'this item'} in FROM`)
}

/**
 * The item a relation name brings: a CTE in reach of `level`, else the catalog's relations of
 * that name (a statement's target, which cannot be a CTE, passes no level).
 */
export function rangeVarItem(a: Analyzer, rel: RangeVar, level: Level | undefined): RangeItem {
  const name = rel.relname ?? ''
  const alias = rel.alias
  const cte = rel.schemaname === undefined ? level?.cte(name) : undefined
  if (cte !== undefined)
    return { name: alias?.aliasname ?? name, schemas: [], shape: renamed(cte, strings(alias?.colnames)) }
  const relations = a.env.snapshot.named(rel.schemaname, name)
  if (relations.length === 0)
    throw new UnknownRelationError(rel.schemaname === undefined ? name : `${rel.schemaname}.${name}`)
  return relationItem(a.env, relations, name, rel.schemaname, alias)
}

function addItem(level: Level, item: RangeItem): RangeItem {
  level.items.push(item)
  return item
}

function functionItem(a: Analyzer, fn: RangeFunction, level: Level): RangeItem {
  const inner = level.child(true)
  const names: string[] = []
  let exact = fn.coldeflist !== undefined
  for (const entry of fn.functions ?? []) {
    const [call, coldefs] = 'List' in entry ? (entry.List.items ?? []) : []
    a.expr(call, inner, restricted('the arguments of a function in FROM'))
    const defined = columnDefNames(coldefs)
    if (defined.length > 0) names.push(...defined)
    else exact = false
  }
  names.push(...columnDefNames(fn.coldeflist))
  const alias = fn.alias
  const shape: Shape = [
    ...names.map((n) => column(n, CONSTANT)),
    ...(exact ? [] : [spread(CONSTANT)]),
    ...(fn.ordinality === true ? [column('ordinality', CONSTANT)] : []),
  ]
  return {
    name: alias?.aliasname ?? functionName(fn),
    schemas: [],
    shape: renamed(shape, strings(alias?.colnames)),
  }
}

function columnDefNames(list: Node | readonly Node[] | undefined): string[] {
  const items = Array.isArray(list)
    ? list
    : list !== undefined && 'List' in list
      ? (list.List.items ?? [])
      : []
  return items.flatMap((n: Node) => ('ColumnDef' in n ? [n.ColumnDef.colname ?? ''] : []))
}

function functionName(fn: RangeFunction): string {
  const [first] = fn.functions ?? []
  const call = first !== undefined && 'List' in first ? first.List.items?.[0] : undefined
  return call !== undefined && 'FuncCall' in call ? splitName(strings(call.FuncCall.funcname))[1] : ''
}

function addJoin(a: Analyzer, join: JoinExpr, level: Level): Shape {
  if (join.larg === undefined || join.rarg === undefined) throw refuseUnsupported('a join without two sides')
  const left = addFromItem(a, join.larg, level)
  const right = addFromItem(a, join.rarg, level)
  const using = join.isNatural === true ? naturalColumns(left, right) : strings(join.usingClause)
  const merged = using.map((name) => {
    const sides = [usingSide(left, name), usingSide(right, name)] as const
    const lineage = alternatives(sides)
    if (!a.env.rules.equalAsMasked(...sides))
      a.check(lineage, restricted(join.isNatural === true ? 'a NATURAL JOIN' : 'JOIN … USING'))
    return column(name, lineage)
  })
  a.expr(join.quals, level, restricted('a JOIN condition'))
  const rest = (shape: Shape) => shape.filter((item) => item.kind !== 'column' || !using.includes(item.name))
  const shape = [...merged, ...rest(left), ...rest(right)]
  if (join.alias?.aliasname !== undefined)
    addItem(level, {
      name: join.alias.aliasname,
      schemas: [],
      shape: renamed(shape, strings(join.alias.colnames)),
    })
  if (join.join_using_alias?.aliasname !== undefined)
    addItem(level, { name: join.join_using_alias.aliasname, schemas: [], shape: merged })
  return shape
}

function usingSide(shape: Shape, name: string): Lineage {
  const found = columnLineage(shape, name)
  if (found === undefined)
    throw refuseUnsupported(`JOIN … USING (${name}) with a side that has no such column`)
  return found.lineage
}

function naturalColumns(left: Shape, right: Shape): string[] {
  if (hasSpread(left) || hasSpread(right))
    throw refuseUnsupported('a NATURAL JOIN with a relation whose columns jitgate does not know')
  const names = (s: Shape) => s.flatMap((item) => (item.kind === 'column' ? [item.name] : []))
  const rightNames = new Set(names(right))
  return names(left).filter((n) => rightNames.has(n))
}
