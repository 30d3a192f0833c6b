// Splits a script into statements at top-level semicolons, the way psql does, so that one broken
// statement does not hide the others. Two kinds of statement hold semicolons of their own:
// a function or procedure with a SQL-standard body (`BEGIN ATOMIC … ; … END`) and a rule with
// several actions (`DO ALSO (…; …)`).
import type { StatementLocation } from './classification-types.ts'
import type { SqlToken } from './sql-tokens.ts'

interface Statement {
  start: number
  end: number
  words: string[]
  atomicDepth: number
  parens: number
}

/** Each statement's span, from its first token to its last (comments and `;` left out). */
export function splitStatements(tokens: readonly SqlToken[]): StatementLocation[] {
  const spans: StatementLocation[] = []
  let current: Statement | undefined
  let previousWord: string | undefined
  for (const token of tokens) {
    if (token.kind === 'comment') continue
    if (token.kind === 'semicolon' && (current === undefined || !holdsSemicolons(current))) {
      if (current !== undefined) spans.push({ start: current.start, end: current.end })
      current = undefined
      previousWord = undefined
      continue
    }
    current ??= { start: token.start, end: token.end, words: [], atomicDepth: 0, parens: 0 }
    current.end = token.end
    if (token.kind === 'open') current.parens++
    if (token.kind === 'close') current.parens = Math.max(0, current.parens - 1)
    if (token.word !== undefined) {
      if (current.words.length < 4) current.words.push(token.word)
      trackAtomicBody(current, token.word, previousWord)
      previousWord = token.word
    }
  }
  if (current !== undefined) spans.push({ start: current.start, end: current.end })
  return spans
}

function holdsSemicolons(s: Statement): boolean {
  return (s.atomicDepth > 0 && isRoutine(s.words)) || (s.parens > 0 && isRule(s.words))
}

// CASE … END nests inside BEGIN ATOMIC … END; psql counts the same words.
function trackAtomicBody(s: Statement, word: string, previous: string | undefined): void {
  if (!isRoutine(s.words)) return
  if (word === 'atomic' && previous === 'begin') s.atomicDepth++
  else if (word === 'case' && s.atomicDepth > 0) s.atomicDepth++
  else if (word === 'end' && s.atomicDepth > 0) s.atomicDepth--
}

function isRoutine(words: readonly string[]): boolean {
  const object = words[1] === 'or' && words[2] === 'replace' ? words[3] : words[1]
  return words[0] === 'create' && (object === 'function' || object === 'procedure')
}

function isRule(words: readonly string[]): boolean {
  const object = words[1] === 'or' && words[2] === 'replace' ? words[3] : words[1]
  return words[0] === 'create' && object === 'rule'
}
