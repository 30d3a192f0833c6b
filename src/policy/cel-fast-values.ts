// Value kinds, equality, ordering, membership and size for the CEL fast path. Each
// function gives what cel-js 8 gives (read from its lib/operators.js, overloads.js
// and registry.js) for the values jitgate evaluates: JSON, CelActor, Date, bigint.
// Any other value throws BAILOUT, and the whole expression is re-run in cel-js:
// bailing out is always correct, only slower.
import { EvaluationError } from '@marcbachmann/cel-js'
import { CelActor } from './cel-environment.ts'

class FastPathBailout {}

/** Thrown where the fast path meets a value it does not model; caught by compileFastPath. */
export const BAILOUT: object = Object.freeze(new FastPathBailout())

/** The kinds of value the fast path models, named as cel-js names their types. */
export type Kind = 'string' | 'int' | 'double' | 'bool' | 'null' | 'map' | 'list' | 'actor' | 'timestamp'

export type PlainMap = Record<string, unknown>

/** An error where cel-js throws one; the text follows cel-js, the exact wording may differ. */
export function celError(code: string, message: string): EvaluationError {
  return new EvaluationError({ code, message })
}

/** The kind cel-js's `debugType` gives `v`; bails where it would throw or give a type we do not model. */
export function kindOf(v: unknown): Kind {
  switch (typeof v) {
    case 'string':
      return 'string'
    case 'bigint':
      return 'int'
    case 'number':
      return 'double'
    case 'boolean':
      return 'bool'
    case 'object': {
      if (v === null) return 'null'
      // cel-js dispatches on `constructor` exactly like this, so `{"constructor": 1}` is no map.
      const c: unknown = v.constructor
      if (c === Object || c === undefined) return 'map'
      if (c === Array) return 'list'
      if (c === CelActor) return 'actor'
      if (c === Date) return 'timestamp'
      break
    }
  }
  throw BAILOUT
}

/** A value read out of a map or list: cel-js checks that it is a CEL value. */
export function readValue(v: unknown): unknown {
  if (typeof v === 'object' || typeof v === 'function' || typeof v === 'symbol' || v === undefined) kindOf(v)
  return v
}

/**
 * cel-js resolves the overload of a dynamic operand on its deep type, which follows the
 * first element of lists and the first value of maps; that walk throws on values CEL
 * does not know, so the same walk here bails on them.
 */
export function deepCheck(v: unknown): void {
  const kind = kindOf(v)
  if (kind === 'list') {
    const first = (v as unknown[])[0]
    if (first !== undefined) deepCheck(first)
  } else if (kind === 'map') {
    for (const key in v as PlainMap) {
      deepCheck((v as PlainMap)[key])
      return
    }
  }
}

/** `i == d` for an int and a double, exact as JavaScript's loose equality is. */
export function intEqualsDouble(i: bigint, d: number): boolean {
  return Number.isInteger(d) && BigInt(d) === i
}

/** cel-js `isEqual`: how list elements, map values and `in` candidates compare. */
export function elementEquals(a: unknown, b: unknown): boolean {
  if (a === b) return true
  switch (typeof a) {
    case 'undefined':
    case 'string':
    case 'boolean':
      return false
    case 'bigint':
      return typeof b === 'number' && intEqualsDouble(a, b)
    case 'number':
      return typeof b === 'bigint' && intEqualsDouble(b, a)
    case 'object': {
      if (typeof b !== 'object') return false
      const kind = kindOf(a)
      return kind === kindOf(b) && sameKindEquals(kind, a, b)
    }
  }
  throw BAILOUT
}

/** The `==` overload cel-js has for two values of one kind (none for actors: then only identity). */
function sameKindEquals(kind: Kind, a: unknown, b: unknown): boolean {
  if (a === b) return true
  switch (kind) {
    case 'list':
      return listEquals(a as unknown[], b as unknown[])
    case 'map':
      return mapEquals(a as PlainMap, b as PlainMap)
    case 'timestamp':
      return (a as Date).getTime() === (b as Date).getTime()
    default:
      return false
  }
}

function listEquals(a: readonly unknown[], b: readonly unknown[]): boolean {
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (!elementEquals(a[i], b[i])) return false
  return true
}

