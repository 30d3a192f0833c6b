// Compiles a type-checked cel-js AST into plain JavaScript closures when every node
// lies in the subset below: a condition then costs tens of nanoseconds instead of
// cel-js's per-call setup and generic dispatch. Each closure gives what cel-js gives,
// the same value or an error where cel-js throws; where a value turns up that the
// fast path does not model (a Map, a Set, a class instance, `{"constructor": …}`),
// the activation is handed to cel-js instead, which is always correct.
//
// Subset: literals (string, bool, null, int, double, negated numbers), our variables,
// `.` and `[]`, `has()`, `!`, `&&`, `||`, `?:`, `==`, `!=`, `<`, `<=`, `>`, `>=`, `in`,
// `+` of two strings, list literals, `size()`, `startsWith`, `endsWith`, `contains`,
// and calls of our registered functions. Anything else: undefined, keep cel-js.
import { type ElementCheck, type Evaluate, getField, hasChain, variableReader } from './cel-fast-access.ts'
import { compileCall, type FastFunctions, isOurFunction } from './cel-fast-functions.ts'
import {
  type CelAstNode,
  constant,
  equality,
  isNode,
  logical,
  membership,
  not,
  ternary,
} from './cel-fast-operators.ts'
import { BAILOUT, celCompare, celError, celSize, ORDER, type Ordering } from './cel-fast-values.ts'

export type { Evaluate } from './cel-fast-access.ts'
export type { FastFunction, FastFunctions } from './cel-fast-functions.ts'
export type { CelAstNode } from './cel-fast-operators.ts'

type Compile = (node: unknown) => Evaluate | undefined

/** Compiles all of `nodes`, or gives undefined when one is outside the subset. */
function all(compile: Compile, nodes: unknown): Evaluate[] | undefined {
  if (!Array.isArray(nodes)) return undefined
  const out: Evaluate[] = []
  for (const n of nodes) {
    const fn = compile(n)
    if (fn === undefined) return undefined
    out.push(fn)
  }
  return out
}

/** How elements of a list of this static type are checked when indexed; null: not supported. */
function elementCheck(type: string | undefined): ElementCheck | undefined | null {
  switch (type) {
    case 'dyn':
    case 'Actor':
    case 'map<string, dyn>':
    case 'list<dyn>':
      return undefined
    case 'list<string>':
      return (v) => typeof v === 'string'
    default:
      return null
  }
}

function access(compile: Compile, node: CelAstNode): Evaluate | undefined {
  const [objNode, keyNode] = node.args as [unknown, unknown]
  if (!isNode(objNode)) return undefined
  const obj = compile(objNode)
  const check = elementCheck(objNode.checkedType?.name)
  if (obj === undefined || check === null) return undefined
  const keyConst = node.op === '.' ? { value: keyNode } : isNode(keyNode) ? constant(keyNode) : undefined
  if (keyConst !== undefined) {
    const key = keyConst.value
    return (a) => getField(obj(a), key, check)
  }
  const key = compile(keyNode)
  if (key === undefined) return undefined
  return (a) => {
    const o = obj(a)
    return getField(o, key(a), check)
  }
}

/** `has(v.f1.….fn)` on one of our variables. */
function has(arg: unknown): Evaluate | undefined {
  const keys: string[] = []
  let node = arg
  while (isNode(node) && node.op === '.') {
    const [inner, key] = node.args as [unknown, unknown]
    if (typeof key !== 'string') return undefined
    keys.unshift(key)
    node = inner
  }
  if (keys.length === 0 || !isNode(node) || node.op !== 'id' || typeof node.args !== 'string')
    return undefined
  const root = variableReader(node.args)
  return root === undefined ? undefined : hasChain(root, keys)
}

const STRING_METHODS = {
  startsWith: (s: string, x: string) => s.startsWith(x),
  endsWith: (s: string, x: string) => s.endsWith(x),
  contains: (s: string, x: string) => s.includes(x),
} as const

function receiverCall(compile: Compile, node: CelAstNode): Evaluate | undefined {
  const [name, receiverNode, argNodes] = node.args as [unknown, unknown, unknown]
  const receiver = compile(receiverNode)
  const args = all(compile, argNodes)
  if (receiver === undefined || args === undefined || node.meta?.macro !== undefined) return undefined
  const [arg] = args
  if (name === 'size' && args.length === 0) return (a) => celSize(receiver(a))
  if (name !== 'startsWith' && name !== 'endsWith' && name !== 'contains') return undefined
  if (args.length !== 1 || arg === undefined) return undefined
  const method = STRING_METHODS[name]
  return (a) => {
    const s = receiver(a)
    const x = arg(a)
    if (typeof s === 'string' && typeof x === 'string') return method(s, x)
    throw celError('no_matching_overload', `found no matching overload for '${typeof s}.${name}(…)'`)
  }
}

