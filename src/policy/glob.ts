// Glob patterns for verbs (`db.*`) and resources (`pg://prod/*`).
//
// We write our own instead of using picomatch or minimatch because both treat `/`
// as the only separator and give `//` special meaning, while our verbs are
// dot-separated and our resources are URLs. The language is small on purpose:
//   *       any run of characters within one segment (not the separator)
//   **      any run of characters, across segments
//   ?       one character that is not the separator
//   {a,b}   one of the alternatives (no nesting)
//   \x      the character x itself
// Everything else stands for itself.

export interface Glob {
  readonly source: string
  /** True when the pattern has no wildcard: it matches only itself. */
  readonly isLiteral: boolean
  /** The text every match starts with, up to the first wildcard. */
  readonly literalPrefix: string
  test(value: string): boolean
}

export class GlobSyntaxError extends Error {
  /** Zero-based offset of the fault in the pattern. */
  readonly offset: number
  constructor(message: string, offset: number) {
    super(message)
    this.name = 'GlobSyntaxError'
    this.offset = offset
  }
}

const MAX_PATTERN_LENGTH = 512

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')
}

type Token = { readonly kind: 'char'; readonly char: string } | { readonly kind: 'one' | 'star' | 'globstar' }

/**
 * Matches `value` against tokens by simulating every position of the pattern at
 * once (a Thompson NFA): time is length(value) × length(pattern) whatever the
 * input, where a backtracking regex can take exponential time on `**a**a**b`.
 */
function simulate(
  tokens: readonly Token[],
  separator: string,
  value: string,
  buffers: [Uint8Array, Uint8Array],
): boolean {
  const m = tokens.length
  // The buffers belong to the compiled glob: matching is synchronous, so they are reused.
  let [current, next] = buffers
  current.fill(0)
  const close = (states: Uint8Array): void => {
    for (let i = 0; i < m; i++) {
      const kind = (tokens[i] as Token).kind
      if (states[i] === 1 && (kind === 'star' || kind === 'globstar')) states[i + 1] = 1
    }
  }
  current[0] = 1
  close(current)
  for (let k = 0; k < value.length; k++) {
    const ch = value[k]
    next.fill(0)
    let any = false
    for (let i = 0; i < m; i++) {
      if (current[i] !== 1) continue
      const token = tokens[i] as Token
      if (token.kind === 'char') {
        if (token.char === ch) next[i + 1] = 1
      } else if (token.kind === 'one') {
        if (ch !== separator) next[i + 1] = 1
      } else if (token.kind === 'star') {
        if (ch !== separator) next[i] = 1
      } else {
        next[i] = 1
      }
      any = true
    }
    if (!any) return false
    close(next)
    ;[current, next] = [next, current]
  }
  return current[m] === 1
}

/** Expands `{a,b}` groups into the plain patterns they stand for. */
const MAX_EXPANSIONS = 256

/** Compiles a pattern; throws GlobSyntaxError on a malformed one. */
export function compileGlob(pattern: string, separator: '.' | '/'): Glob {
  if (pattern.length === 0) throw new GlobSyntaxError('empty pattern', 0)
  if (pattern.length > MAX_PATTERN_LENGTH) {
    throw new GlobSyntaxError(`pattern longer than ${MAX_PATTERN_LENGTH} characters`, MAX_PATTERN_LENGTH)
  }
  // Each alternative of a `{…}` group multiplies the token lists.
  let variants: Token[][] = [[]]
  let literal = ''
  let prefixDone = false
  let group: { start: number; alternatives: Token[][]; current: Token[] } | undefined
  const emit = (token: Token): void => {
    if (group !== undefined) group.current.push(token)
    else for (const v of variants) v.push(token)
  }
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i] as string
    if (ch === '\\') {
      const next = pattern[i + 1]
      if (next === undefined) throw new GlobSyntaxError('pattern ends with a lone backslash', i)
      emit({ kind: 'char', char: next })
      if (!prefixDone) literal += next
      i++
      continue
    }
    if (ch === '*') {
      prefixDone = true
      if (pattern[i + 1] === '*') {
        emit({ kind: 'globstar' })
        while (pattern[i + 1] === '*') i++
      } else {
        emit({ kind: 'star' })
      }
      continue
    }
    if (ch === '?') {
      prefixDone = true
      emit({ kind: 'one' })
      continue
    }
    if (ch === '{') {
      if (group !== undefined) throw new GlobSyntaxError('nested { } groups are not supported', i)
      prefixDone = true
      group = { start: i, alternatives: [], current: [] }
      continue
    }
    if (ch === ',' && group !== undefined) {
      group.alternatives.push(group.current)
      group.current = []
      continue
    }
    if (ch === '}') {
      if (group === undefined) throw new GlobSyntaxError("'}' without a matching '{'", i)
      group.alternatives.push(group.current)
      const alternatives = group.alternatives
      group = undefined
      if (variants.length * alternatives.length > MAX_EXPANSIONS) {
        throw new GlobSyntaxError(`too many {…} alternatives (more than ${MAX_EXPANSIONS} combinations)`, i)
      }
      variants = variants.flatMap((v) => alternatives.map((alt) => [...v, ...alt]))
      continue
    }
    emit({ kind: 'char', char: ch })
    if (!prefixDone) literal += ch
  }
  if (group !== undefined) throw new GlobSyntaxError("'{' is never closed", group.start)
  if (!prefixDone) {
    return { source: pattern, isLiteral: true, literalPrefix: literal, test: (value) => value === literal }
  }
  const stars = (tokens: readonly Token[]): number =>
    tokens.filter((t) => t.kind === 'star' || t.kind === 'globstar').length
  if (variants.every((tokens) => stars(tokens) <= 1)) {
    // With at most one wildcard per alternative a regex cannot backtrack badly (each
    // alternative is linear), so the regex engine does the work.
    const re = new RegExp(`^(?:${variants.map((tokens) => toRegExp(tokens, separator)).join('|')})$`, 's')
    return { source: pattern, isLiteral: false, literalPrefix: literal, test: (value) => re.test(value) }
  }
  const buffers = variants.map((tokens): [Uint8Array, Uint8Array] => [
    new Uint8Array(tokens.length + 1),
    new Uint8Array(tokens.length + 1),
  ])
  return {
    source: pattern,
    isLiteral: false,
    literalPrefix: literal,
    test: (value) =>
      variants.some((tokens, i) =>
        simulate(tokens, separator, value, buffers[i] as [Uint8Array, Uint8Array]),
      ),
  }
}

function toRegExp(tokens: readonly Token[], separator: string): string {
  const notSep = `[^${escapeRegExp(separator)}]`
  return tokens
    .map((t) =>
      t.kind === 'char'
        ? escapeRegExp(t.char)
        : t.kind === 'one'
          ? notSep
          : t.kind === 'star'
            ? `${notSep}*`
            : '.*',
    )
    .join('')
}
