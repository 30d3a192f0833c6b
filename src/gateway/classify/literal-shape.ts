// A cheap key for texts that differ only in their literals: the text with each plain string and
// number constant replaced by a marker (NUL, which no query text can hold, then its kind). It
// lets the gateway find the classification of `... WHERE aid = 48213` by that of `... = 17`
// without asking libpg-query to normalize every message (a parse in WebAssembly, a sixth of a
// simple query's cost through the gateway).
//
// Sharing a classification is safe only between texts that PostgreSQL's own normalization
// would also make equal (what the gate already shares them by). So the key must never be
// coarser than normalizeSync: two texts with the same key must differ only in constants that
// normalization replaces, lexed as PostgreSQL lexes them. Anything this scanner is not sure
// of gives no key (undefined) and the text goes the slow way:
// - a quote or digit right after a letter (E'…', B'…', X'…', N'…', 1e5, 0x1F, 1_000), U&,
//   a backslash anywhere (standard_conforming_strings off reads it as an escape), a dollar
//   quote, a comment, anything outside ASCII outside a string, a number of more than nine
//   digits (it may lex as numeric), a number with a leading or trailing point;
// - JSON_TABLE and XMLTABLE, whose column PATH strings are not constants to normalization.
// Only a literal compared to something (after an operator ending in =, < or >) is replaced:
// there it is an expression's constant, which normalization replaces everywhere. Elsewhere it
// may be what normalization keeps: a type's modifiers (`char(3)`, `numeric(10, 2)`), an array
// bound, an ORDER BY or GROUP BY position. Whitespace and everything else stay as they are, so
// the key is finer than normalization, never coarser.

const MARK_STRING = '\u0000s'
const MARK_INTEGER = '\u0000i'
const MARK_DECIMAL = '\u0000d'
const MAX_INTEGER_DIGITS = 9
const NOT_CONSTANTS = /json_table|xmltable/i

export function literalShape(sql: string): string | undefined {
  if (NOT_CONSTANTS.test(sql)) return undefined
  const n = sql.length
  let out = ''
  let from = 0
  let i = 0
  while (i < n) {
    const c = sql.charCodeAt(i)
    if (c === QUOTE) {
      if (isWordChar(before(sql, i)) || before(sql, i) === AMPERSAND) return undefined
      const close = closingQuote(sql, i + 1, QUOTE)
      if (close === undefined || isWordChar(sql.charCodeAt(close + 1))) return undefined
      if (isComparedTo(sql, i)) {
        out += sql.slice(from, i) + MARK_STRING
        from = close + 1
      }
      i = close + 1
    } else if (c === DOUBLE_QUOTE) {
      if (before(sql, i) === AMPERSAND) return undefined
      const close = closingQuote(sql, i + 1, DOUBLE_QUOTE)
      if (close === undefined) return undefined
      i = close + 1
    } else if (isDigit(c)) {
      const prev = before(sql, i)
      // Part of a name (t1), or of a parameter ($1): as it is.
      if (isWordChar(prev) || prev === DOLLAR) {
        i++
        continue
      }
      if (prev === POINT) return undefined
      let j = i
      while (isDigit(sql.charCodeAt(j))) j++
      let mark = MARK_INTEGER
      if (sql.charCodeAt(j) === POINT) {
        if (!isDigit(sql.charCodeAt(j + 1))) return undefined
        j++
        while (isDigit(sql.charCodeAt(j))) j++
        mark = MARK_DECIMAL
      } else if (j - i > MAX_INTEGER_DIGITS) return undefined
      const next = sql.charCodeAt(j)
      if (isWordChar(next) || next === POINT || next === QUOTE || next === DOUBLE_QUOTE || next === DOLLAR)
        return undefined
      if (isComparedTo(sql, i)) {
        out += sql.slice(from, i) + mark
        from = j
      }
      i = j
    } else if (c === DOLLAR) {
      // $1 is a parameter, a$b a name; anything else opens a dollar-quoted string.
      if (!isWordChar(before(sql, i)) && !isDigit(sql.charCodeAt(i + 1))) return undefined
      i++
    } else if (c === BACKSLASH || c >= 0x80) {
      return undefined
    } else if (
      (c === DASH && sql.charCodeAt(i + 1) === DASH) ||
      (c === SLASH && sql.charCodeAt(i + 1) === STAR)
    ) {
      return undefined
    } else i++
  }
  return from === 0 ? sql : out + sql.slice(from)
}

const QUOTE = 0x27
const DOUBLE_QUOTE = 0x22
const AMPERSAND = 0x26
const DOLLAR = 0x24
const POINT = 0x2e
const BACKSLASH = 0x5c
const DASH = 0x2d
const SLASH = 0x2f
const STAR = 0x2a
const EQUALS = 0x3d
const LESS = 0x3c
const GREATER = 0x3e

/**
 * Whether the literal at `at` is the right operand of an operator ending in =, < or > (= 42,
 * <> 'x', >= 1.5, ->> 'key'): an expression's constant, which normalization always replaces.
 */
function isComparedTo(sql: string, at: number): boolean {
  const c = lastNonSpace(sql, at)
  return c === EQUALS || c === LESS || c === GREATER
}

/**
 * The index of the quote closing a string (`'`) or a quoted name (`"`) whose content starts at
 * `at`, the quote doubled inside; undefined when it does not close or holds a backslash (an
 * escape to a string when standard_conforming_strings is off), or for a name, non-ASCII.
 */
function closingQuote(sql: string, at: number, quote: number): number | undefined {
  for (let j = at; j < sql.length; j++) {
    const c = sql.charCodeAt(j)
    if (c === BACKSLASH || (c >= 0x80 && quote === DOUBLE_QUOTE)) return undefined
    if (c !== quote) continue
    if (sql.charCodeAt(j + 1) !== quote) return j
    j++
  }
  return undefined
}

function before(sql: string, at: number): number {
  return at === 0 ? 0x20 : sql.charCodeAt(at - 1)
}

function lastNonSpace(sql: string, at: number): number {
  for (let j = at - 1; j >= 0; j--) {
    const c = sql.charCodeAt(j)
    if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d && c !== 0x0c) return c
  }
  return 0x20
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39
}

/** Letters, digits, _ and $: what continues a name (NaN, past the end, is not). */
function isWordChar(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || isDigit(c) || c === 0x5f || c === DOLLAR
}
