// Handlers for the expression nodes that matter to a classification: column references (what is
// read), function calls and operators (what may have side effects), and relations met outside a
// FROM clause (a LOCK, a TRUNCATE, a foreign key's target).
import type { FuncCall, Node } from 'libpg-query'
import { functionWriteReason, operatorWriteReason } from './function-volatility.ts'
import { columnUses } from './name-scope.ts'
import { type NodeHandlers, splitName, stringsOf, type Walker } from './walker-types.ts'

const OPERATOR = /^[~!@#^&|`?+\-*/%<>=]+$/

/** Records a call and, when the function may have side effects, why the statement writes. */
export function callFunction(call: FuncCall, w: Walker): void {
  const [schema, name] = splitName(stringsOf(call.funcname))
  // Special syntax (EXTRACT, SUBSTRING … FROM, AT TIME ZONE) calls pg_catalog functions by name.
  const sqlSyntax = call.funcformat === 'COERCE_SQL_SYNTAX' && schema === 'pg_catalog'
  w.facts.call(schema === undefined || sqlSyntax ? name : `${schema}.${name}`)
  const reason = functionWriteReason(schema, name, w.env.catalog)
  if (reason !== undefined) w.facts.because(reason)
}

/** An operator runs a function: judged like one. Keyword "operators" (BETWEEN) are skipped. */
function checkOperator(nameList: readonly Node[] | undefined, w: Walker): void {
  const [schema, name] = splitName(stringsOf(nameList))
  if (!OPERATOR.test(name)) return
  const reason = operatorWriteReason(schema, name, w.env.catalog)
  if (reason !== undefined) w.facts.because(reason)
}

export const expressionHandlers: NodeHandlers = {
  ColumnRef: (ref, scope, w) => {
    const names: string[] = []
    let star = false
    for (const field of ref.fields ?? []) {
      if ('String' in field) names.push(field.String.sval ?? '')
      else if ('A_Star' in field) star = true
    }
    for (const column of columnUses(names, star, scope)) {
      if (column.table !== undefined) w.facts.readTable(column.table)
      w.facts.readColumn(column.key)
    }
  },
  FuncCall: (call, scope, w) => {
    callFunction(call, w)
    w.walkFields(call, scope, ['funcname'])
  },
  A_Expr: (expr, scope, w) => {
    checkOperator(expr.name, w)
    w.walkFields(expr, scope, ['name'])
  },
  SubLink: (link, scope, w) => {
    checkOperator(link.operName, w)
    w.walkFields(link, scope, ['operName'])
  },
  SortBy: (sort, scope, w) => {
    checkOperator(sort.useOp, w)
    w.walkFields(sort, scope, ['useOp'])
  },
  RangeVar: (rel, scope, w) => {
    w.relation(rel, scope)
  },
  // A foreign key's or LIKE's table is read for its definition, not changed.
  Constraint: (constraint, scope, w) => {
    if (constraint.pktable !== undefined) w.relation(constraint.pktable, scope, 'read')
    w.walkFields(constraint, scope, ['pktable'])
  },
  TableLikeClause: (like, scope, w) => {
    if (like.relation !== undefined) w.relation(like.relation, scope, 'read')
  },
  // EXECUTE inside another statement (CREATE TABLE … AS EXECUTE): does what the prepared one does.
  ExecuteStmt: (execute, scope, w) => {
    executePrepared(execute.name ?? '', w)
    w.walk(execute.params, scope)
  },
}

/** Adds what executing a prepared statement does; an unknown one may do anything. */
export function executePrepared(name: string, w: Walker): void {
  const known = w.env.prepared.get(name)
  if (known === undefined) {
    w.facts.because(`EXECUTE of an unknown prepared statement ${name}`)
    return
  }
  if (known.writes) w.facts.because('EXECUTE of a prepared write')
  w.facts.merge(known)
}
