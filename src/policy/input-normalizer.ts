// Turns a PolicyInput (plain JSON from any entry point) into the values CEL sees.
// It never throws: anything it cannot accept comes back as a problem, and the
// engine denies the action.
import { type Activation, CelActor } from './cel-environment.ts'
import type { Facts, PolicyInput } from './decision-types.ts'

const MAX_STRING = 8192

export type NormalizedInput =
  | { ok: true; activation: Activation; facts: Facts }
  | { ok: false; problem: string }

const isRecord = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v)

// Context and attributes go to CEL as they are, without a copy: a decision must
// not pay for data no rule reads. JSON numbers are CEL doubles, which compare
// with int literals (`context.rows > 100`); arithmetic mixing them needs
// `int(x)` or a double literal. A value CEL cannot handle makes the rule that
// reads it fail, and so the action is denied.

function stringList(value: unknown, field: string): readonly string[] {
  if (value === undefined) return []
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string'))
    throw new TypeError(`${field} must be a list of strings`)
  return value
}

function text(value: unknown, field: string, required: boolean): string {
  if (value === undefined && !required) return ''
  if (typeof value !== 'string')
    throw new TypeError(`${field} must be a ${required ? 'non-empty ' : ''}string`)
  if (required && value.length === 0) throw new TypeError(`${field} must be a non-empty string`)
  if (value.length > MAX_STRING) throw new TypeError(`${field} is longer than ${MAX_STRING} characters`)
  if (value.includes('\n')) throw new TypeError(`${field} must not contain a line break`)
  return value
}

/** RFC 3339 with a time zone, as `context.time` must be. */
const RFC3339 =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ]([01]\d|2[0-3]):([0-5]\d):([0-5]\d|60)(?:\.\d+)?(?:[Zz]|[+-](?:[01]\d|2[0-3]):[0-5]\d)$/

/** The instant of an RFC 3339 timestamp, or undefined; `Date.parse` alone would roll Feb 30 over to March. */
function parseTimestamp(text: string): Date | undefined {
  const m = RFC3339.exec(text)
  if (m === null) return undefined
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])]
  if (month < 1 || month > 12 || day < 1 || day > new Date(Date.UTC(year, month, 0)).getUTCDate())
    return undefined
  const ms = Date.parse(text)
  return Number.isNaN(ms) ? undefined : new Date(ms)
}

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
      now = (typeof context.time === 'string' ? parseTimestamp(context.time) : undefined) ?? null
      if (now === null)
        throw new TypeError(
          'context.time must be an RFC 3339 timestamp with a zone, e.g. 2026-01-31T09:30:00Z',
        )
    }
    const facts = input.facts === undefined ? {} : (input.facts as unknown)
    if (!isRecord(facts)) throw new TypeError('facts must be an object')
    for (const key of ['grants', 'consents'] as const) {
      if (facts[key] !== undefined && !(Array.isArray(facts[key]) && facts[key].every(isRecord)))
        throw new TypeError(`facts.${key} must be a list of objects`)
    }
    if (facts.counters !== undefined && !isRecord(facts.counters))
      throw new TypeError('facts.counters must be an object')
    const activation: Activation = {
      actor: new CelActor(
        text(actor.id, 'actor.id', true),
        stringList(actor.groups, 'actor.groups'),
        stringList(actor.roles, 'actor.roles'),
        attributes,
      ),
      action: text(input.action, 'action', true),
      resource: text(input.resource, 'resource', true),
      purpose: text(input.purpose, 'purpose', false),
      context,
      now,
    }
    return { ok: true, activation, facts: facts as Facts }
  } catch (err) {
    return { ok: false, problem: (err as Error).message }
  }
}
