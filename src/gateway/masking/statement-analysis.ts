// One statement of a masked actor: which kinds run, and what each returns. Queries and data
// changes are analyzed; a few commands that touch no data run as they are; EXPLAIN, COPY … TO,
// cursors, EXECUTE (the policy gate hands masking the query of a lone EXECUTE instead), DO/CALL
// and schema changes are refused, each with why. PREPARE is analyzed as its query would run.
import type { CopyStmt, CreateTableAsStmt, Node } from 'libpg-query'
import { OUTPUT, restricted, unwrap } from './analysis-types.ts'
import { rangeVarItem } from './from-clause.ts'
import { CONSTANT } from './lineage.ts'
import { refuseStatement, refuseUnresolved, refuseUnsupported } from './masking-refusal.ts'
import { column, columnLineage, type Shape } from './output-shape.ts'
import { Level } from './query-scope.ts'
import type { StatementAnalyzer } from './statement-analyzer.ts'

export interface AnalyzedStatement {
  /** Whether it answers with a RowDescription and rows (a SELECT, a RETURNING, SHOW). */
  readonly returnsRows: boolean
  /** Its output columns, when it returns rows. */
  readonly shape: Shape
  /** It reads or writes a relation with a masked column: unknown outputs are then masked. */
  readonly readsMasked: boolean
}

/** Commands that read no data and reveal none. */
const HARMLESS: ReadonlySet<string> = new Set([
  ...['TransactionStmt', 'VariableSetStmt', 'DiscardStmt', 'DeallocateStmt', 'ListenStmt'],
  ...['UnlistenStmt', 'NotifyStmt', 'LockStmt', 'ClosePortalStmt'],
])

const REFUSED: ReadonlyMap<string, readonly [string, string]> = new Map([
  [
    'ExplainStmt',
    [
      'EXPLAIN',
      'Plans show values of masked columns (in filter and index conditions, and with ANALYZE row counts of probes), which masking cannot follow.',
    ],
  ],
  [
    'ExecuteStmt',
    [
      'EXECUTE (here)',
      'jitgate masks the rows of an EXECUTE through the query it runs: send the EXECUTE alone, so that the gateway can hand that query to masking.',
    ],
  ],
  [
    'DeclareCursorStmt',
    ['DECLARE … CURSOR', 'Rows fetched later from a cursor cannot be tied to its query.'],
  ],
  ['FetchStmt', ['FETCH', 'Rows fetched from a cursor cannot be tied to its query.']],
  ['DoStmt', ['DO', 'It runs procedural code that jitgate cannot see into.']],
  ['CallStmt', ['CALL', 'It runs procedural code that jitgate cannot see into.']],
])

export function analyzeStatement(analyzer: StatementAnalyzer, stmt: Node): AnalyzedStatement {
  analyzer.beginStatement()
  const { returnsRows, shape } = outcome(analyzer, stmt)
  return { returnsRows, shape, readsMasked: analyzer.readsMasked() }
}

function outcome(a: StatementAnalyzer, stmt: Node): { returnsRows: boolean; shape: Shape } {
  const root = new Level(undefined, false)
  if ('SelectStmt' in stmt) {
    if (stmt.SelectStmt.intoClause === undefined)
      return { returnsRows: true, shape: a.query(stmt, root, OUTPUT) }
    a.query(stmt, root, restricted('SELECT INTO', 'copy'))
    return { returnsRows: false, shape: [] }
  }
  const dml =
    'InsertStmt' in stmt
      ? stmt.InsertStmt
      : 'UpdateStmt' in stmt
        ? stmt.UpdateStmt
        : 'DeleteStmt' in stmt
          ? stmt.DeleteStmt
          : 'MergeStmt' in stmt
            ? stmt.MergeStmt
            : undefined
  if (dml !== undefined) {
    const shape = a.query(stmt, root, OUTPUT)
    return { returnsRows: dml.returningClause !== undefined, shape }
  }
  if ('CreateTableAsStmt' in stmt) return createTableAs(a, stmt.CreateTableAsStmt, root)
  if ('CopyStmt' in stmt) return copyFrom(a, stmt.CopyStmt)
  // PREPARE runs nothing, but its query is refused now if it would be when executed.
  if ('PrepareStmt' in stmt) {
    a.query(stmt.PrepareStmt.query, root, OUTPUT)
    return { returnsRows: false, shape: [] }
  }
  if ('VariableShowStmt' in stmt)
    return { returnsRows: true, shape: [column(stmt.VariableShowStmt.name ?? '', CONSTANT)] }
  const type = unwrap(stmt)?.type ?? 'this statement'
  if (HARMLESS.has(type)) return { returnsRows: false, shape: [] }
  const refused = REFUSED.get(type)
  if (refused !== undefined) throw refuseStatement(refused[0], refused[1])
  throw refuseStatement(
    statementName(type),
    'Masked access runs queries, data changes and session commands only: a schema change can test masked values (a CHECK constraint, a unique index).',
  )
}

function createTableAs(a: StatementAnalyzer, ctas: CreateTableAsStmt, root: Level) {
  const clause = ctas.objtype === 'OBJECT_MATVIEW' ? 'CREATE MATERIALIZED VIEW … AS' : 'CREATE TABLE … AS'
  if (ctas.query === undefined || !('SelectStmt' in ctas.query))
    throw refuseUnsupported(`${clause} with this query`)
  a.query(ctas.query, root, restricted(clause, 'copy'))
  return { returnsRows: false, shape: [] }
}

// COPY … FROM STDIN writes rows the client sends; COPY … TO sends rows past the row transforms.
function copyFrom(a: StatementAnalyzer, copy: CopyStmt) {
  if (
    copy.is_from !== true ||
    copy.is_program === true ||
    copy.filename !== undefined ||
    copy.relation === undefined
  )
    throw refuseStatement(
      'COPY … TO (and COPY with a file or program)',
      'Its rows do not pass through masking. Use SELECT.',
    )
  const target = rangeVarItem(a, copy.relation, undefined)
  const names = (copy.attlist ?? []).flatMap((n) => ('String' in n ? [n.String.sval ?? ''] : []))
  for (const item of names.length > 0 ? names.map((n) => columnLineage(target.shape, n)) : target.shape) {
    if (item === undefined) throw refuseUnresolved(`a column of ${target.name}`)
    a.check(item.lineage, restricted('COPY … FROM', 'write'))
  }
  return { returnsRows: false, shape: [] }
}

/** `CreateFunctionStmt` → `CREATE FUNCTION`, roughly, for messages. */
function statementName(type: string): string {
  const words = type
    .replace(/Stmt$/, '')
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toUpperCase()
  return `${words} (a schema or administrative command)`
}
