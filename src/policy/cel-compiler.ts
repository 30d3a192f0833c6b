// Compiles one CEL expression of a policy: parse, type-check against the policy
// environment, check literal arguments of our functions (group names, CIDRs,
// time zones, clock times), and map any fault back to file:line:col.
import type { Scalar } from 'yaml'
import { suggest } from '../shared/index.ts'
import type { Position, SourceDocument } from '../shared/yaml-source.ts'
import type { Activation, CelEnvironment } from './cel-environment.ts'
import { type CelAstNode, compileFastPath } from './cel-fast-path.ts'
import { parseCidr } from './cidr.ts'
import type { CompiledExpression } from './compiled-policy.ts'
import { compileGlob } from './glob.ts'
import { readsTime } from './time-dependence.ts'
import { isTimeZone, parseClock } from './zoned-time.ts'

export interface ExpressionProblem {
  /** Offset of the fault inside the expression. */
  readonly offset: number
  readonly message: string
  readonly hint?: string
}

interface AstNode {
  readonly op: string
  readonly args: unknown
  readonly start: number
}

function isNode(value: unknown): value is AstNode {
  return value !== null && typeof value === 'object' && 'op' in value && 'start' in value
}

/** Checks the literal arguments our functions take, where a typo would only show at run time. */
function literalProblems(root: unknown, groups: ReadonlySet<string>): ExpressionProblem[] {
  const problems: ExpressionProblem[] = []
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const child of node) visit(child)
      return
    }
    if (!isNode(node)) return
    if (node.op === 'call' && Array.isArray(node.args)) {
      const [name, args] = node.args as [string, unknown[]]
      const literal = (i: number): { value: string; at: number } | undefined => {
        const arg = args[i]
        return isNode(arg) && arg.op === 'value' && typeof arg.args === 'string'
          ? { value: arg.args, at: arg.start }
          : undefined
      }
      const check = (
        i: number,
        ok: (v: string) => boolean,
        message: (v: string) => string,
        hint?: (v: string) => string | undefined,
      ): void => {
        const lit = literal(i)
        if (lit === undefined || ok(lit.value)) return
        const h = hint?.(lit.value)
        problems.push({
          offset: lit.at,
          message: message(lit.value),
          ...(h === undefined ? {} : { hint: h }),
        })
      }
      if (name === 'member_of') {
        check(
          0,
          (v) => groups.has(v),
          (v) => `unknown group '${v}' in member_of()`,
          (v) => {
            const guess = suggest(v, groups)
            return guess === undefined ? 'declare it in a Groups document' : `did you mean '${guess}'?`
          },
        )
      }
      if (name === 'in_cidr') {
        check(
          1,
          (v) => {
            try {
              parseCidr(v)
              return true
            } catch {
              return false
            }
          },
          (v) => `'${v}' is not a CIDR range`,
          () => 'write e.g. 10.0.0.0/8 or 2001:db8::/32',
        )
      }
      if (name === 'glob') {
        check(
          0,
          (v) => {
            try {
              compileGlob(v, '/')
              return true
            } catch {
              return false
            }
          },
          (v) => `'${v}' is not a valid glob`,
        )
      }
      if (name === 'time_of_day' || name === 'weekday' || name === 'within_hours') {
        check(
          1,
          isTimeZone,
          (v) => `'${v}' is not a known IANA time zone`,
          () => 'e.g. Europe/Berlin, America/New_York, UTC',
        )
      }
      if (name === 'within_hours') {
        for (const i of [2, 3])
          check(
            i,
            (v) => parseClock(v) !== undefined,
            (v) => `'${v}' is not a time of day`,
            () => "write 24-hour 'HH:MM', e.g. '09:00'",
          )
      }
    }
    const args = node.args
    if (Array.isArray(args)) for (const a of args) visit(a)
    else visit(args)
  }
  visit(root)
  return problems
}

export type ExpressionResult =
  | { ok: true; expression: CompiledExpression }
  | { ok: false; problem: ExpressionProblem }

interface CelErrorLike {
  readonly summary?: string
  readonly message: string
  readonly range?: { readonly start: number }
}

