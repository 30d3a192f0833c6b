// Turns a PolicyInput (plain JSON from any entry point) into the values CEL sees.
// It never throws: anything it cannot accept comes back as a problem, and the
// engine denies the action.
import { type Activation, CelActor } from './cel-environment.ts'
import type { Facts, PolicyInput } from './decision-types.ts'

const MAX_DEPTH = 32
const MAX_STRING = 8192

export type NormalizedInput = { ok: true; activation: Activation; facts: Facts } | { ok: false; problem: string }

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v)

/**
 * Converts JSON values to CEL values: whole numbers become ints (bigint) so that
 * `context.rows + 1` type-checks as it reads; other numbers stay doubles.
 */
function toCel(value: unknown, depth: number): unknown {
  if (depth > MAX_DEPTH) throw new RangeError(`nested deeper than ${MAX_DEPTH} levels`)
  switch (typeof value) {
    case 'string':
    case 'boolean':
    case 'bigint':
      return value
    case 'number':
      return Number.isSafeInteger(value) ? BigInt(value) : value
    case 'object': {
      if (value === null) return null
      if (Array.isArray(value)) return value.map((v) => toCel(v, depth + 1))
      if (value instanceof Date) return value
      const out: Record<string, unknown> = {}
      for (const [k, v] of Object.entries(value)) {
        if (v !== undefined) out[k] = toCel(v, depth + 1)
      }
      return out
    }
    default:
      return null
  }
}

function stringList(value: unknown, field: string): readonly string[] {
  if (value === undefined) return []
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) throw new TypeError(`${field} must be a list of strings`)
  return value
}

function text(value: unknown, field: string, required: boolean): string {
  if (value === undefined && !required) return ''
  if (typeof value !== 'string' || (required && value.length === 0)) throw new TypeError(`${field} must be a non-empty string`)
  if (value.length > MAX_STRING) throw new TypeError(`${field} is longer than ${MAX_STRING} characters`)
  if (value.includes('\n')) throw new TypeError(`${field} must not contain a line break`)
  return value
}

/** RFC 3339 with a time zone, as `context.time` must be. */
const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[Zz]|[+-]\d{2}:\d{2})$/

export function normalizeInput(input: PolicyInput): NormalizedInput {
  try {
    if (!isRecord(input)) throw new TypeError('the input must be an object')
    const actor = input.actor as unknown
    if (!isRecord(actor)) throw new TypeError('actor must be an object with an id')
    const attributes = actor.attributes === undefined ? {} : actor.attributes
    if (!isRecord(attributes)) throw new TypeError('actor.attributes must be an object')
    const context = input.context === undefined ? {} : (input.context as unknown)
    if (!isRecord(context)) throw new TypeError('context must be an object')
    let now: Date | null = null
    if (context.time !== undefined) {
      if (typeof context.time !== 'string' || !RFC3339.test(context.time) || Number.isNaN(Date.parse(context.time))) {
        throw new TypeError('context.time must be an RFC 3339 timestamp with a zone, e.g. 2026-01-31T09:30:00Z')
      }
      now = new Date(context.time)
    }
    const facts = input.facts === undefined ? {} : (input.facts as unknown)
    if (!isRecord(facts)) throw new TypeError('facts must be an object')
    for (const key of ['grants', 'consents'] as const) {
      if (facts[key] !== undefined && !(Array.isArray(facts[key]) && facts[key].every(isRecord))) throw new TypeError(`facts.${key} must be a list of objects`)
    }
    if (facts.counters !== undefined && !isRecord(facts.counters)) throw new TypeError('facts.counters must be an object')
    const activation: Activation = {
      actor: new CelActor(
        text(actor.id, 'actor.id', true),
        stringList(actor.groups, 'actor.groups'),
        stringList(actor.roles, 'actor.roles'),
        toCel(attributes, 1) as Record<string, unknown>,
      ),
      action: text(input.action, 'action', true),
      resource: text(input.resource, 'resource', true),
      purpose: text(input.purpose, 'purpose', false),
      context: toCel(context, 0) as Record<string, unknown>,
      now,
    }
    return { ok: true, activation, facts: facts as Facts }
  } catch (err) {
    return { ok: false, problem: (err as Error).message }
  }
}
