// SELECT, VALUES and set operations, wherever they appear. FROM items are read first, then every
// clause under its use: WHERE, GROUP BY, HAVING, windows, DISTINCT ON, ORDER BY, LIMIT and OFFSET
// are restricted; the select list takes the query's use. DISTINCT, UNION, INTERSECT and EXCEPT
// (all but UNION ALL) compare whole output rows, so their outputs are restricted.
import type { Node, SelectStmt } from 'libpg-query'
import { type Analyzer, narrow, restricted, type Use } from './analysis-types.ts'
import { declareCtes } from './cte-analysis.ts'
import { addFromItem } from './from-clause.ts'
import { windowDefinition } from './function-calls.ts'
import { alternatives } from './lineage.ts'
import { refuseUnsupported } from './masking-refusal.ts'
import { outputKeys } from './output-keys.ts'
import { column, type Shape, unionShapes } from './output-shape.ts'
import type { Level } from './query-scope.ts'
import { targetList } from './target-list.ts'

export function selectStatement(a: Analyzer, select: SelectStmt, level: Level, use: Use): Shape {
  declareCtes(a, select.withClause, level)
  if (select.op !== undefined && select.op !== 'SETOP_NONE') return setOperation(a, select, level, use)
  if (select.valuesLists !== undefined) return values(a, select, level, use)
  for (const item of select.fromClause ?? []) level.roots.push(addFromItem(a, item, level))
  a.expr(select.whereClause, level, restricted('WHERE'))
  const outputs = targetList(a, select.targetList, level, use)
  outputKeys(a, select.groupClause, level, outputs, 'GROUP BY', 'input')
  a.expr(select.havingClause, level, restricted('HAVING'))
  for (const node of select.windowClause ?? []) {
    if (!('WindowDef' in node)) throw refuseUnsupported('this WINDOW clause')
    windowDefinition(a, node.WindowDef, level, { kind: 'output' })
  }
  distinct(a, select, level, outputs)
  orderAndLimit(a, select, level, outputs)
  return outputs
}

function distinct(a: Analyzer, select: SelectStmt, level: Level, outputs: Shape): void {
  const clause = select.distinctClause
  if (clause === undefined) return
  const plain = clause.length === 1 && Object.keys(clause[0] ?? {}).length === 0
  if (plain) for (const item of outputs) a.check(item.lineage, restricted('SELECT DISTINCT', 'compare'))
  else outputKeys(a, clause, level, outputs, 'DISTINCT ON', 'output')
}

function orderAndLimit(a: Analyzer, select: SelectStmt, level: Level, outputs: Shape): void {
  outputKeys(a, select.sortClause, level, outputs, 'ORDER BY', 'output')
  a.expr(select.limitCount, level, restricted('LIMIT'))
  a.expr(select.limitOffset, level, restricted('OFFSET'))
  for (const node of select.lockingClause ?? [])
    if (!('LockingClause' in node)) throw refuseUnsupported('this locking clause')
}

function setOperation(a: Analyzer, select: SelectStmt, level: Level, use: Use): Shape {
  const name =
    select.op === 'SETOP_UNION' ? 'UNION' : select.op === 'SETOP_INTERSECT' ? 'INTERSECT' : 'EXCEPT'
  const compares = !(select.op === 'SETOP_UNION' && select.all === true)
  const inner = compares ? narrow(use, `${name}${select.all === true ? ' ALL' : ''}`, 'compare') : use
  const left = a.query(
    select.larg === undefined ? undefined : { SelectStmt: select.larg },
    level.child(),
    inner,
  )
  const right = a.query(
    select.rarg === undefined ? undefined : { SelectStmt: select.rarg },
    level.child(),
    inner,
  )
  const outputs = unionShapes(left, right)
  orderAndLimit(a, select, outputLevel(level, outputs), outputs)
  return outputs
}

function values(a: Analyzer, select: SelectStmt, level: Level, use: Use): Shape {
  const rows = (select.valuesLists ?? []).map((row: Node) => ('List' in row ? (row.List.items ?? []) : [row]))
  const width = Math.max(0, ...rows.map((r) => r.length))
  const lineages = rows.map((row) => row.map((expr) => a.expr(expr, level, use)))
  const outputs = Array.from({ length: width }, (_, i) =>
    column(`column${i + 1}`, alternatives(lineages.flatMap((row) => row.slice(i, i + 1)))),
  )
  orderAndLimit(a, select, outputLevel(level, outputs), outputs)
  return outputs
}

// ORDER BY of a set operation or VALUES sees the output columns only.
function outputLevel(level: Level, outputs: Shape): Level {
  const sortLevel = level.child()
  sortLevel.items.push({ name: '', schemas: [], shape: outputs })
  return sortLevel
}
