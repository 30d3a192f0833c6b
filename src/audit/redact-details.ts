// Makes audit details safe to keep forever: values under secret-looking keys are
// redacted, values under keys configured as personal are masked (or pseudonymized),
// secrets inside text are cut out, and whatever JSON cannot carry faithfully is made
// plain JSON, so that chaining never fails on details. Returns a new object.
//
// Key names and text patterns are a safety net, not a guarantee: build details from the
// fields you mean to keep rather than passing whole requests through.
import { CanonicalJson, type JsonObject, type JsonValue } from './canonical-json.ts'
import { KeyClassifier, redactSecretText } from './sensitive-data.ts'

export const REDACTED = '[redacted]'
export const PERSONAL = '[personal]'
export const TOO_DEEP = '[too deep]'
export const UNSUPPORTED = '[unsupported value]'
/** Items of an array, members of an object, kept unless the rules say otherwise. */
export const DEFAULT_MAX_ITEMS = 256

export interface RedactionRules {
  /** Key fragments marking personal data, matched in keys lowercased without separators. */
  readonly personalKeys?: readonly string[]
  /** Replaces a personal value, e.g. with a keyed pseudonym; `[personal]` by default. */
  readonly pseudonymize?: (value: string) => string
  /** Nesting kept before `[too deep]` (default 8). */
  readonly maxDepth?: number
  /** Characters kept of a string (default 2,048). */
  readonly maxString?: number
  /** Items kept of an array, members of an object (default DEFAULT_MAX_ITEMS, 256). */
  readonly maxItems?: number
}

export type Redactor = (details: Readonly<Record<string, unknown>>) => JsonObject

/** A redactor for `rules`, to build once and call for every event. */
export function createRedactor(rules: RedactionRules = {}): Redactor {
  const walker = new Walker(rules)
  return (details) => walker.object(details, 0)
}

/** `details` made safe for the audit log (see createRedactor). */
export function redactDetails(
  details: Readonly<Record<string, unknown>>,
  rules: RedactionRules = {},
): JsonObject {
  return createRedactor(rules)(details)
}

const MAX_KEY = 128
const SURROGATE = /[\ud800-\udfff]/
const LONE_SURROGATE = /\p{Cs}/gu

class Walker {
  readonly #keys: KeyClassifier
  readonly #pseudonymize: ((value: string) => string) | undefined
  readonly #maxDepth: number
  readonly #maxString: number
  readonly #maxItems: number

  constructor(rules: RedactionRules) {
    this.#keys = new KeyClassifier(rules.personalKeys ?? [])
    this.#pseudonymize = rules.pseudonymize
    this.#maxDepth = rules.maxDepth ?? 8
    this.#maxString = rules.maxString ?? 2048
    this.#maxItems = rules.maxItems ?? DEFAULT_MAX_ITEMS
  }

  object(input: object, depth: number): JsonObject {
    if (!isPlainObject(input)) return { value: this.value(input, depth) ?? null }
    const out: Record<string, JsonValue> = {}
    let kept = 0
    for (const key in input) {
      if (!Object.hasOwn(input, key)) continue
      if (kept++ === this.#maxItems) break
      const value = this.#member(key, (input as Record<string, unknown>)[key], depth)
      if (value !== undefined) define(out, this.#text(key, MAX_KEY), value)
    }
    return out
  }

  #member(key: string, raw: unknown, depth: number): JsonValue | undefined {
    switch (this.#keys.classify(key)) {
      case 'secret':
        return REDACTED
      case 'personal':
        return this.#mask(raw)
      case 'plain':
        return this.value(raw, depth + 1)
    }
  }

  /** A JSON value for `input`; undefined for what JSON leaves out of objects. */
  value(input: unknown, depth: number): JsonValue | undefined {
    switch (typeof input) {
      case 'string':
        return this.#text(redactSecretText(input, REDACTED), this.#maxString)
      case 'number':
        return Number.isFinite(input) ? input : null
      case 'boolean':
        return input
      case 'bigint':
        return input.toString()
      case 'object':
        if (input === null) return null
        // jitgate's own values, encoded by their maker (canonical-json.ts): nothing to redact.
        if (input instanceof CanonicalJson) return input
        if (depth > this.#maxDepth) return TOO_DEEP
        if (Array.isArray(input)) return this.#array(input, (item) => this.value(item, depth + 1) ?? null)
        if (input instanceof Date) return Number.isNaN(input.getTime()) ? null : input.toISOString()
        return isPlainObject(input) ? this.object(input, depth) : UNSUPPORTED
      default:
        return undefined
    }
  }

  /** Personal data: text and numbers masked, arrays item by item, objects whole (their keys may be personal too). */
  #mask(input: unknown): JsonValue | undefined {
    if (typeof input === 'string' || typeof input === 'number' || typeof input === 'bigint') {
      const pseudonym = this.#pseudonymize?.(String(input))
      return pseudonym === undefined ? PERSONAL : this.#text(pseudonym, this.#maxString)
    }
    if (Array.isArray(input)) return this.#array(input, (item) => this.#mask(item) ?? null)
    if (input === null || typeof input === 'boolean') return input
    return input === undefined || typeof input === 'function' || typeof input === 'symbol'
      ? undefined
      : PERSONAL
  }

  #array(input: readonly unknown[], each: (item: unknown) => JsonValue): JsonValue[] {
    const out = input.slice(0, this.#maxItems).map(each)
    if (input.length > this.#maxItems) out.push(`[${input.length - this.#maxItems} more items]`)
    return out
  }

  /** Well-formed (lone surrogates become U+FFFD, as a UTF-8 store would make them) and bounded. */
  #text(text: string, max: number): string {
    let out = text.length > max ? `${text.slice(0, max)}…` : text
    if (SURROGATE.test(out)) out = out.replace(LONE_SURROGATE, '\ufffd')
    return out
  }
}

function isPlainObject(value: object): boolean {
  const proto = Object.getPrototypeOf(value)
  return proto === Object.prototype || proto === null
}

/** `out[key] = value`, except that `__proto__` becomes an own member rather than the prototype. */
function define(out: Record<string, JsonValue>, key: string, value: JsonValue): void {
  if (key === '__proto__')
    Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true })
  else out[key] = value
}
