// RFC 8785 JSON Canonicalization Scheme (JCS): the one byte-exact encoding the audit
// hash chain is computed over. Keys sorted by UTF-16 code units, numbers as ECMAScript
// prints them, strings escaped as JSON.stringify does, no whitespace.
//
// Our own encoder rather than the `canonicalize` package (the RFC authors' reference): its
// maintained major (5.x) needs Node 22; it calls toJSON, so a Date or a class silently
// becomes whatever it says; it cannot say where a bad value is; and the hash chain needs
// its pieces (stringContent, encodeValue) to encode an event without building a copy of
// it. The tests check this encoder against the RFC's published vectors and, on random
// values, against `canonicalize` 4.0.0 (a devDependency).
import { JitgateError } from '../shared/index.ts'

/** A JSON value as the audit log stores it. */
export type JsonValue = null | boolean | number | string | readonly JsonValue[] | JsonObject | CanonicalJson

/**
 * A value given as its RFC 8785 text already, made with `encodeValue` by jitgate from values of
 * its own (ids, numbers, names it chose, codes PostgreSQL sent): the encoder writes the text as
 * it is and the redactor passes it by, so a large value built on a hot path (the rows of a
 * `db.statements` batch) is not walked twice more. Never for text a client or a request wrote:
 * that must go through the redactor. Serializes (toJSON) as the value it encodes.
 */
export class CanonicalJson {
  constructor(readonly text: string) {}

  toJSON(): unknown {
    return JSON.parse(this.text)
  }
}
export interface JsonObject {
  readonly [key: string]: JsonValue
}

// Cheap pre-checks, so that the common plain string costs one regex test: any character
// outside this class must be escaped by JSON (controls, `"`, `\`) or is a surrogate
// (which then needs the exact lone-surrogate test).
const NEEDS_CARE = /[^\u0020\u0021\u0023-\u005b\u005d-\ud7ff\ue000-\uffff]/
const SURROGATE = /[\ud800-\udfff]/
// In a `u` regex a well-formed surrogate pair is one code point, so this matches only a
// lone surrogate: I-JSON forbids them, and a UTF-8 store would turn one into U+FFFD,
// changing the text after it was hashed.
const LONE_SURROGATE = /\p{Cs}/u

class NotCanonical extends Error {}

/** False when `text` holds a lone surrogate, which no JSON text or UTF-8 store can carry. */
export function isWellFormedText(text: string): boolean {
  return !SURROGATE.test(text) || !LONE_SURROGATE.test(text)
}

/**
 * The RFC 8785 encoding of `value`. Throws a JitgateError (`audit_not_canonical`) naming
 * the path of anything JSON cannot carry faithfully: NaN, ±Infinity, lone surrogates, and
 * non-JSON values (functions, symbols, bigints, Dates, Maps, class instances). Object
 * members whose value is `undefined` are left out, as JSON.stringify does, so a value and
 * its JSON round trip through a store encode the same.
 */
export function canonicalJson(value: JsonValue): string {
  try {
    return encodeValue(value)
  } catch (err) {
    if (!(err instanceof NotCanonical)) throw err
    const found = locate(value, '')
    throw problem(found?.path ?? '', found?.message ?? err.message)
  }
}

/**
 * @internal The text between the quotes of the JSON string literal of `text`, without
 * error reporting: the hash chain's hot path writes the quotes into its own template.
 */
export function stringContent(text: string): string {
  // A store could hand back a number where a string belongs; encoding it as a string would
  // let the type change without changing the hash.
  if (typeof text !== 'string') throw new NotCanonical(`a ${typeof text} is not a string`)
  if (!NEEDS_CARE.test(text)) return text
  if (SURROGATE.test(text) && LONE_SURROGATE.test(text))
    throw new NotCanonical('a string holds a lone UTF-16 surrogate')
  return JSON.stringify(text).slice(1, -1)
}

/** The RFC 8785 text of the string `text` (quotes included), for building a CanonicalJson. */
export function encodeString(text: string): string {
  return `"${stringContent(text)}"`
}

/** @internal */
export function encodeValue(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return encodeString(value)
    case 'number':
      if (!Number.isFinite(value)) throw new NotCanonical(`${value} is not a JSON number`)
      // ECMAScript's Number::toString is the serialization RFC 8785 adopts (and -0 gives "0").
      return JSON.stringify(value)
    case 'boolean':
      return value ? 'true' : 'false'
    case 'object':
      if (value === null) return 'null'
      if (Array.isArray(value)) return encodeArray(value)
      if (value instanceof CanonicalJson) return value.text
      if (isPlainObject(value)) return encodeObject(value as Readonly<Record<string, unknown>>)
      throw new NotCanonical(`a ${value.constructor?.name ?? 'non-plain'} object is not a JSON value`)
    default:
      throw new NotCanonical(`a ${typeof value} is not a JSON value`)
  }
}

function encodeArray(items: readonly unknown[]): string {
  let out = '['
  for (let i = 0; i < items.length; i++) {
    const item = items[i]
    // JSON.stringify writes a hole or `undefined` in an array as null.
    out += `${i === 0 ? '' : ','}${item === undefined ? 'null' : encodeValue(item)}`
  }
  return `${out}]`
}

function encodeObject(object: Readonly<Record<string, unknown>>): string {
  const keys = sortedKeys(object)
  let out = '{'
  for (const key of keys) {
    const item = object[key]
    if (item === undefined) continue
    out += `${out.length === 1 ? '' : ','}"${stringContent(key)}":${encodeValue(item)}`
  }
  return `${out}}`
}

/**
 * Keys in UTF-16 code unit order (RFC 8785 §3.2.3), which is what `<` on strings compares.
 * Insertion sort: details objects are small and often already sorted (a canonical round
 * trip), where it makes n − 1 comparisons and beats Array.prototype.sort.
 */
function sortedKeys(object: object): string[] {
  const keys = Object.keys(object)
  for (let i = 1; i < keys.length; i++) {
    const key = keys[i] as string
    let j = i - 1
    while (j >= 0 && (keys[j] as string) > key) {
      keys[j + 1] = keys[j] as string
      j--
    }
    keys[j + 1] = key
  }
  return keys
}

function isPlainObject(value: object): boolean {
  const proto = Object.getPrototypeOf(value)
  return proto === Object.prototype || proto === null
}

/** The slow second pass after a failure: walks `value` again to name where the problem is. */
function locate(value: unknown, path: string): { path: string; message: string } | undefined {
  if (typeof value === 'object' && value !== null && (Array.isArray(value) || isPlainObject(value))) {
    for (const [key, item] of Object.entries(value)) {
      const itemPath = `${path}/${key.replaceAll('~', '~0').replaceAll('/', '~1')}`
      const found = tryEncode(() => encodeString(key), itemPath) ?? locate(item, itemPath)
      if (found !== undefined) return found
    }
    return undefined
  }
  return value === undefined ? undefined : tryEncode(() => encodeValue(value), path)
}

function tryEncode(encode: () => string, path: string): { path: string; message: string } | undefined {
  try {
    encode()
    return undefined
  } catch (err) {
    if (err instanceof NotCanonical) return { path, message: err.message }
    throw err
  }
}

function problem(path: string, message: string): JitgateError {
  return new JitgateError('audit_not_canonical', `${message} (at '${path || '/'}')`, {
    details: [{ path, message, hint: 'audit details must be plain JSON: pass them through redactDetails' }],
  })
}
