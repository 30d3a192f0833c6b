// The SQL behind a statement prepared in SQL, and the name an EXECUTE runs, read with
// PostgreSQL's own lexer and parser: the masking module must be given the query that produces
// the rows, not `EXECUTE name`. Kept in the session's memory only, never logged. Pure.
import { parseSync, scanSync } from 'libpg-query'

/** The query of `PREPARE name [(types)] AS query`, as written; undefined when it cannot be read. */
export function preparedQuery(raw: string): string | undefined {
  let tokens: ReturnType<typeof scanSync>['tokens']
  try {
    tokens = scanSync(raw).tokens
  } catch {
    return undefined
  }
  let depth = 0
  // PREPARE, its name, maybe the parenthesised types, then AS at the top level.
  for (const token of tokens.slice(2)) {
    if (token.text === '(') depth++
    else if (token.text === ')') depth--
    else if (depth === 0 && token.text.toUpperCase() === 'AS')
      return Buffer.from(raw, 'utf8').toString('utf8', token.end).trim()
  }
  return undefined
}

/** The prepared statement `EXECUTE name …` runs; undefined when `raw` is not one. */
export function executedName(raw: string): string | undefined {
  try {
    const first = parseSync(raw).stmts?.[0]
    const node = first?.stmt
    return node !== undefined && 'ExecuteStmt' in node ? (node.ExecuteStmt.name ?? undefined) : undefined
  } catch {
    return undefined
  }
}
