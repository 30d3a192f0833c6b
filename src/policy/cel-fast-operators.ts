// The operators of the CEL fast path as closures, and the AST shapes they read:
// `&&`/`||` with CEL's commutative treatment of errors, `?:`, `!`, `==`/`!=` (with a
// shortcut for string literals) and `in` (with a set for lists of string literals).
import type { Activation } from './cel-environment.ts'
import type { Evaluate } from './cel-fast-access.ts'
import { BAILOUT, celEquals, celError, celIn, deepCheck, equalsString } from './cel-fast-values.ts'

/** What the fast path reads of a cel-js AST node; `check()` must have run (it sets checkedType). */
export interface CelAstNode {
  readonly op: string
  readonly args: unknown
  readonly meta?: { readonly alternate?: unknown; readonly macro?: unknown }
  readonly checkedType?: { readonly name: string }
}

export const isNode = (v: unknown): v is CelAstNode =>
  typeof v === 'object' && v !== null && 'op' in v && typeof v.op === 'string' && 'args' in v

const isLiteral = (v: unknown): v is string | boolean | null | bigint | number =>
  v === null || ['string', 'boolean', 'bigint', 'number'].includes(typeof v)

/** The constant a node stands for: a literal, or a negated number literal. */
export function constant(node: CelAstNode): { value: unknown } | undefined {
  if (node.op === 'value' && isLiteral(node.args)) return { value: node.args }
  if (node.op === '-_' && isNode(node.args) && node.args.op === 'value') {
    const v = node.args.args
    if (typeof v === 'bigint' || typeof v === 'number') return { value: -v }
  }
  return undefined
}

/** After the left operand of `&&`/`||` failed: the right one alone may still decide. */
function afterFailedLeft(err: unknown, right: Evaluate, a: Activation, decisive: boolean) {
  let rv: unknown
  try {
    rv = right(a)
  } catch (rightErr) {
    // Had cel-js's left value been decisive, it would not have run the right side at all.
    throw err === BAILOUT ? BAILOUT : rightErr
  }
  if (rv === decisive) return decisive
  throw err
}

const notBool = (v: unknown): Error =>
  celError('invalid_logical_operand', `Logical operator requires bool operands, got '${typeof v}'`)

/** `&&` (false decides) and `||` (true decides), with CEL's commutative treatment of errors. */
export function logical(l: Evaluate, r: Evaluate, decisive: boolean): Evaluate {
  return (a) => {
    let lv: unknown
    try {
      lv = l(a)
    } catch (err) {
      return afterFailedLeft(err, r, a, decisive)
    }
    if (lv === decisive) return decisive
    const rv = r(a)
    if (lv === !decisive) {
      if (typeof rv === 'boolean') return rv
      throw notBool(rv)
    }
    if (rv === decisive) return decisive
    throw notBool(lv)
  }
}

export function ternary(c: Evaluate, t: Evaluate, f: Evaluate): Evaluate {
  return (a) => {
    const cond = c(a)
    if (cond === true) return t(a)
    if (cond === false) return f(a)
    throw celError('invalid_condition_type', `Ternary condition must be bool, got '${typeof cond}'`)
  }
}

export function not(x: Evaluate): Evaluate {
  return (a) => {
    const v = x(a)
    if (v === true) return false
    if (v === false) return true
    throw celError('no_such_overload', `no such overload: !${typeof v}`)
  }
}

export function equality(
  nodes: readonly CelAstNode[],
  [l, r]: Evaluate[],
  negate: boolean,
): Evaluate | undefined {
  if (l === undefined || r === undefined) return undefined
  const [ln, rn] = nodes
  const lc = ln === undefined ? undefined : constant(ln)
  const rc = rn === undefined ? undefined : constant(rn)
  if (typeof rc?.value === 'string') {
    const s = rc.value
    return (a) => equalsString(l(a), s) !== negate
  }
  if (typeof lc?.value === 'string') {
    const s = lc.value
    return (a) => equalsString(r(a), s) !== negate
  }
  return (a) => celEquals(l(a), r(a)) !== negate
}

/** `x in [...]` with a list literal of strings: a set lookup, since strings only equal strings. */
export function membership(haystack: CelAstNode, [l, r]: Evaluate[]): Evaluate | undefined {
  if (l === undefined || r === undefined) return undefined
  const items = haystack.op === 'list' && Array.isArray(haystack.args) ? haystack.args : undefined
  const strings = items?.map((n) => (isNode(n) ? constant(n)?.value : undefined))
  if (strings?.every((s) => typeof s === 'string')) {
    const set = new Set(strings)
    return (a) => {
      const needle = l(a)
      if (typeof needle === 'string') return set.has(needle)
      deepCheck(needle)
      return false
    }
  }
  return (a) => {
    const needle = l(a)
    return celIn(needle, r(a))
  }
}
