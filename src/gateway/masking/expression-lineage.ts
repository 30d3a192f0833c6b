// The lineage of expressions, node type by node type, and the use each part of an expression is
// analyzed under. A value stays under the caller's use only through what cannot fail on it or
// compare it (a few functions, `||`, COALESCE, CASE results, ROW and ARRAY, casts to text);
// everything else (comparisons, arithmetic, other casts, CASE conditions, subscripts) restricts
// its operands, so a masked column there refuses the statement. Unknown node types are refused.
import type { A_Expr, ColumnRef, Node, SubLink, TypeName } from 'libpg-query'
import {
  type Analyzer,
  type ExprHandler,
  type ExprHandlers,
  type NodeType,
  narrow,
  OUTPUT,
  splitName,
  strings,
  type Use,
  unwrap,
} from './analysis-types.ts'
import { functionCall } from './function-calls.ts'
import { CONSTANT, derived, type Lineage } from './lineage.ts'
import { refuseFunction, refuseUnresolved, refuseUnsupported } from './masking-refusal.ts'
import { wholeRow } from './output-shape.ts'
import { type Level, resolveColumn, resolveStar } from './query-scope.ts'

/** Casts to these cannot fail: they print the value (or cut it, for varchar(n) and char(n)). */
const TEXT_TYPES: ReadonlySet<string> = new Set(['text', 'varchar', 'bpchar', 'char', 'name'])

