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

/** Compiles a pattern; throws GlobSyntaxError on a malformed one. */
export function compileGlob(pattern: string, separator: '.' | '/'): Glob {
  if (pattern.length === 0) throw new GlobSyntaxError('empty pattern', 0)
  if (pattern.length > MAX_PATTERN_LENGTH) {
    throw new GlobSyntaxError(`pattern longer than ${MAX_PATTERN_LENGTH} characters`, MAX_PATTERN_LENGTH)
  }
  const notSep = `[^${escapeRegExp(separator)}]`
  let regex = ''
  let literal = ''
  let prefixDone = false
  let inGroup = -1
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i] as string
    if (ch === '\\') {
      const next = pattern[i + 1]
      if (next === undefined) throw new GlobSyntaxError('pattern ends with a lone backslash', i)
      regex += escapeRegExp(next)
      if (!prefixDone) literal += next
      i++
      continue
    }
    if (ch === '*') {
      prefixDone = true
      if (pattern[i + 1] === '*') {
        regex += '.*'
        i++
        while (pattern[i + 1] === '*') i++
      } else {
        regex += `${notSep}*`
      }
      continue
    }
    if (ch === '?') {
      prefixDone = true
      regex += notSep
      continue
    }
    if (ch === '{') {
      if (inGroup >= 0) throw new GlobSyntaxError('nested { } groups are not supported', i)
      prefixDone = true
      inGroup = i
      regex += '(?:'
      continue
    }
    if (ch === ',' && inGroup >= 0) {
      regex += '|'
      continue
    }
    if (ch === '}') {
      if (inGroup < 0) throw new GlobSyntaxError("'}' without a matching '{'", i)
      inGroup = -1
      regex += ')'
      continue
    }
    regex += escapeRegExp(ch)
    if (!prefixDone) literal += ch
  }
  if (inGroup >= 0) throw new GlobSyntaxError("'{' is never closed", inGroup)
  if (!prefixDone) {
    return { source: pattern, isLiteral: true, literalPrefix: literal, test: (value) => value === literal }
  }
  const re = new RegExp(`^${regex}$`, 's')
  return { source: pattern, isLiteral: false, literalPrefix: literal, test: (value) => re.test(value) }
}
