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

/** The digits at `text[from, from + n)` as a number, or -1 when any is not a digit. */
function digits(text: string, from: number, n: number): number {
  let value = 0
  for (let i = from; i < from + n; i++) {
    const c = text.charCodeAt(i) - 48
    if (c < 0 || c > 9) return -1
    value = value * 10 + c
  }
  return value
}

const at = (text: string, i: number, ch: string): boolean => text[i] === ch

/**
 * The instant of an RFC 3339 timestamp with a zone (`2026-01-31T09:30:00Z`,
 * `…09:30:00.250+01:00`), or undefined. Parsed by hand: it runs on every decision,
 * and a regex plus `Date.parse` cost more than the rest of the input checks (and
 * `Date.parse` alone would roll Feb 30 over to March).
 */
export function parseTimestamp(text: string): Date | undefined {
  // A caller deciding many actions in the same millisecond (the gateway) sends one text again
  // and again: the last one read is remembered. A fresh Date each time: callers may keep it.
  if (text === lastTimestamp.text) return new Date(lastTimestamp.ms)
  const parsed = readTimestamp(text)
  if (parsed !== undefined) lastTimestamp = { text, ms: parsed.getTime() }
  return parsed
}

let lastTimestamp = { text: '', ms: 0 }

function readTimestamp(text: string): Date | undefined {
  if (text.length < 20 || !at(text, 4, '-') || !at(text, 7, '-') || !at(text, 13, ':') || !at(text, 16, ':'))
    return undefined
  if (!(at(text, 10, 'T') || at(text, 10, 't') || at(text, 10, ' '))) return undefined
  const [year, month, day] = [digits(text, 0, 4), digits(text, 5, 2), digits(text, 8, 2)]
  const [hour, minute, second] = [digits(text, 11, 2), digits(text, 14, 2), digits(text, 17, 2)]
  if (
    year < 0 ||
    month < 1 ||
    month > 12 ||
    day < 1 ||
    hour < 0 ||
    hour > 23 ||
    minute < 0 ||
    minute > 59 ||
    second < 0 ||
    second > 59
  )
    return undefined
  if (day > new Date(Date.UTC(2000, month, 0)).getUTCDate() - (month === 2 && !isLeap(year) ? 1 : 0))
    return undefined
  let i = 19
  let ms = 0
  if (at(text, i, '.')) {
    const start = ++i
    while (i < text.length && text.charCodeAt(i) >= 48 && text.charCodeAt(i) <= 57) i++
    if (i === start) return undefined
    ms = digits(`${text.slice(start, Math.min(i, start + 3))}00`, 0, 3)
  }
  let offset = 0
  if ((at(text, i, 'Z') || at(text, i, 'z')) && i + 1 === text.length) offset = 0
  else if ((at(text, i, '+') || at(text, i, '-')) && i + 6 === text.length && at(text, i + 3, ':')) {
    const [oh, om] = [digits(text, i + 1, 2), digits(text, i + 4, 2)]
    if (oh < 0 || oh > 23 || om < 0 || om > 59) return undefined
    offset = (at(text, i, '-') ? -1 : 1) * (oh * 60 + om)
  } else return undefined
  const wall = new Date(Date.UTC(year, month - 1, day, hour, minute, second, ms))
  // Date.UTC reads years below 100 as 19xx; set the year itself.
  if (year < 100) wall.setUTCFullYear(year)
  return new Date(wall.getTime() - offset * 60_000)
}

const isLeap = (year: number): boolean => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0

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
