// WITH clauses: each CTE's query is analyzed once and its output columns (with their lineages)
// declared for the queries that follow. A recursive CTE is analyzed until its columns stop
// changing: the recursive part reads the CTE's own rows, so their lineages feed back into it.
import type { CommonTableExpr, Node, WithClause } from 'libpg-query'
import { type Analyzer, OUTPUT, strings } from './analysis-types.ts'
import { refuseUnsupported } from './masking-refusal.ts'
import { renamed, type Shape, sameShape } from './output-shape.ts'
import type { Level } from './query-scope.ts'

/** Enough for any real recursion: each pass adds columns to lineages, which are finite. */
const MAX_PASSES = 16

export function declareCtes(a: Analyzer, withClause: WithClause | undefined, level: Level): void {
  for (const node of withClause?.ctes ?? []) {
    if (!('CommonTableExpr' in node)) throw refuseUnsupported('this WITH clause')
    const cte = node.CommonTableExpr
    if (cte.search_clause !== undefined || cte.cycle_clause !== undefined)
      throw refuseUnsupported('SEARCH or CYCLE in a recursive query')
    const shape =
      withClause?.recursive === true
        ? recursiveShape(a, cte, level)
        : a.query(cte.ctequery, level.child(), OUTPUT)
    level.ctes.set(cte.ctename ?? '', renamed(shape, strings(cte.aliascolnames)))
  }
}

function recursiveShape(a: Analyzer, cte: CommonTableExpr, level: Level): Shape {
  const query: Node | undefined = cte.ctequery
  const select = query !== undefined && 'SelectStmt' in query ? query.SelectStmt : undefined
  if (select?.op !== 'SETOP_UNION' || select.larg === undefined) return a.query(query, level.child(), OUTPUT)
  const names = strings(cte.aliascolnames)
  let shape = renamed(a.query({ SelectStmt: select.larg }, level.child(), OUTPUT), names)
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    const withSelf = level.child()
    withSelf.ctes.set(cte.ctename ?? '', shape)
    const next = renamed(a.query(query, withSelf.child(), OUTPUT), names)
    if (sameShape(next, shape)) return shape
    shape = next
  }
  throw refuseUnsupported(`the recursive query ${cte.ctename ?? ''}`)
}
