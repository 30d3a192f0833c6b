// Verifies a hash chain as a stream and names its first broken link: an event changed,
// removed, inserted, or out of order. Holds at most one event back (to tell a removal
// from a reordering), so a million events need no array.
import { JitgateError } from '../shared/index.ts'
import type { ChainHead, ChainStart, VerifiableEvent } from './audit-event.ts'
import { type BrokenLink, type ChainProblem, describeLink } from './broken-link.ts'
import { contentHash, GENESIS_HASH } from './hash-chain.ts'
import { HashChecker } from './hash-checker.ts'

export const GENESIS_START: ChainStart = Object.freeze({ seq: 1, prevHash: GENESIS_HASH })

export interface VerifyOptions {
  /**
   * A head recorded outside the store (see AuditWriter.head): the chain must reach it
   * with the same hash. Without one, dropping the newest events or rewriting the whole
   * chain consistently cannot be detected.
   */
  readonly anchor?: ChainHead
}

export interface VerifyFailure {
  readonly ok: false
  /** Where the chain breaks: the event changed or inserted, or the first seq removed or out of order. */
  readonly seq: number
  /** The event found there; absent when it was removed. */
  readonly id?: string
  readonly problem: ChainProblem
  readonly message: string
}

export type VerifyResult =
  | { readonly ok: true; readonly count: number; readonly lastSeq: number; readonly lastHash: string }
  | VerifyFailure

/**
 * Verifies `events` (in the order a store returns them) from `start`: parsed events, or
 * rows with their details text, which is hashed as stored and costs no parsing.
 */
export function verifyChain(
  events: Iterable<VerifiableEvent>,
  start: ChainStart = GENESIS_START,
  options: VerifyOptions = {},
): VerifyResult {
  const verifier = new ChainVerifier(start, options)
  for (const event of events) if (verifier.push(event) !== undefined) break
  return verifier.finish()
}

/** Events one by one, or in pages (arrays) as a store reads them: pages cost far fewer awaits. */
export type EventStream =
  | AsyncIterable<VerifiableEvent | readonly VerifiableEvent[]>
  | Iterable<VerifiableEvent | readonly VerifiableEvent[]>

/** verifyChain over an async stream of events or pages, such as a store's `read`. */
export async function verifyChainAsync(
  events: EventStream,
  start: ChainStart = GENESIS_START,
  options: VerifyOptions = {},
): Promise<VerifyResult> {
  const verifier = new ChainVerifier(start, options)
  await feed(verifier, events)
  return verifier.finish()
}

/** Pages read ahead of the verifier while a worker hashes them: memory stays a few pages. */
const PAGES_AHEAD = 2

/**
 * Pushes the stream into `verifier` until it reports a failure or the stream ends;
 * `seen` is told of every event pushed. Large pages have their hashes checked on a worker
 * thread while the next pages are read (see HashChecker); links are judged here, in order.
 */
export async function feed(
  verifier: ChainVerifier,
  events: EventStream,
  seen?: (event: VerifiableEvent) => void,
): Promise<void> {
  const checker = new HashChecker()
  const ahead: { page: readonly VerifiableEvent[]; intact: Promise<Uint8Array> | undefined }[] = []
  const pushNext = async (): Promise<boolean> => {
    const next = ahead.shift()
    if (next === undefined) return true
    const intact = await next.intact
    for (const [i, event] of next.page.entries()) {
      const failure = intact === undefined ? verifier.push(event) : verifier.push(event, intact[i] === 1)
      if (failure !== undefined) return false
      seen?.(event)
    }
    return true
  }
  try {
    for await (const item of events) {
      const page = isPage(item) ? item : [item]
      ahead.push({ page, intact: checker.check(page) })
      if (ahead.length >= PAGES_AHEAD && !(await pushNext())) return
    }
    while (ahead.length > 0) if (!(await pushNext())) return
  } finally {
    checker.close()
  }
}

function isPage(item: VerifiableEvent | readonly VerifiableEvent[]): item is readonly VerifiableEvent[] {
  return Array.isArray(item)
}

interface Pending {
  /** `gap`: an intact event after missing seqs; `forged`: an event whose hash does not match. */
  readonly kind: 'gap' | 'forged'
  readonly event: VerifiableEvent
}

/** The verification state machine: push events in order, then finish. */
export class ChainVerifier {
  #seq: number
  #prevHash: string
  #count = 0
  /** The last event accepted: to spot an insertion after it. */
  #last: VerifiableEvent | undefined
  #pending: Pending | undefined
  #failure: VerifyFailure | undefined
  readonly #start: ChainStart
  readonly #anchor: ChainHead | undefined

