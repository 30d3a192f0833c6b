// What became of each statement of a forwarded message, from the results the wire server
// reported: the i-th result is the i-th statement's (PostgreSQL answers a simple query's
// statements in order, one CommandComplete, EmptyQueryResponse or ErrorResponse each, and runs
// none after an error). Statements without a result did not run, or, when the session ended
// first, may have. Pure.
import type { ForwardedEnd, ForwardedResult } from '../wire/index.ts'
import type { StatementResultRecord } from './audit-draft.ts'

export function statementResults(
  count: number,
  results: readonly ForwardedResult[],
  end: ForwardedEnd,
): StatementResultRecord[] {
  const records: StatementResultRecord[] = []
  let before = 0
  let failed = false
  for (let i = 0; i < count; i++) {
    const result = results[i]
    if (result === undefined) {
      records.push({ outcome: end.how === 'closed' && !failed ? 'interrupted' : 'not_run' })
      continue
    }
    const durationMs = Math.max(result.durationMs - before, 0)
    before = result.durationMs
    if (result.kind === 'error') {
      failed = true
      records.push({
        outcome: 'failed',
        durationMs,
        ...(result.sqlstate === undefined ? {} : { sqlstate: result.sqlstate }),
      })
    } else
      records.push({
        outcome: 'ran',
        durationMs,
        ...(result.tag === undefined ? {} : { command: result.tag }),
        ...(result.rows === undefined ? {} : { rows: result.rows }),
      })
  }
  return records
}
