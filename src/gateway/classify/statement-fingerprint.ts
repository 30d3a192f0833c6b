// The fingerprint and normalized text of one statement, from libpg-query: statements that differ
// only in constants, spacing, case or comments share a fingerprint. A single-use grant is bound
// to the fingerprint of the statement it was approved for.
import { JitgateError } from '../../shared/index.ts'
import { fingerprintOf, normalizedOf } from './pg-parser.ts'
import { asSentText } from './text-offsets.ts'

export interface StatementFingerprint {
  /** 16 hex digits. */
  readonly fingerprint: string
  /** The statement with its constants replaced by `$1`, `$2`, … */
  readonly normalized: string
}

export class StatementUnparseableError extends JitgateError {
  constructor(cause: unknown) {
    super('sql_statement_unparseable', 'the statement cannot be parsed, so it has no fingerprint', {
      status: 400,
      cause,
      details: [
        { message: 'PostgreSQL cannot parse the statement', hint: 'classify it first and deny errors' },
      ],
    })
  }
}

/** The fingerprint of one statement (a `location` slice of a classified script, say). */
export function statementFingerprint(statement: string): StatementFingerprint {
  const text = asSentText(statement)
  try {
    return { fingerprint: fingerprintOf(text), normalized: normalizedOf(text) }
  } catch (err) {
    if (err instanceof JitgateError) throw err
    throw new StatementUnparseableError(err)
  }
}
