// The text of a statement as the audit log and approvers see it: libpg-query's normalized form
// (constants replaced by $1, $2…), then scanned with PostgreSQL's lexer for what normalizing
// leaves (constants of utility statements such as `COMMENT ON … IS '…'`, `COPY … FROM 'file'`,
// the body of `PREPARE`, and comments), which are replaced by `?` and dropped. A text the lexer
// cannot read is withheld whole: a literal must never reach the log.
import { scanSync } from 'libpg-query'

const CONSTANT_TOKENS: ReadonlySet<string> = new Set([
  'ICONST',
  'FCONST',
  'SCONST',
  'BCONST',
  'XCONST',
  'USCONST',
])
const COMMENT_TOKENS: ReadonlySet<string> = new Set(['SQL_COMMENT', 'C_COMMENT'])

/** Shown in place of a text that could not be scanned. */
export const WITHHELD_TEXT = '(statement text withheld: jitgate could not mask its literals)'

/** `normalized` (a normalize output) with every remaining constant replaced and comments dropped. */
export function maskLiterals(normalized: string): string {
  let tokens: ReturnType<typeof scanSync>['tokens']
  try {
    tokens = scanSync(normalized).tokens
  } catch {
    return WITHHELD_TEXT
  }
  // Token offsets count UTF-8 bytes.
  const bytes = Buffer.from(normalized, 'utf8')
  const parts: string[] = []
  let at = 0
  for (const token of tokens) {
    const comment = COMMENT_TOKENS.has(token.tokenName)
    if (!comment && !isConstant(token)) continue
    parts.push(bytes.toString('utf8', at, token.start))
    if (!comment) parts.push('?')
    at = token.end
  }
  if (at === 0) return normalized.trim()
  parts.push(bytes.toString('utf8', at))
  return parts.join('').trim()
}

// The lexer names B'…', X'…' and U&'…' UNKNOWN: anything but an identifier that holds a quote
// is a string constant.
function isConstant(token: { readonly tokenName: string; readonly text: string }): boolean {
  if (CONSTANT_TOKENS.has(token.tokenName)) return true
  return token.tokenName !== 'IDENT' && token.tokenName !== 'UIDENT' && token.text.includes("'")
}