  constructor(start: ChainStart, options: VerifyOptions = {}) {
    this.#start = start
    this.#seq = start.seq
    this.#prevHash = start.prevHash
    this.#anchor = options.anchor
    if (this.#anchor !== undefined) this.#checkAnchorAtStart(this.#anchor)
  }

  /**
   * Feeds the next event; returns the failure once the first broken link is known.
   * `intact`: whether its hash matches its content, when already checked (feed checks
   * pages on a worker thread); computed here when absent.
   */
  push(event: VerifiableEvent, intact: boolean = isIntact(event)): VerifyFailure | undefined {
    if (this.#failure !== undefined) return this.#failure
    if (this.#pending !== undefined) return this.#fail(this.#resolve(this.#pending, event, intact))
    if (intact && event.seq === this.#seq && event.prevHash === this.#prevHash) {
      this.#accept(event)
      return this.#failure
    }
    const link = this.#judge(event, intact)
    return link === undefined ? undefined : this.#fail(link)
  }

  finish(): VerifyResult {
    if (this.#failure === undefined && this.#pending !== undefined)
      this.#fail(this.#resolve(this.#pending, undefined, false))
    if (this.#failure === undefined && this.#anchor !== undefined && this.#anchor.seq >= this.#seq)
      this.#fail({ problem: 'removed', event: undefined, anchor: this.#anchor })
    if (this.#failure !== undefined) return this.#failure
    return { ok: true, count: this.#count, lastSeq: this.#seq - 1, lastHash: this.#prevHash }
  }

  #accept(event: VerifiableEvent): void {
    this.#count++
    this.#seq++
    this.#prevHash = event.hash
    this.#last = event
    const anchor = this.#anchor
    if (anchor !== undefined && event.seq === anchor.seq && event.hash !== anchor.hash)
      this.#fail({ problem: 'changed', event, anchor })
  }

  /** An event that does not simply continue the chain: decide now, or after the next one. */
  #judge(event: VerifiableEvent, intact: boolean): BrokenLink | undefined {
    const last = this.#last
    if (!intact) {
      this.#pending = { kind: 'forged', event }
      return undefined
    }
    if (insertedBefore(event, last)) return { problem: 'inserted', event: last, next: event }
    if (event.seq === this.#seq) {
      // Intact and in place, yet linked to another hash: the event before it was rewritten.
      return last === undefined
        ? { problem: 'changed', event, start: this.#start }
        : { problem: 'changed', event: last, next: event }
    }
    if (event.seq > this.#seq) {
      this.#pending = { kind: 'gap', event }
      return undefined
    }
    return { problem: 'inserted', event, duplicate: true }
  }

  /** The event after a suspicious one (none at the end) tells what happened to the chain. */
  #resolve(pending: Pending, next: VerifiableEvent | undefined, nextIntact: boolean): BrokenLink {
    const { event } = pending
    if (pending.kind === 'gap')
      return next !== undefined && next.seq < event.seq
        ? { problem: 'reordered', event }
        : { problem: 'removed', event }
    // A forged event followed by one that continues the chain from before it was put in.
    if (next !== undefined && nextIntact && next.seq === this.#seq && next.prevHash === this.#prevHash)
      return { problem: 'inserted', event, next, forged: true }
    // A changed event (its prevHash kept) that links to where the event before it does:
    // that one was put in, and the later seqs renumbered.
    const last = this.#last
    if (insertedBefore(event, last)) return { problem: 'inserted', event: last, next: event }
    return { problem: 'changed', event }
  }

  #fail(link: BrokenLink): VerifyFailure {
    this.#pending = undefined
    const expected = this.#seq
    const id = link.problem === 'removed' ? undefined : link.event?.id
    this.#failure = {
      ok: false,
      seq: failureSeq(link, expected),
      ...(id === undefined ? {} : { id }),
      problem: link.problem,
      message: describeLink(link, expected),
    }
    return this.#failure
  }

  #checkAnchorAtStart(anchor: ChainHead): void {
    if (anchor.seq === this.#start.seq - 1) {
      if (anchor.hash !== this.#start.prevHash)
        this.#fail({ problem: 'changed', event: undefined, anchor, start: this.#start })
    } else if (anchor.seq < this.#start.seq) {
      throw new JitgateError(
        'audit_anchor_before_start',
        `the anchor (event ${anchor.seq}) lies before where verification starts (event ${this.#start.seq})`,
        { status: 400, details: [{ path: 'anchor.seq', message: 'must not be before the start' }] },
      )
    }
  }
}

/** The seq a failure names: the event at fault, or the first seq missing or out of place. */
function failureSeq(link: BrokenLink, expected: number): number {
  if (link.problem === 'removed' || link.problem === 'reordered') return expected
  const claimed = link.event?.seq
  if (claimed !== undefined && Number.isSafeInteger(claimed)) return claimed
  return link.anchor?.seq ?? expected
}

/** Two events never share a prevHash in a sound chain: when they do, `last` was put in. */
function insertedBefore(event: VerifiableEvent, last: VerifiableEvent | undefined): last is VerifiableEvent {
  return last !== undefined && event.prevHash === last.prevHash
}

/** True when the event's hash matches its content; a malformed event is not intact. */
function isIntact(event: VerifiableEvent): boolean {
  if (!Number.isSafeInteger(event.seq) || typeof event.hash !== 'string') return false
  try {
    return contentHash(event) === event.hash
  } catch {
    return false
  }
}
