// `classify`: every statement of a SQL script, in order, with what it reads, writes and calls and
// whether it can change data or state — or PostgreSQL's reason for rejecting it. Pure: the
// upstream's function catalog and the session's prepared statements are passed in.
import type {
  Classification,
  FunctionCatalog,
  PreparedStatements,
  StatementResult,
} from './classification-types.ts'
import { classifyNode } from './statement-classifier.ts'
import { statementUnits } from './statement-units.ts'

/**
 * Classifies each statement of `sql` (a whole script). Call `initClassifier()` once first.
 * `catalog` gives the volatility of functions outside pg_catalog (unknown ones count as writes);
 * `prepared` what `EXECUTE name` runs (unknown ones count as writes). A `PREPARE`, `DEALLOCATE`
 * or `DISCARD ALL` in the script applies to the statements after it.
 */
export function classify(
  sql: string,
  catalog?: FunctionCatalog,
  prepared: PreparedStatements = new Map(),
): StatementResult[] {
  const known = new Map<string, Classification>(prepared)
  return statementUnits(sql).map((unit): StatementResult => {
    if ('error' in unit) return { location: unit.location, kind: 'error', error: unit.error }
    const c = classifyNode(unit.node, { catalog, prepared: known })
    if (c.prepared !== undefined) known.set(c.prepared.name, c.prepared.classification)
    if ('DeallocateStmt' in unit.node) {
      const { name, isall } = unit.node.DeallocateStmt
      if (isall === true) known.clear()
      else known.delete(name ?? '')
    }
    if ('DiscardStmt' in unit.node && unit.node.DiscardStmt.target === 'DISCARD_ALL') known.clear()
    return {
      location: unit.location,
      kind: c.kind,
      writes: c.writes,
      tables: c.tables,
      columns: c.columns,
      functions: c.functions,
      reasons: c.reasons,
      statement: c.statement,
      ...(c.prepared === undefined ? {} : { prepared: c.prepared }),
    }
  })
}
