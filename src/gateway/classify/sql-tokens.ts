// Tokens of a whole SQL script, for finding where its statements begin and end even when one of
// them does not parse. PostgreSQL's own lexer (libpg-query's scan) comes first; when the lexer
// itself fails (an unterminated quote or comment, a zero-length identifier) it gives no position,
// so a small lexer of our own takes over. That one only needs to know what can hide a `;`:
// quotes, dollar quotes, comments. It is used only for scripts PostgreSQL would reject anyway.
import { scanTokens } from './pg-parser.ts'
import { Utf8Offsets } from './text-offsets.ts'

export type TokenKind = 'comment' | 'semicolon' | 'open' | 'close' | 'word' | 'other'

/** A token with UTF-16 offsets; `word` tokens carry their text lowercased. */
export interface SqlToken {
  readonly start: number
  readonly end: number
  readonly kind: TokenKind
  readonly word?: string
}

/** The tokens of `text`, which must not contain NUL (the lexers stop there). */
export function tokenize(text: string): SqlToken[] {
  const scanned = scanTokens(text)
  if (scanned === undefined) return fallbackTokens(text)
  const offsets = new Utf8Offsets(text)
  return scanned.map((t) => {
    const start = offsets.toChar(t.start)
    const end = offsets.toChar(t.end)
    if (t.tokenName === 'SQL_COMMENT' || t.tokenName === 'C_COMMENT') return { start, end, kind: 'comment' }
    if (t.text === ';') return { start, end, kind: 'semicolon' }
    if (t.text === '(') return { start, end, kind: 'open' }
    if (t.text === ')') return { start, end, kind: 'close' }
    if (t.keywordKind > 0 || t.tokenName === 'IDENT')
      return { start, end, kind: 'word', word: t.text.toLowerCase() }
    return { start, end, kind: 'other' }
  })
}

const IDENT_START = /[A-Za-z_\u0080-\uFFFF]/
const IDENT_PART = /[A-Za-z0-9_$\u0080-\uFFFF]/
const DOLLAR_TAG = /^\$(?:[A-Za-z_\u0080-\uFFFF][A-Za-z0-9_\u0080-\uFFFF]*)?\$/

/** Our own lexer for scripts PostgreSQL's lexer rejects; unterminated constructs run to the end. */
export function fallbackTokens(text: string): SqlToken[] {
  const tokens: SqlToken[] = []
  let i = 0
  const push = (start: number, kind: TokenKind, word?: string): void => {
    tokens.push(word === undefined ? { start, end: i, kind } : { start, end: i, kind, word })
  }
  while (i < text.length) {
    const start = i
    const c = text[i] ?? ''
    const next = text[i + 1] ?? ''
    if (/\s/.test(c)) i++
    else if (c === '-' && next === '-') {
      const newline = text.indexOf('\n', i)
      i = newline === -1 ? text.length : newline
      push(start, 'comment')
    } else if (c === '/' && next === '*') {
      const end = blockCommentEnd(text, i)
      i = end ?? text.length
      // An unterminated comment is an error: it stays in the statement, which then fails to parse.
      push(start, end === undefined ? 'other' : 'comment')
    } else if (c === "'") {
      i = quotedEnd(text, i + 1, "'", false)
      push(start, 'other')
    } else if (c === '"') {
      i = quotedEnd(text, i + 1, '"', false)
      push(start, 'word', text.slice(start, i))
    } else if (c === '$' && DOLLAR_TAG.test(text.slice(i, i + 64))) {
      const tag = DOLLAR_TAG.exec(text.slice(i, i + 64))?.[0] ?? '$$'
      const close = text.indexOf(tag, i + tag.length)
      i = close === -1 ? text.length : close + tag.length
      push(start, 'other')
    } else if (IDENT_START.test(c)) {
      while (i < text.length && IDENT_PART.test(text[i] ?? '')) i++
      const word = text.slice(start, i)
      // E'…' is the one string whose end depends on its prefix: backslash escapes the quote.
      if (text[i] === "'" && (word === 'e' || word === 'E')) {
        i = quotedEnd(text, i + 1, "'", true)
        push(start, 'other')
      } else push(start, 'word', word.toLowerCase())
    } else {
      i++
      push(start, c === ';' ? 'semicolon' : c === '(' ? 'open' : c === ')' ? 'close' : 'other')
    }
  }
  return tokens
}

function blockCommentEnd(text: string, from: number): number | undefined {
  let depth = 0
  let i = from
  while (i < text.length) {
    if (text.startsWith('/*', i)) {
      depth++
      i += 2
    } else if (text.startsWith('*/', i)) {
      depth--
      i += 2
      if (depth === 0) return i
    } else i++
  }
  return undefined
}

/** The offset after the closing quote; a doubled quote (or, in E'…', a backslash) escapes it. */
function quotedEnd(text: string, from: number, quote: string, backslash: boolean): number {
  let i = from
  while (i < text.length) {
    const c = text[i]
    if (backslash && c === '\\') i += 2
    else if (c === quote && text[i + 1] === quote) i += 2
    else if (c === quote) return i + 1
    else i++
  }
  return text.length
}