const OPERATOR = /^[~!@#^&|`?+\-*/%<>=]+$/

/** Nodes that hold no column and compute nothing from one. */
const CONSTANT_NODES: ReadonlySet<string> = new Set([
  ...['A_Const', 'ParamRef', 'SQLValueFunction', 'SetToDefault', 'CurrentOfExpr', 'TypeName'],
  ...['String', 'Integer', 'Float', 'Boolean', 'BitString', 'A_Star'],
])

/** XML and JSON constructs: their operands are restricted (they parse, validate and can fail). */
const RESTRICTING_NODES: ReadonlySet<string> = new Set([
  ...['XmlExpr', 'XmlSerialize', 'JsonObjectConstructor', 'JsonArrayConstructor', 'JsonParseExpr'],
  ...['JsonScalarExpr', 'JsonSerializeExpr', 'JsonIsPredicate', 'JsonFuncExpr', 'JsonKeyValue'],
  ...['JsonValueExpr', 'JsonOutput', 'JsonFormat', 'JsonReturning', 'JsonBehavior', 'JsonArgument'],
  ...['ResTarget', 'JsonObjectAgg', 'JsonArrayAgg', 'JsonAggConstructor'],
])

function columnRef(ref: ColumnRef, level: Level, use: Use, a: Analyzer): Lineage {
  const names: string[] = []
  let star = false
  for (const field of ref.fields ?? []) {
    if ('String' in field) names.push(field.String.sval ?? '')
    else if ('A_Star' in field) star = true
  }
  const found = star ? resolveStar(level, names) : resolveColumn(level, names)
  if (found === undefined) throw refuseUnresolved([...names, ...(star ? ['*'] : [])].join('.'))
  const lineage = 'shape' in found ? wholeRow(found.shape) : found.lineage
  a.check(lineage, found.lateral ? narrow(use, 'a LATERAL reference') : use)
  return lineage
}

function typeCast(arg: Node | undefined, type: TypeName | undefined, level: Level, use: Use, a: Analyzer) {
  const [schema, name] = splitName(strings(type?.names))
  const toText =
    TEXT_TYPES.has(name) &&
    (schema === undefined || schema === 'pg_catalog') &&
    type?.arrayBounds === undefined
  return derived([a.expr(arg, level, toText ? use : narrow(use, `a cast to ${name}`, 'compute'))])
}

function operatorExpr(expr: A_Expr, level: Level, use: Use, a: Analyzer): Lineage {
  const [schema, op] = splitName(strings(expr.name))
  checkOperator(a, schema, op)
  if (joinsMaskedKeys(expr, op, level, a)) return CONSTANT
  const concat = expr.kind === 'AEXPR_OP' && op === '||'
  const inner = concat ? use : narrow(use, operatorClause(expr, op), 'compute')
  return derived([a.expr(expr.lexpr, level, inner), a.expr(expr.rexpr, level, inner)])
}

// `o.customer_id = c.id` with both pseudonymized alike: equality of the masked values, which the
// results show anyway. Any other comparison of a masked column stays restricted.
function joinsMaskedKeys(expr: A_Expr, op: string, level: Level, a: Analyzer): boolean {
  const equality =
    (expr.kind === 'AEXPR_OP' && ['=', '<>', '!='].includes(op)) ||
    expr.kind === 'AEXPR_DISTINCT' ||
    expr.kind === 'AEXPR_NOT_DISTINCT'
  const { lexpr, rexpr } = expr
  if (!equality || lexpr === undefined || rexpr === undefined) return false
  if (!('ColumnRef' in lexpr) || !('ColumnRef' in rexpr)) return false
  return a.env.rules.equalAsMasked(a.expr(lexpr, level, OUTPUT), a.expr(rexpr, level, OUTPUT))
}

function operatorClause(expr: A_Expr, op: string): string {
  switch (expr.kind) {
    case 'AEXPR_OP':
      return `the operator ${op}`
    case 'AEXPR_OP_ANY':
    case 'AEXPR_OP_ALL':
      return `${op} ANY/ALL`
    case 'AEXPR_IN':
      return 'IN (…)'
    case 'AEXPR_LIKE':
      return 'LIKE'
    case 'AEXPR_ILIKE':
      return 'ILIKE'
    case 'AEXPR_SIMILAR':
      return 'SIMILAR TO'
    case 'AEXPR_NULLIF':
      return 'NULLIF'
    case 'AEXPR_DISTINCT':
    case 'AEXPR_NOT_DISTINCT':
      return 'IS DISTINCT FROM'
    default:
      return 'BETWEEN'
  }
}

/** User-defined operators run functions jitgate cannot see into, as user functions do. */
export function checkOperator(a: Analyzer, schema: string | undefined, op: string): void {
  if (OPERATOR.test(op) && a.env.snapshot.isUserOperator(schema, op))
    throw refuseFunction(
      `behind the operator ${op}`,
      'An operator of that name is defined in the database: jitgate cannot see what its function reads or reveals.',
    )
}

function subLink(link: SubLink, level: Level, use: Use, a: Analyzer): Lineage {
  const [schema, op] = splitName(strings(link.operName))
  if (op !== '') checkOperator(a, schema, op)
  const child = level.child()
  switch (link.subLinkType) {
    case 'EXISTS_SUBLINK':
      a.query(link.subselect, child, OUTPUT)
      return CONSTANT
    case 'EXPR_SUBLINK':
    case 'ARRAY_SUBLINK':
    case 'MULTIEXPR_SUBLINK':
      return wholeRow(a.query(link.subselect, child, use))
    case 'ANY_SUBLINK':
    case 'ALL_SUBLINK':
    case 'ROWCOMPARE_SUBLINK': {
      const compared = narrow(use, 'a comparison with a subquery (IN, ANY, ALL)')
      return derived([
        a.expr(link.testexpr, level, compared),
        wholeRow(a.query(link.subselect, child, compared)),
      ])
    }
    default:
      throw refuseUnsupported(`a subquery of type ${String(link.subLinkType)}`)
  }
}

const HANDLERS: ExprHandlers = {
  ColumnRef: columnRef,
  FuncCall: (call, level, use, a) => functionCall(a, call, level, use),
  TypeCast: (cast, level, use, a) => typeCast(cast.arg, cast.typeName, level, use, a),
  A_Expr: operatorExpr,
  SubLink: subLink,
  CollateClause: (c, level, use, a) => derived([a.expr(c.arg, level, use)]),
  CoalesceExpr: (c, level, use, a) => a.exprs(c.args, level, use),
  RowExpr: (row, level, use, a) => a.exprs(row.args, level, use),
  A_ArrayExpr: (array, level, use, a) => a.exprs(array.elements, level, use),
  List: (list, level, use, a) => a.exprs(list.items, level, use),
  NamedArgExpr: (named, level, use, a) => a.expr(named.arg, level, use),
  MultiAssignRef: (ref, level, use, a) => a.expr(ref.source, level, use),
  BoolExpr: (b, level, use, a) => a.exprs(b.args, level, narrow(use, 'AND, OR or NOT', 'compute')),
  NullTest: (t, level, use, a) => derived([a.expr(t.arg, level, narrow(use, 'IS NULL', 'compute'))]),
  BooleanTest: (t, level, use, a) => derived([a.expr(t.arg, level, narrow(use, 'IS TRUE', 'compute'))]),
  MinMaxExpr: (m, level, use, a) => a.exprs(m.args, level, narrow(use, 'GREATEST or LEAST', 'compute')),
  GroupingFunc: (g, level, use, a) => a.exprs(g.args, level, narrow(use, 'GROUPING')),
  SortBy: (sort, level, use, a) => {
    const [schema, op] = splitName(strings(sort.useOp))
    if (op !== '') checkOperator(a, schema, op)
    return a.expr(sort.node, level, use)
  },
  CaseExpr: (c, level, use, a) => {
    a.expr(c.arg, level, narrow(use, 'CASE'))
    const results = (c.args ?? []).map((when) => {
      if (!('CaseWhen' in when)) throw refuseUnsupported('this CASE expression')
      a.expr(when.CaseWhen.expr, level, narrow(use, 'a CASE condition'))
      return a.expr(when.CaseWhen.result, level, use)
    })
    return derived([...results, a.expr(c.defresult, level, use)])
  },
  A_Indirection: (ind, level, use, a) => {
    for (const part of ind.indirection ?? []) {
      if (!('A_Indices' in part)) continue
      a.expr(part.A_Indices.lidx, level, narrow(use, 'an array subscript'))
      a.expr(part.A_Indices.uidx, level, narrow(use, 'an array subscript'))
    }
    return derived([a.expr(ind.arg, level, use)])
  },
}

/** The lineage of one expression node under `use`. */
export function expressionLineage(a: Analyzer, node: Node, level: Level, use: Use): Lineage {
  const unwrapped = unwrap(node)
  if (unwrapped === undefined) return CONSTANT
  const { type, body } = unwrapped
  if (CONSTANT_NODES.has(type)) return CONSTANT
  if (RESTRICTING_NODES.has(type))
    return restrictingNode(a, body, level, narrow(use, 'an XML or JSON expression', 'compute'))
  const handler = HANDLERS[type as NodeType] as ExprHandler<NodeType> | undefined
  if (handler === undefined) throw refuseUnsupported(`${type} in an expression`)
  return handler(body as never, level, use, a)
}

// Walks every node inside, directly or within plain structs and lists.
function restrictingNode(a: Analyzer, body: object, level: Level, use: Use): Lineage {
  const parts: Lineage[] = []
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) for (const item of value) visit(item)
    else if (unwrap(value) !== undefined) parts.push(a.expr(value as Node, level, use))
    else if (typeof value === 'object' && value !== null) for (const v of Object.values(value)) visit(v)
  }
  visit(body)
  return derived(parts)
}
