// Variable reads, field and index access, and `has()` for the CEL fast path, with
// the checks cel-js makes on the way: variable types, Actor field types, list
// element types of statically typed lists, and "No such key" for what is absent.
import type { Activation } from './cel-environment.ts'
import { CelActor } from './cel-environment.ts'
import { BAILOUT, celError, kindOf, type PlainMap, readValue } from './cel-fast-values.ts'

export type Evaluate = (activation: Activation) => unknown

/** Checks an element read from a list whose static element type is not dyn. */
export type ElementCheck = (v: unknown) => boolean

const isPlainMap = (v: unknown): v is PlainMap => {
  if (typeof v !== 'object' || v === null) return false
  const c: unknown = v.constructor
  return c === Object || c === undefined
}

/** Reads one of our variables, bailing where cel-js would reject (or convert) its value. */
export function variableReader(name: string): Evaluate | undefined {
  switch (name) {
    case 'actor':
      return (a) => {
        const v: unknown = a.actor
        if (typeof v === 'object' && v !== null && v.constructor === CelActor) return v
        throw BAILOUT
      }
    case 'action':
    case 'resource':
    case 'purpose':
      return (a) => {
        const v: unknown = a[name]
        if (typeof v === 'string') return v
        throw BAILOUT
      }
    case 'context':
      return (a) => {
        const v: unknown = a.context
        if (isPlainMap(v)) return v
        throw BAILOUT
      }
    case 'now':
      return (a) => {
        const v: unknown = a.now
        if (v === undefined) throw BAILOUT
        return readValue(v)
      }
    default:
      return undefined
  }
}

const noSuchKey = (key: unknown): Error => celError('no_such_key', `No such key: ${String(key)}`)

const fieldTypeMismatch = (key: string, type: string): Error =>
  celError('field_type_mismatch', `Field '${key}' is not of type '${type}'`)

/** A field of the Actor type, or undefined when the field is unknown or unset. */
function actorField(actor: CelActor, key: unknown): unknown {
  if (typeof key !== 'string') throw BAILOUT
  let v: unknown
  switch (key) {
    case 'id':
      v = actor.id
      if (v === undefined || typeof v === 'string') return v
      throw fieldTypeMismatch(key, 'string')
    case 'groups':
    case 'roles':
      v = actor[key]
      if (v === undefined || kindOf(v) === 'list') return v
      throw fieldTypeMismatch(key, 'list<string>')
    case 'attributes':
      v = actor.attributes
      if (v === undefined || isPlainMap(v)) return v
      if (typeof v === 'object' && v !== null && v.constructor === Map) throw BAILOUT
      throw fieldTypeMismatch(key, 'map<string, dyn>')
    default:
      return undefined
  }
}

/** A list element: ints and doubles index it, anything else is no key; out of range is an error. */
function listElement(list: readonly unknown[], key: unknown, check: ElementCheck | undefined): unknown {
  let pos: number
  if (typeof key === 'bigint') pos = Number(key)
  else if (typeof key === 'number') pos = key
  else throw noSuchKey(key)
  const v = list[pos]
  if (v === undefined) throw celError('index_out_of_bounds', `No such key: index out of bounds, index ${pos}`)
  if (check === undefined) return readValue(v)
  if (check(v)) return v
  throw celError('list_item_type_mismatch', `List item with index '${pos}' has the wrong type`)
}

/** `obj.key` and `obj[key]`. */
export function getField(obj: unknown, key: unknown, check: ElementCheck | undefined): unknown {
  if (typeof obj === 'object' && obj !== null) {
    const c: unknown = obj.constructor
    if (c === Object || c === undefined) {
      const map = obj as PlainMap
      const k = key as string
      const v = Object.hasOwn(map, k) ? map[k] : undefined
      if (v !== undefined) return readValue(v)
    } else if (c === Array) {
      return listElement(obj as unknown[], key, check)
    } else if (c === CelActor) {
      const v = actorField(obj as CelActor, key)
      if (v !== undefined) return v
    } else {
      throw BAILOUT
    }
  }
  throw noSuchKey(key)
}

/** What `has()` sees of one field: the value, or undefined when there is none. */
function presentField(obj: unknown, key: string): unknown {
  switch (kindOf(obj)) {
    case 'map': {
      const map = obj as PlainMap
      const v = Object.hasOwn(map, key) ? map[key] : undefined
      return v === undefined ? undefined : readValue(v)
    }
    case 'actor':
      return actorField(obj as CelActor, key)
    case 'timestamp':
      throw BAILOUT
    default:
      return undefined
  }
}

/**
 * `has(v.f1.….fn)`: every field but the last must be there (else "No such key", as
 * cel-js throws); the answer is whether the last one is.
 */
export function hasChain(root: Evaluate, keys: readonly string[]): Evaluate {
  const last = keys.length - 1
  return (a) => {
    let obj = root(a)
    for (let i = 0; i < last; i++) {
      const key = keys[i] as string
      obj = presentField(obj, key)
      if (obj === undefined) throw noSuchKey(key)
    }
    return presentField(obj, keys[last] as string) !== undefined
  }
}