/** Compiles `source`, requiring its type to be `expected` (or dyn). */
export function compileExpression(
  cel: CelEnvironment,
  source: string,
  expected: 'bool' | 'string',
  groups: ReadonlySet<string>,
): ExpressionResult {
  let parsed: ReturnType<CelEnvironment['env']['parse']>
  try {
    parsed = cel.env.parse(source)
  } catch (err) {
    const e = err as CelErrorLike
    return {
      ok: false,
      problem: { offset: e.range?.start ?? 0, message: `CEL syntax error: ${e.summary ?? e.message}` },
    }
  }
  const checked = parsed.check()
  if (!checked.valid) {
    const e = checked.error as unknown as CelErrorLike
    return {
      ok: false,
      problem: {
        offset: e.range?.start ?? 0,
        message: `CEL type error: ${e.summary ?? e.message}`,
        hint: 'see `jitgate policy functions` for variables and functions',
      },
    }
  }
  if (checked.type !== expected && checked.type !== 'dyn') {
    return {
      ok: false,
      problem: {
        offset: 0,
        message: `expression has type ${checked.type}, but a ${expected} is needed here`,
      },
    }
  }
  const problems = literalProblems(parsed.ast, groups)
  const first = problems[0]
  if (first !== undefined) return { ok: false, problem: first }
  const slow = (activation: Activation): unknown => parsed(activation as unknown as Record<string, unknown>)
  return {
    ok: true,
    expression: {
      source,
      readsTime: readsTime(parsed.ast),
      // Conditions within the fast path's subset run as plain closures; the rest, and any
      // value the fast path does not model, go through cel-js (the reference).
      run: compileFastPath(parsed.ast as unknown as CelAstNode, cel.functions, slow) ?? slow,
    },
  }
}

/** Where `offset` inside the string scalar at `path` lies in the file. */
export function positionInScalar(
  doc: SourceDocument,
  path: readonly (string | number)[],
  offset: number,
): Position {
  const scalar = doc.scalar(path)
  if (scalar === undefined) return doc.locate(path)
  return doc.positionOf(sourceOffset(doc.text, scalar.node, offset))
}

/** What a double-quoted escape `\x` stands for (YAML 1.2), for those that are not `x` itself. */
const ESCAPES: Readonly<Record<string, string>> = {
  '0': '\0',
  a: '\x07',
  b: '\b',
  t: '\t',
  n: '\n',
  v: '\v',
  f: '\f',
  r: '\r',
  e: '\x1b',
  N: '\x85',
  _: '\xa0',
  L: '\u2028',
  P: '\u2029',
}
const HEX_ESCAPES: Readonly<Record<string, number>> = { x: 2, u: 4, U: 8 }

/**
 * The file offset of character `offset` of a scalar's value. Quotes, escapes, line
 * folding and block indentation make the value differ from its source, so both are
 * walked side by side, each value character matched to the source text that gave it.
 */
function sourceOffset(text: string, node: Scalar, offset: number): number {
  const [start, end] = node.range ?? [0, text.length]
  const value = String(node.value)
  const type = node.type
  // A block scalar's value starts on the line after its `|` or `>` header.
  let j = type === 'BLOCK_LITERAL' || type === 'BLOCK_FOLDED' ? text.indexOf('\n', start) + 1 : start
  if (type === 'QUOTE_DOUBLE' || type === 'QUOTE_SINGLE') j++
  /** The character the source at `at` stands for, and how many source characters it takes. */
  const read = (at: number): [string, number] => {
    const ch = text[at] ?? ''
    if (type === 'QUOTE_DOUBLE' && ch === '\\') {
      const next = text[at + 1] ?? ''
      const digits = HEX_ESCAPES[next]
      if (digits !== undefined)
        return [String.fromCharCode(Number.parseInt(text.slice(at + 2, at + 2 + digits), 16)), 2 + digits]
      return [ESCAPES[next] ?? next, 2]
    }
    if (type === 'QUOTE_SINGLE' && ch === "'" && text[at + 1] === "'") return ["'", 2]
    return [ch, 1]
  }
  // A fault at the end of the expression points just past its last character.
  const last = value.trimEnd().length
  const target = Math.min(offset, last)
  for (let i = 0; i < last; i++) {
    const want = value[i]
    // Skip what the value does not show (indentation, folded line breaks, quotes).
    // A folded line break shows as a space.
    let [ch, width] = read(j)
    while (j < end && ch !== want && !(want === ' ' && (ch === '\n' || ch === '\r'))) {
      j += width
      ;[ch, width] = read(j)
    }
    if (j >= end) break
    if (i === target) return j
    j += width
  }
  return Math.min(j, end)
}
