// Appends audit events with group commit. Each append resolves only once the batch
// holding it is durable; appends that arrive while a batch is being written wait and
// become the next batch together, so throughput does not pay one commit per event and
// no timer delays a lone event. The next batch is chained while the one before is being
// written. A failed batch rejects every append in it and leaves the chain where it was:
// the next batch re-chains from the store's durable head.
import { JitgateError } from '../shared/index.ts'
import { type AuditDraft, type ChainedEvent, type ChainHead, checkDraft } from './audit-event.ts'
import type { AuditStore } from './audit-port.ts'
import { appendEvents, GENESIS_HEAD, headAfter } from './hash-chain.ts'
import { createRedactor, type RedactionRules, type Redactor } from './redact-details.ts'

export interface AuditWriterOptions {
  readonly store: Pick<AuditStore, 'appendBatch' | 'head'>
  /** A new unique event id (a UUIDv7 in production). */
  readonly newId: () => string
  readonly now: () => Date
  /** Personal keys and pseudonyms; secrets are redacted whatever this says. */
  readonly redaction?: RedactionRules
  /** Most events in one batch (default 1,000). */
  readonly maxBatch?: number
  /** Times a batch is re-chained when another writer moved the head (default 5). */
  readonly maxRetries?: number
  /** Batches handed to the store before the first is durable (default 2). */
  readonly maxInFlight?: number
}

interface Entry {
  readonly draft: AuditDraft
  readonly id: string
  readonly resolve: (event: ChainedEvent) => void
  readonly reject: (err: unknown) => void
  /** Times this entry's batch was re-chained because the head moved. */
  retries: number
}

/** A batch handed to the store and not yet answered. */
interface Flight {
  readonly batch: readonly Entry[]
  readonly events: readonly ChainedEvent[]
  readonly after: ChainHead
  /** Undefined once durable, else why it failed. */
  readonly outcome: Promise<{ readonly error: unknown } | undefined>
}

export class AuditWriter {
  readonly #store: AuditWriterOptions['store']
  readonly #newId: () => string
  readonly #now: () => Date
  readonly #redact: Redactor
  readonly #maxBatch: number
  readonly #maxRetries: number
  readonly #maxInFlight: number
  #queue: Entry[] = []
  #inFlight: Flight[] = []
  /** Entries of failed batches to re-chain, in chain order, once nothing is in flight. */
  #retry: Entry[] = []
  #draining = false
  /** Set while the drain waits for the oldest batch with a slot free: an append wakes it. */
  #wake: (() => void) | undefined
  #idle: (() => void)[] = []
  /** The durable head this writer last wrote or read; undefined: ask the store. */
  #head: ChainHead | undefined
  /** The head after the last batch handed to the store, durable or not: the next batch chains on it. */
  #tail: ChainHead | undefined

  constructor(options: AuditWriterOptions) {
    this.#store = options.store
    this.#newId = options.newId
    this.#now = options.now
    this.#redact = createRedactor(options.redaction)
    this.#maxBatch = positive(options.maxBatch ?? 1000, 'maxBatch')
    this.#maxRetries = options.maxRetries ?? 5
    this.#maxInFlight = positive(options.maxInFlight ?? 2, 'maxInFlight')
  }

  /**
   * Chains `draft` (its details redacted) and resolves with the event once it is durable.
   * Rejects with `audit_invalid_event` when the draft itself is wrong (nothing else is
   * affected), or `audit_write_failed` when its batch could not be written: then the
   * action it records must not proceed.
   */
  append(draft: AuditDraft): Promise<ChainedEvent> {
    let prepared: AuditDraft
    try {
      checkDraft(draft)
      // Copied now: the batch is chained later, and the caller may reuse its objects.
      const { actor, type, subject, policyVersion } = draft
      prepared = {
        actor: { type: actor.type, id: actor.id },
        type,
        subject: { type: subject.type, id: subject.id },
        details: this.#redact(draft.details ?? {}),
        ...(policyVersion === undefined ? {} : { policyVersion }),
      }
    } catch (err) {
      return Promise.reject(err)
    }
    return new Promise<ChainedEvent>((resolve, reject) => {
      this.#queue.push({ draft: prepared, id: this.#newId(), resolve, reject, retries: 0 })
      this.#wake?.()
      this.#startDrain()
    })
  }

