// Sort and grouping keys (ORDER BY, GROUP BY, DISTINCT ON), which may name an output column by
// its alias or its position as well as by an expression: `ORDER BY 1` sorts by a masked column
// as surely as `ORDER BY ssn` does. ORDER BY and DISTINCT ON prefer an output alias, GROUP BY an
// input column, as PostgreSQL does. Every key is restricted.
import type { Node } from 'libpg-query'
import { type Analyzer, restricted, splitName, strings } from './analysis-types.ts'
import { checkOperator } from './expression-lineage.ts'
import { alternatives } from './lineage.ts'
import { lineageAt, type Shape } from './output-shape.ts'
import { type Level, resolveColumn } from './query-scope.ts'

export function outputKeys(
  a: Analyzer,
  keys: readonly Node[] | undefined,
  level: Level,
  outputs: Shape,
  clause: string,
  prefer: 'output' | 'input',
): void {
  const use = restricted(clause)
  for (const key of keys ?? []) {
    if ('GroupingSet' in key) {
      outputKeys(a, key.GroupingSet.content, level, outputs, clause, prefer)
      continue
    }
    const node = 'SortBy' in key ? key.SortBy.node : key
    if ('SortBy' in key) {
      const [schema, op] = splitName(strings(key.SortBy.useOp))
      if (op !== '') checkOperator(a, schema, op)
    }
    if (node === undefined) continue
    const position = 'A_Const' in node ? node.A_Const.ival : undefined
    if (position !== undefined) {
      a.readConstant()
      a.check(lineageAt(outputs, position.ival ?? 0), use)
      continue
    }
    const alias = aliasOf(node, outputs)
    const preferAlias = prefer === 'output' || resolveColumn(level, [bareName(node) ?? '']) === undefined
    if (alias !== undefined && preferAlias) a.check(alias, use)
    else a.expr(node, level, use)
  }
}

function bareName(node: Node): string | undefined {
  if (!('ColumnRef' in node)) return undefined
  const fields = node.ColumnRef.fields ?? []
  const [only] = fields
  return fields.length === 1 && only !== undefined && 'String' in only ? only.String.sval : undefined
}

function aliasOf(node: Node, outputs: Shape) {
  const name = bareName(node)
  if (name === undefined) return undefined
  const named = outputs.filter((item) => item.kind === 'column' && item.name === name)
  return named.length === 0 ? undefined : alternatives(named.map((item) => item.lineage))
}
