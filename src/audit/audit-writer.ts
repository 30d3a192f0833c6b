// Appends audit events with group commit. Each append resolves only once the batch
// holding it is durable; appends that arrive while a batch is being written wait and
// become the next batch together, so throughput does not pay one commit per event and
// no timer delays a lone event. A failed batch rejects every append in it and leaves
// the chain where it was: the next batch re-chains from the store's durable head.
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
}

interface Entry {
  readonly draft: AuditDraft
  readonly id: string
  readonly resolve: (event: ChainedEvent) => void
  readonly reject: (err: unknown) => void
}

export class AuditWriter {
  readonly #store: AuditWriterOptions['store']
  readonly #newId: () => string
  readonly #now: () => Date
  readonly #redact: Redactor
  readonly #maxBatch: number
  readonly #maxRetries: number
  #queue: Entry[] = []
  #draining = false
  #idle: (() => void)[] = []
  /** The durable head this writer last wrote or read; undefined: ask the store. */
  #head: ChainHead | undefined

  constructor(options: AuditWriterOptions) {
    this.#store = options.store
    this.#newId = options.newId
    this.#now = options.now
    this.#redact = createRedactor(options.redaction)
    this.#maxBatch = options.maxBatch ?? 1000
    this.#maxRetries = options.maxRetries ?? 5
    if (!Number.isSafeInteger(this.#maxBatch) || this.#maxBatch < 1)
      throw new JitgateError('audit_writer_invalid', 'maxBatch must be a positive integer', {
        details: [{ path: 'maxBatch', message: 'must be a positive integer' }],
      })
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
      this.#queue.push({ draft: prepared, id: this.#newId(), resolve, reject })
      if (this.#draining) return
      this.#draining = true
      // A microtask, not a timer: appends made in the same turn join the first batch.
      queueMicrotask(() => void this.#drain())
    })
  }

  /** The head of the chain as this writer last made it durable (to anchor outside the store). */
  get head(): ChainHead | undefined {
    return this.#head
  }

  /** Resolves once every append made so far has been written or has failed. */
  idle(): Promise<void> {
    if (!this.#draining) return Promise.resolve()
    return new Promise((resolve) => this.#idle.push(resolve))
  }

  async #drain(): Promise<void> {
    while (this.#queue.length > 0) await this.#write(this.#queue.splice(0, this.#maxBatch))
    this.#draining = false
    for (const resolve of this.#idle.splice(0)) resolve()
  }

  /** Writes one batch; never throws: every entry is resolved or rejected. */
  async #write(batch: readonly Entry[]): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        const head = this.#head ?? (await this.#store.head()) ?? GENESIS_HEAD
        const events = appendEvents(
          head,
          batch.map((entry) => entry.draft),
          batch.map((entry) => entry.id),
          this.#now,
        )
        await this.#store.appendBatch(events)
        this.#head = headAfter(head, events)
        for (const [i, entry] of batch.entries()) entry.resolve(events[i] as ChainedEvent)
        return
      } catch (err) {
        // Whatever the store holds now, it knows better than we do: ask before the next batch.
        this.#head = undefined
        if (isHeadMoved(err) && attempt < this.#maxRetries) continue
        const failure = writeFailed(err)
        for (const entry of batch) entry.reject(failure)
        return
      }
    }
  }
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
