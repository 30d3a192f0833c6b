// A select list (or RETURNING list): the output columns, `*` and `t.*` expanded from the FROM
// items' columns, each with its lineage. The list is analyzed under the query's use: output for a
// result that goes to the client or to an outer query, restricted for one that is copied or
// compared (INSERT … SELECT, IN (SELECT …)).
import type { Node } from 'libpg-query'
import { type Analyzer, narrow, splitName, strings, type Use } from './analysis-types.ts'
import { refuseUnresolved, refuseUnsupported } from './masking-refusal.ts'
import { column, type OutputItem } from './output-shape.ts'
import { type Level, resolveStar } from './query-scope.ts'

export function targetList(
  a: Analyzer,
  targets: readonly Node[] | undefined,
  level: Level,
  use: Use,
): OutputItem[] {
  const out: OutputItem[] = []
  for (const node of targets ?? []) {
    if (!('ResTarget' in node)) throw refuseUnsupported('this select list')
    const { val, name } = node.ResTarget
    const star = val !== undefined ? starQualifier(val) : undefined
    if (star !== undefined) {
      const found = resolveStar(level, star)
      if (found === undefined) throw refuseUnresolved([...star, '*'].join('.'))
      const effective = found.lateral ? narrow(use, 'a LATERAL reference') : use
      for (const item of found.shape) a.check(item.lineage, effective)
      out.push(...found.shape)
    } else {
      out.push(column(name ?? outputName(val), a.expr(val, level, use)))
    }
  }
  return out
}

/** The qualifier of `*` or `t.*` as a whole select-list entry, else undefined. */
function starQualifier(val: Node): string[] | undefined {
  if (!('ColumnRef' in val)) return undefined
  const fields = val.ColumnRef.fields ?? []
  const last = fields[fields.length - 1]
  return last !== undefined && 'A_Star' in last ? strings(fields.slice(0, -1)) : undefined
}

/** The name PostgreSQL gives an output column without an alias. */
export function outputName(val: Node | undefined): string {
  if (val === undefined) return '?column?'
  if ('ColumnRef' in val) return strings(val.ColumnRef.fields).at(-1) ?? '?column?'
  if ('FuncCall' in val) return splitName(strings(val.FuncCall.funcname))[1]
  if ('TypeCast' in val) {
    const inner = outputName(val.TypeCast.arg)
    return inner === '?column?' ? splitName(strings(val.TypeCast.typeName?.names))[1] : inner
  }
  if ('A_Indirection' in val)
    return strings(val.A_Indirection.indirection).at(-1) ?? outputName(val.A_Indirection.arg)
  if ('CaseExpr' in val) return 'case'
  return '?column?'
}
