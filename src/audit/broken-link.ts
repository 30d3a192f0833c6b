// What verification found wrong with a chain, and how to say it: which event, where, and
// what happened to it. Messages name seqs and event ids only, never event content.
import type { ChainHead, ChainStart, VerifiableEvent } from './audit-event.ts'

export type ChainProblem = 'changed' | 'removed' | 'reordered' | 'inserted'

/** The first broken link, with the events that show it. */
export interface BrokenLink {
  readonly problem: ChainProblem
  /** The event at fault (changed, inserted), or found in place of the missing ones. */
  readonly event: VerifiableEvent | undefined
  /** The event after it, when that one gave it away. */
  readonly next?: VerifiableEvent
  /** Set when the chain does not link to where verification started. */
  readonly start?: ChainStart
  /** Set when the chain disagrees with a head recorded outside the store. */
  readonly anchor?: ChainHead
  /** Set when the event is a copy of one already verified. */
  readonly duplicate?: boolean
  /** Set when the event's own hash does not match its content. */
  readonly forged?: boolean
}

/** A sentence for `link`; `expected` is the seq verification expected next. */
export function describeLink(link: BrokenLink, expected: number): string {
  switch (link.problem) {
    case 'changed':
      return changed(link)
    case 'removed':
      return removed(link, expected)
    case 'reordered':
      return `events are out of order at ${expected}: ${name(link.event)} comes where event ${expected} belongs`
    case 'inserted':
      return inserted(link, expected)
  }
}

function changed({ event, next, start, anchor }: BrokenLink): string {
  if (event === undefined && anchor !== undefined)
    return `the chain does not start from the anchored hash of event ${anchor.seq}: the checkpoint it starts from was changed`
  if (anchor !== undefined)
    return `${name(event)} does not match the anchored head: its hash differs from the one recorded outside the store, so the log was rewritten up to here`
  if (next !== undefined)
    return `${name(event)} was changed: it has a new hash, but ${name(next)} after it still links to the original`
  if (start !== undefined) {
    const from = start.seq <= 1 ? 'the genesis hash' : `the hash of event ${start.seq - 1} it should follow`
    return `${name(event)} does not link to the start of the chain: its prevHash is not ${from}`
  }
  return `${name(event)} was changed: its hash does not match its content`
}

function removed({ event, anchor }: BrokenLink, expected: number): string {
  const end = event === undefined ? (anchor?.seq ?? expected) : event.seq - 1
  const what =
    end === expected ? `event ${expected} was removed` : `events ${expected} to ${end} were removed`
  if (event === undefined)
    return `the chain ends at event ${expected - 1}, but the anchored head is event ${end}: ${what}`
  const before = expected <= 1 ? 'the start of the log' : `event ${expected - 1}`
  return `${what}: ${name(event)} follows ${before}`
}

function inserted({ event, next, duplicate, forged }: BrokenLink, expected: number): string {
  if (duplicate === true)
    return `${name(event)} appears again after event ${expected - 1}: a copy was inserted`
  if (next !== undefined && next.hash === event?.hash)
    return `${name(event)} appears twice in a row: a copy was inserted`
  if (forged === true)
    return `${name(event)} was inserted: its hash does not match its content, and ${name(next)} continues the chain without it`
  return `${name(event)} was inserted: ${name(next)} after it links to the event before it`
}

function name(event: VerifiableEvent | undefined): string {
  if (event === undefined) return 'an event'
  return `event ${String(event.seq)} (id ${String(event.id)})`
}