function mapEquals(a: PlainMap, b: PlainMap): boolean {
  const keys = Object.keys(a)
  if (keys.length !== Object.keys(b).length) return false
  // `in`, not hasOwn: cel-js looks keys up this way (an inherited key never compares equal).
  for (const key of keys) if (!(key in b && elementEquals(a[key], b[key]))) return false
  return true
}

const isNumeric = (kind: Kind): boolean => kind === 'int' || kind === 'double'

/**
 * The `==` operator. Values of different kinds are unequal (cel-js falls back to
 * identity for dynamic operands), except int and double, which compare as numbers.
 */
export function celEquals(a: unknown, b: unknown): boolean {
  const ka = kindOf(a)
  const kb = kindOf(b)
  if (ka === 'list' || ka === 'map') deepCheck(a)
  if (kb === 'list' || kb === 'map') deepCheck(b)
  if (ka === kb) return a === b || sameKindEquals(ka, a, b)
  if (ka === 'int' && kb === 'double') return intEqualsDouble(a as bigint, b as number)
  if (ka === 'double' && kb === 'int') return intEqualsDouble(b as bigint, a as number)
  return false
}

/** `==` against a string literal: only an equal string is equal, any other CEL value is not. */
export function equalsString(a: unknown, literal: string): boolean {
  if (typeof a === 'string') return a === literal
  deepCheck(a)
  return false
}

export type Ordering = '<' | '<=' | '>' | '>='

type Ordered = number | bigint | string

/** JavaScript's relational operators, which compare mixed int and double exactly. */
export const ORDER: Readonly<Record<Ordering, (x: Ordered, y: Ordered) => boolean>> = {
  '<': (x, y) => x < y,
  '<=': (x, y) => x <= y,
  '>': (x, y) => x > y,
  '>=': (x, y) => x >= y,
}

/** `<`, `<=`, `>`, `>=`: numbers (int and double mixed), strings, bools, timestamps; else an error. */
export function celCompare(op: Ordering, a: unknown, b: unknown): boolean {
  const type = typeof a
  if (type === typeof b && (type === 'number' || type === 'string' || type === 'bigint'))
    return ORDER[op](a as Ordered, b as Ordered)
  const ka = kindOf(a)
  const kb = kindOf(b)
  if (isNumeric(ka) && isNumeric(kb)) return ORDER[op](a as number | bigint, b as number | bigint)
  if (ka === kb && (ka === 'bool' || ka === 'timestamp')) return ORDER[op](Number(a), Number(b))
  throw celError('no_such_overload', `no such overload: ${ka} ${op} ${kb}`)
}

/** The `in` operator: list membership by element equality, or a map key with a value. */
export function celIn(needle: unknown, haystack: unknown): boolean {
  deepCheck(needle)
  const kind = kindOf(haystack)
  if (kind === 'list') {
    deepCheck(haystack)
    // A string equals only the same string, which is what `includes` looks for.
    if (typeof needle === 'string') return (haystack as unknown[]).includes(needle)
    for (const v of haystack as unknown[]) if (elementEquals(needle, v)) return true
    return false
  }
  if (kind === 'map') {
    deepCheck(haystack)
    const map = haystack as PlainMap
    // The key is coerced by JavaScript as cel-js lets it be (`1 in {"1": true}` is true).
    const key = needle as PropertyKey
    return Object.hasOwn(map, key) ? map[key as string] !== undefined : false
  }
  throw celError('no_such_overload', `no such overload: ${kindOf(needle)} in ${kind}`)
}

/** Length in code points, as cel-js counts it. */
function codePoints(s: string): number {
  let n = 0
  for (const _ of s) n++
  return n
}

/** `size(x)` and `x.size()`: of a string, list or map; an error for anything else. */
export function celSize(v: unknown): bigint {
  if (typeof v === 'string') return BigInt(codePoints(v))
  const kind = kindOf(v)
  if (kind === 'list') {
    deepCheck(v)
    return BigInt((v as unknown[]).length)
  }
  if (kind === 'map') {
    deepCheck(v)
    return BigInt(Object.keys(v as PlainMap).length)
  }
  throw celError('no_matching_overload', `found no matching overload for 'size(${kind})'`)
}
