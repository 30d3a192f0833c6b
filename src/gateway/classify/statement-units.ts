// Turns a script into its statements: a parse tree, or PostgreSQL's reason for rejecting it,
// each with its place in the input. A script that parses whole is split by the parser itself;
// one that does not is split at top-level semicolons and each piece parsed alone, so the
// statements around a broken one are still classified.
import type { Node, RawStmt } from 'libpg-query'
import type { StatementError, StatementLocation } from './classification-types.ts'
import { parseStatements } from './pg-parser.ts'
import { type SqlToken, tokenize } from './sql-tokens.ts'
import { splitStatements } from './statement-splitter.ts'
import { asSentText, codePointToChar, Utf8Offsets } from './text-offsets.ts'

export type StatementUnit =
  | { readonly location: StatementLocation; readonly node: Node }
  | { readonly location: StatementLocation; readonly error: StatementError }

export function statementUnits(sql: string): StatementUnit[] {
  const text = asSentText(sql)
  // The lexers stop at NUL: a stand-in of the same length that both see as a token of its own
  // keeps the offsets and puts the NUL inside a statement, which is then refused below.
  const tokens = tokenize(text.replaceAll('\0', '`'))
  if (!tokens.some((t) => t.kind !== 'comment' && t.kind !== 'semicolon')) return []
  if (!text.includes('\0')) {
    const parsed = parseStatements(text)
    if (!('message' in parsed)) return unitsOf(parsed.stmts ?? [], text, 0, tokens)
  }
  return splitStatements(tokens).flatMap((span) => parseSpan(text, span, tokens))
}

function parseSpan(text: string, span: StatementLocation, tokens: readonly SqlToken[]): StatementUnit[] {
  const piece = text.slice(span.start, span.end)
  const nul = piece.indexOf('\0')
  if (nul !== -1) {
    const message = 'the statement contains a NUL character, which PostgreSQL does not accept'
    return [
      { location: span, error: { message, position: span.start + nul, hint: 'remove the NUL character' } },
    ]
  }
  const parsed = parseStatements(piece)
  if ('message' in parsed) {
    const position = span.start + codePointToChar(piece, parsed.codePoint)
    const { message, hint } = describeParseError(parsed.message)
    return [{ location: span, error: { message, position, hint } }]
  }
  return unitsOf(parsed.stmts ?? [], piece, span.start, tokens)
}

function unitsOf(
  stmts: readonly RawStmt[],
  text: string,
  offset: number,
  tokens: readonly SqlToken[],
): StatementUnit[] {
  const bytes = new Utf8Offsets(text)
  return stmts.flatMap((raw) => {
    if (raw.stmt === undefined) return []
    const from = raw.stmt_location ?? 0
    // A length of 0 means "to the end of the input".
    const to = raw.stmt_len === undefined || raw.stmt_len === 0 ? bytes.byteLength : from + raw.stmt_len
    const location = trim(tokens, offset + bytes.toChar(from), offset + bytes.toChar(to))
    return [{ location, node: raw.stmt }]
  })
}

/** The span from the first to the last token inside [start, end), leaving out blanks, comments and `;`. */
function trim(tokens: readonly SqlToken[], start: number, end: number): StatementLocation {
  let lo = 0
  let hi = tokens.length
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if ((tokens[mid]?.start ?? 0) < start) lo = mid + 1
    else hi = mid
  }
  let first: SqlToken | undefined
  let last: SqlToken | undefined
  for (let i = lo; i < tokens.length; i++) {
    const t = tokens[i]
    if (t === undefined || t.end > end) break
    if (t.kind === 'comment' || t.kind === 'semicolon') continue
    first ??= t
    last = t
  }
  return first === undefined || last === undefined ? { start, end } : { start: first.start, end: last.end }
}

const LITERAL = /^(?:'|\$|[0-9.]|[eEbBxXnN]'|[uU]&')/

/** PostgreSQL's message with any literal it quotes left out (it may be personal data), and a hint. */
export function describeParseError(message: string): { message: string; hint: string } {
  const near = /^(.*) at or near "(.*)"$/s.exec(message)
  const safe = near !== null && LITERAL.test(near[2] ?? '') ? `${near[1]} at or near a literal` : message
  const hint = message.startsWith('unterminated')
    ? 'close the quoted string, quoted identifier, dollar quote or comment that starts here'
    : message.startsWith('syntax error at end of input')
      ? 'the statement ends too early: complete it'
      : 'fix the statement at this position: jitgate refuses statements PostgreSQL cannot parse'
  return { message: safe, hint }
}
