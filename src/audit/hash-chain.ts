// The hash chain: each event's hash covers its own fields and the hash of the event before
// it, so changing, removing, inserting or reordering an event breaks the links after it.
// Pure: ids and the clock are passed in.
import { hash } from 'node:crypto'
import { JitgateError } from '../shared/index.ts'
import {
  type AuditDraft,
  type AuditEvent,
  type ChainedEvent,
  type ChainHead,
  checkDraft,
  type StoredAuditEvent,
  type VerifiableEvent,
} from './audit-event.ts'
import { canonicalJson, encodeValue, stringContent as q } from './canonical-json.ts'

/** The prevHash of the first event of a log. */
export const GENESIS_HASH = '0'.repeat(64)
/** The head of an empty log. */
export const GENESIS_HEAD: ChainHead = Object.freeze({ seq: 0, hash: GENESIS_HASH })

/** An event before it is hashed: every field but prevHash and hash. */
export type UnhashedEvent = Omit<AuditEvent, 'prevHash' | 'hash'>

/**
 * The bytes an event's hash covers: the RFC 8785 encoding of the event with `prevHash`
 * and without `hash`. Written out field by field, keys in their sorted order, because it
 * runs for every event appended and verified (a test checks it equals canonicalJson). Only
 * the model's fields are covered: anything else a store attaches is not protected.
 */
export function canonicalEvent(prevHash: string, event: UnhashedEvent): string {
  return preimage(prevHash, event, encodeValue(event.details))
}

/** SHA-256 (hex) of canonicalEvent: one one-shot hash call, no intermediate JSON. */
export function hashEvent(prevHash: string, event: UnhashedEvent): string {
  return hash('sha256', canonicalEvent(prevHash, event), 'hex')
}

/**
 * The hash of a stored row, over its details text exactly as kept. Sound without parsing
 * that text: every other field is escaped and the layout around it is fixed, so no other
 * row can give the same bytes (and one changed byte changes the hash).
 */
export function hashStoredEvent(event: Omit<StoredAuditEvent, 'hash'>): string {
  if (typeof event.detailsJson !== 'string') throw new TypeError('the stored details are not text')
  return hash('sha256', preimage(event.prevHash, event, event.detailsJson), 'hex')
}

/** The hash an event's content gives: from its details object if it has one, else from the stored text. */
export function contentHash(event: VerifiableEvent): string {
  return hash('sha256', contentPreimage(event), 'hex')
}

/**
 * The bytes contentHash hashes: canonicalEvent, or for a stored row the same layout around
 * its details text as kept. Throws on a malformed event. Separate from the hash so that
 * verification can build it here and hash it in a worker thread.
 */
export function contentPreimage(event: VerifiableEvent): string {
  const { details } = event as Partial<AuditEvent>
  if (details !== undefined) return canonicalEvent(event.prevHash, event as AuditEvent)
  const { detailsJson } = event as StoredAuditEvent
  if (typeof detailsJson !== 'string') throw new TypeError('the stored details are not text')
  return preimage(event.prevHash, event, detailsJson)
}

function preimage(prevHash: string, event: Omit<UnhashedEvent, 'details'>, details: string): string {
  const { actor, subject, policyVersion } = event
  // `q` is a string's JSON text without its quotes, which the template writes: one piece
  // fewer per field, measurably cheaper when it runs a million times.
  const version = policyVersion === undefined ? '' : `,"policyVersion":"${q(policyVersion)}"`
  return (
    `{"actor":{"id":"${q(actor.id)}","type":"${q(actor.type)}"},"details":${details}` +
    `,"id":"${q(event.id)}"${version},"prevHash":"${q(prevHash)}","seq":${seqText(event.seq)}` +
    `,"subject":{"id":"${q(subject.id)}","type":"${q(subject.type)}"}` +
    `,"time":"${q(event.time)}","type":"${q(event.type)}"}`
  )
}

/** A seq as JSON: only a positive safe integer, so no other value can stand in its place. */
function seqText(seq: number): string {
  if (!Number.isSafeInteger(seq) || seq < 1) throw new TypeError(`${String(seq)} is not a seq`)
  return String(seq)
}

/**
 * The events that follow `last` for `drafts`, in order: seq, prevHash and hash filled in,
 * details also as the canonical text a store keeps (`detailsJson`), `ids[i]` as the id of
 * `drafts[i]`, and one reading of `clock` as the time of the whole batch. Throws a
 * JitgateError when a draft is invalid (the whole batch is then refused).
 */
export function appendEvents(
  last: ChainHead,
  drafts: readonly AuditDraft[],
  ids: readonly string[],
  clock: () => Date,
): ChainedEvent[] {
  if (ids.length !== drafts.length)
    throw new JitgateError(
      'audit_invalid_batch',
      `${drafts.length} drafts need as many ids, got ${ids.length}`,
    )
  const time = batchTime(clock)
  const events: ChainedEvent[] = []
  let { seq, hash: prevHash } = last
  for (let i = 0; i < drafts.length; i++) {
    const draft = drafts[i] as AuditDraft
    checkDraft(draft)
    const event = chainEvent(draft, ++seq, ids[i] as string, time, prevHash)
    events.push(event)
    prevHash = event.hash
  }
  return events
}

/** One event as an object literal of one fixed shape (two, with and without policyVersion). */
function chainEvent(
  draft: AuditDraft,
  seq: number,
  id: string,
  time: string,
  prevHash: string,
): ChainedEvent {
  const { actor, type, subject, policyVersion } = draft
  const details = draft.details ?? {}
  const detailsJson = flatten(canonicalJson(details))
  const event =
    policyVersion === undefined
      ? { seq, id, time, actor, type, subject, details, prevHash, hash: '', detailsJson }
      : { seq, id, time, actor, type, subject, details, policyVersion, prevHash, hash: '', detailsJson }
  event.hash = hash('sha256', preimage(prevHash, event, detailsJson), 'hex')
  return event
}

/**
 * V8 builds concatenated strings as trees of pieces and flattens them only when read
 * whole. Events keep their details text (until the store writes it), and a kept tree of a
 * dozen pieces costs the garbage collector far more than one flat string: measured, it
 * doubled the time to chain a million events. Reading one character flattens it in place.
 */
function flatten(text: string): string {
  text.charCodeAt(0)
  return text
}

/** The head after `events` (or `last` when there are none). */
export function headAfter(last: ChainHead, events: readonly { seq: number; hash: string }[]): ChainHead {
  const end = events[events.length - 1]
  return end === undefined ? last : { seq: end.seq, hash: end.hash }
}

function batchTime(clock: () => Date): string {
  const now = clock()
  const ms = now.getTime()
  // toISOString gives RFC 3339 UTC with milliseconds only for years 0000-9999.
  if (!Number.isFinite(ms) || ms < -62167219200000 || ms > 253402300799999)
    throw new JitgateError('audit_clock_invalid', 'the clock returned an invalid or out-of-range time')
  return now.toISOString()
}
