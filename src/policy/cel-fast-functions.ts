// Calls of our registered functions on the CEL fast path. Each function is known
// by the signature it was registered with, because cel-js checks argument types at
// run time against it (`member_of(context.team)` with a number in `team` is an
// error, not a call) and because one name may have overloads of different arity.
import type { Evaluate } from './cel-fast-access.ts'
import { celError, deepCheck, kindOf } from './cel-fast-values.ts'

/** A handler as registered with cel-js. */
export type FastFunction = (...args: never[]) => unknown
type Handler = (...args: unknown[]) => unknown

/**
 * Our functions by the signature they were registered with, e.g.
 * `'has_grant(string, string): bool'` → its handler. They must not overload a
 * cel-js built-in (size, string, int, …): the fast path calls them directly.
 */
export type FastFunctions = ReadonlyMap<string, FastFunction>

type ParamType = 'string' | 'int' | 'double' | 'bool' | 'dyn'

interface Overload {
  readonly params: readonly ParamType[]
  readonly handler: Handler
}

const PARAM_TYPES: ReadonlySet<string> = new Set(['string', 'int', 'double', 'bool', 'dyn'])
const SIGNATURE = /^(\w+)\(([^)]*)\):\s*\S/
const tables = new WeakMap<FastFunctions, ReadonlyMap<string, Overload>>()

/** `name/arity` → overload, for the overloads whose parameter types the fast path checks. */
function overloads(functions: FastFunctions): ReadonlyMap<string, Overload> {
  let table = tables.get(functions)
  if (table !== undefined) return table
  const built = new Map<string, Overload>()
  for (const [signature, handler] of functions) {
    const m = SIGNATURE.exec(signature)
    if (m === null) throw new TypeError(`'${signature}' is not a function signature like 'f(string): bool'`)
    const text = (m[2] ?? '').trim()
    const params = text === '' ? [] : text.split(',').map((p) => p.trim())
    if (!params.every((p) => PARAM_TYPES.has(p))) continue
    built.set(`${m[1]}/${params.length}`, { params: params as ParamType[], handler: handler as Handler })
  }
  table = built
  tables.set(functions, table)
  return table
}

/** Whether `name(...)` with this many arguments is one of ours. */
export function isOurFunction(functions: FastFunctions, name: string, arity: number): boolean {
  return overloads(functions).has(`${name}/${arity}`)
}

const MATCHES: Readonly<Record<Exclude<ParamType, 'dyn'>, string>> = {
  string: 'string',
  int: 'bigint',
  double: 'number',
  bool: 'boolean',
}

/**
 * An argument as cel-js lets it through: of the parameter's type, or any CEL value for
 * dyn. On a mismatch the message names every argument's type, as cel-js's does;
 * arguments are pure, so evaluating them again to say so is safe.
 */
function argument(type: ParamType, name: string, v: unknown, all: () => readonly unknown[]): unknown {
  if (type === 'dyn') deepCheck(v)
  else if (typeof v !== MATCHES[type]) {
    const kinds = all().map(kindOf).join(', ')
    throw celError('no_matching_overload', `found no matching overload for '${name}(${kinds})'`)
  }
  return v
}

/** Whether a literal argument node already has the parameter's type, so needs no check. */
const literalFits = (type: ParamType, node: { op: string; args: unknown }): boolean =>
  node.op === 'value' && type !== 'dyn' && typeof node.args === MATCHES[type]

/** The call `name(args)`, or undefined when it is not one of ours. */
export function compileCall(
  functions: FastFunctions,
  name: string,
  argNodes: readonly { op: string; args: unknown }[],
  args: readonly Evaluate[],
): Evaluate | undefined {
  const overload = overloads(functions).get(`${name}/${args.length}`)
  if (overload === undefined) return undefined
  const { handler, params } = overload
  const checked = args.map((arg, i): Evaluate => {
    const type = params[i] as ParamType
    const node = argNodes[i]
    if (node !== undefined && literalFits(type, node)) return arg
    return (a) => argument(type, name, arg(a), () => args.map((each) => each(a)))
  })
  const [first, second] = checked
  if (checked.length === 0) return () => handler()
  if (checked.length === 1 && first !== undefined) return (a) => handler(first(a))
  if (checked.length === 2 && first !== undefined && second !== undefined)
    return (a) => handler(first(a), second(a))
  return (a) => handler(...checked.map((arg) => arg(a)))
}