function call(compile: Compile, functions: FastFunctions, node: CelAstNode): Evaluate | undefined {
  const [name, argNodes] = node.args as [unknown, unknown]
  if (typeof name !== 'string' || !Array.isArray(argNodes)) return undefined
  if (node.meta?.macro !== undefined)
    return name === 'has' && argNodes.length === 1 ? has(argNodes[0]) : undefined
  const args = all(compile, argNodes)
  if (args === undefined || !argNodes.every(isNode)) return undefined
  if (isOurFunction(functions, name, args.length)) return compileCall(functions, name, argNodes, args)
  const [arg] = args
  if (name === 'size' && args.length === 1 && arg !== undefined) return (a) => celSize(arg(a))
  return undefined
}

const EXACT_IN_DOUBLE = 2n ** 53n

/** `<` and friends; against an int literal a double compares with the literal as a double (exact to 2^53). */
function ordering(op: Ordering, l: Evaluate, r: Evaluate, rightNode: CelAstNode): Evaluate {
  const literal = constant(rightNode)?.value
  const less = ORDER[op]
  if (typeof literal === 'bigint' && literal <= EXACT_IN_DOUBLE && literal >= -EXACT_IN_DOUBLE) {
    const asDouble = Number(literal)
    return (a) => {
      const x = l(a)
      return typeof x === 'number' ? less(x, asDouble) : celCompare(op, x, literal)
    }
  }
  return (a) => celCompare(op, l(a), r(a))
}

function binary(compile: Compile, node: CelAstNode): Evaluate | undefined {
  const nodes = Array.isArray(node.args) ? node.args.filter(isNode) : []
  const operands = all(compile, nodes)
  if (operands === undefined || operands.length !== 2) return undefined
  const [l, r] = operands as [Evaluate, Evaluate]
  switch (node.op) {
    case '&&':
    case '||':
      return logical(l, r, node.op === '||')
    case '==':
    case '!=':
      return equality(nodes, operands, node.op === '!=')
    case 'in':
      return membership(nodes[1] as CelAstNode, operands)
    case '+': {
      // Only `string + string` as cel-js resolved it when checking: JavaScript's + then.
      const stringTyped = nodes.every((n) => n.checkedType?.name === 'string')
      return stringTyped ? (a) => (l(a) as string) + (r(a) as string) : undefined
    }
    case '<':
    case '<=':
    case '>':
    case '>=':
      return ordering(node.op, l, r, nodes[1] as CelAstNode)
    default:
      return undefined
  }
}

function compileNode(compile: Compile, functions: FastFunctions, node: CelAstNode): Evaluate | undefined {
  switch (node.op) {
    case 'value':
    case '-_': {
      const c = constant(node)
      return c === undefined ? undefined : () => c.value
    }
    case 'id':
      return typeof node.args === 'string' ? variableReader(node.args) : undefined
    case '.':
    case '[]':
      return access(compile, node)
    case '!_': {
      const x = compile(node.args)
      return x === undefined ? undefined : not(x)
    }
    case '?:': {
      const [c, t, f] = all(compile, node.args) ?? []
      return c === undefined || t === undefined || f === undefined ? undefined : ternary(c, t, f)
    }
    case 'list': {
      const items = all(compile, node.args)
      return items === undefined ? undefined : (a) => items.map((item) => item(a))
    }
    case 'call':
      return call(compile, functions, node)
    case 'rcall':
      return receiverCall(compile, node)
    default:
      return binary(compile, node)
  }
}

/**
 * Compiles a checked expression to closures, or gives undefined when some node lies
 * outside the subset. `fallback` is cel-js's evaluation of the same expression: it
 * runs when a value outside what the fast path models turns up.
 */
export function compileFastPath(
  ast: CelAstNode,
  functions: FastFunctions,
  fallback: Evaluate,
): Evaluate | undefined {
  if (ast.checkedType === undefined) return undefined
  const compile: Compile = (node) =>
    isNode(node) && node.meta?.alternate === undefined ? compileNode(compile, functions, node) : undefined
  const root = compile(ast)
  if (root === undefined) return undefined
  return (activation) => {
    try {
      return root(activation)
    } catch (err) {
      if (err === BAILOUT) return fallback(activation)
      throw err
    }
  }
}