  #startDrain(): void {
    if (this.#draining) return
    this.#draining = true
    // A microtask, not a timer: appends made in the same turn join the first batch.
    queueMicrotask(() => void this.#drain())
  }

  /** The head of the chain as this writer last made it durable (to anchor outside the store). */
  get head(): ChainHead | undefined {
    return this.#head
  }

  /** Resolves once every append made so far has been written or has failed. */
  idle(): Promise<void> {
    if (!this.#draining && this.#queue.length === 0) return Promise.resolve()
    return new Promise((resolve) => this.#idle.push(resolve))
  }

  /**
   * Hands batches to the store while earlier ones are still being written (up to
   * maxInFlight), each chained on the one before: a store that writes off this thread
   * (PostgreSQL, on a second pooled connection; SQLite, on the store's writer thread)
   * commits batch k while batch k+1 is hashed here. On SQLite the thread buys the event loop,
   * not throughput: under bench/audit's load (256 callers, each waiting for its append) every
   * batch holds all of them, so there is no next batch to overlap. Alternated runs of that
   * load measured 2-8% fewer appends/s through the thread than committing on the main thread
   * (75-85k/s against 81-87k/s, idle machine), and the main thread's busy time more than
   * halved (event-loop utilization 1.00 to 0.41-0.46), for 5-10% more process CPU spent
   * handing rows over.
   * The store checks every batch against its head, so a batch whose predecessor failed
   * fails too; after a failure nothing new is handed over until every batch in flight has
   * answered, and the failed ones are re-chained from the store's head, in order.
   */
  async #drain(): Promise<void> {
    while (this.#queue.length > 0 || this.#inFlight.length > 0) {
      while (this.#queue.length > 0 && this.#inFlight.length < this.#maxInFlight && this.#retry.length === 0)
        await this.#submit(this.#queue.splice(0, this.#maxBatch))
      const oldest = this.#inFlight[0]
      if (oldest !== undefined) {
        // With a slot free, new appends may start the next batch before the oldest answers.
        const free = this.#inFlight.length < this.#maxInFlight && this.#retry.length === 0
        if (free && (await Promise.race([oldest.outcome.then(() => false), this.#nextAppend()]))) continue
        await this.#settle(oldest)
      }
      if (this.#inFlight.length === 0 && this.#retry.length > 0) this.#queue.unshift(...this.#retry.splice(0))
    }
    this.#wake = undefined
    this.#draining = false
    for (const resolve of this.#idle.splice(0)) resolve()
  }

  /** Resolves with true at the next append. */
  #nextAppend(): Promise<boolean> {
    return new Promise((resolve) => {
      this.#wake = () => {
        this.#wake = undefined
        resolve(true)
      }
    })
  }

  /** Chains `batch` on the tail and hands it to the store; never throws. */
  async #submit(batch: readonly Entry[]): Promise<void> {
    try {
      const tail = this.#tail ?? (await this.#store.head()) ?? GENESIS_HEAD
      const events = appendEvents(
        tail,
        batch.map((entry) => entry.draft),
        batch.map((entry) => entry.id),
        this.#now,
      )
      const after = headAfter(tail, events)
      const outcome = this.#store.appendBatch(events).then(
        () => undefined,
        (error: unknown) => ({ error }),
      )
      this.#inFlight.push({ batch, events, after, outcome })
      this.#tail = after
    } catch (err) {
      this.#tail = undefined
      const failure = writeFailed(err)
      for (const entry of batch) entry.reject(failure)
    }
  }

  /** Waits for the oldest batch in flight and resolves, rejects or sets aside its entries. */
  async #settle(flight: Flight): Promise<void> {
    const outcome = await flight.outcome
    this.#inFlight.shift()
    if (outcome === undefined) {
      this.#head = flight.after
      for (const [i, entry] of flight.batch.entries()) entry.resolve(flight.events[i] as ChainedEvent)
      return
    }
    // Whatever the store holds now, it knows better than we do: ask before the next batch.
    this.#head = undefined
    this.#tail = undefined
    const moved = isHeadMoved(outcome.error)
    const failure = writeFailed(outcome.error)
    for (const entry of flight.batch) {
      if (moved && entry.retries < this.#maxRetries) {
        entry.retries++
        this.#retry.push(entry)
      } else entry.reject(failure)
    }
  }
}

function positive(value: number, name: string): number {
  if (!Number.isSafeInteger(value) || value < 1)
    throw new JitgateError('audit_writer_invalid', `${name} must be a positive integer`, {
      details: [{ path: name, message: 'must be a positive integer' }],
    })
  return value
}

function isHeadMoved(err: unknown): boolean {
  return err instanceof JitgateError && err.code === 'audit_head_moved'
}

function writeFailed(cause: unknown): JitgateError {
  return new JitgateError(
    'audit_write_failed',
    'the audit log could not record the event, so the action it records must not proceed',
    { status: 503, cause },
  )
}
