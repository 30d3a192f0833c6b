// How the gateway refuses a statement without leaving PostgreSQL's transaction semantics: it
// sends upstream, in the statement's place, a statement that fails in the parser before it
// touches any state, and the response tracker puts the refusal's ErrorResponse in place of
// that failure's. The upstream thus fails an open transaction and skips to Sync exactly as if
// the refused statement had failed there itself.
import { serialize } from 'pg-protocol'
import { errorResponse } from './backend-messages.ts'

const REFUSAL_SQL = 'jitgate refused this statement'

/** In place of a refused simple Query (or FunctionCall). */
export const REFUSED_QUERY = serialize.query(REFUSAL_SQL)

/** In place of a refused Parse, Bind or Execute: named, so the unnamed statement stays as it was. */
export const REFUSED_PARSE = serialize.parse({ name: 'jitgate_refused', text: REFUSAL_SQL, types: [] })

const SQLSTATE = /^[0-9A-Z]{5}$/

/** The ErrorResponse a client gets for a refusal; a malformed SQLSTATE becomes 42501. */
export function refusalError(
  sqlstate: string | undefined,
  message: string,
  detail?: string,
  hint?: string,
): Buffer {
  return errorResponse({
    severity: 'ERROR',
    code: sqlstate !== undefined && SQLSTATE.test(sqlstate) ? sqlstate : '42501',
    message,
    ...(detail === undefined ? {} : { detail }),
    ...(hint === undefined ? {} : { hint }),
  })
}
