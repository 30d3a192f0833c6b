// Batches the statements that ran without waiting for their audit event (reads the policy
// allowed outright), per connection, each written into its batch's rows as it comes, and
// writes each connection's as one `db.statements` event (statement-batch.ts) a few
// milliseconds after the first of them, or at once when a batch is
// full or the policy version changes. The writes go through the gate's AuditTracker: a failed
// one closes the gate as any other. What a crash can lose is what the write-behind path could
// always lose, the last few milliseconds of reads; what writes data, or runs on a grant or an
// approval, never comes here: its event is durable before it runs.
import { type AuditDraft, DEFAULT_MAX_ITEMS } from '../../audit/index.ts'
import type { MessageOrigin, StatementRecord, StatementResultRecord } from './audit-draft.ts'
import { BatchDraft } from './statement-batch.ts'

/**
 * How long the first read of a batch waits by default: what a crash can lose of the reads'
 * audit. Each batch written costs a commit, a hand-over to the writer thread and its answer
 * whatever it holds; at 5 ms that fixed cost was ~13% of the gateway's throughput under
 * pgbench -S at 4 clients, at 20 ms it is within the noise (50 ms measured no better).
 */
export const DEFAULT_READ_BATCH_MS = 20

export interface StatementLogOptions {
  /** Writes the events; nobody waits on them (AuditTracker.later). */
  readonly write: (drafts: readonly AuditDraft[]) => void
  readonly now: () => Date
  /** How long the first statement of a batch waits for company. */
  readonly flushMs: number
  /** Most statements in one event; more than the audit log keeps of an array is not allowed. */
  readonly maxStatements: number
}

export class StatementLog {
  readonly #options: StatementLogOptions
  readonly #batches = new Map<string, BatchDraft>()
  #timer: NodeJS.Timeout | undefined

  constructor(options: StatementLogOptions) {
    // The redactor cuts every array at DEFAULT_MAX_ITEMS items: a bigger batch would lose the
    // statements past it from the log.
    this.#options = { ...options, maxStatements: Math.min(options.maxStatements, DEFAULT_MAX_ITEMS) }
  }

  /** Adds one statement's record and result to its connection's batch. */
  add(origin: MessageOrigin, record: StatementRecord, result: StatementResultRecord): void {
    const { connection } = origin
    let batch = this.#batches.get(connection)
    if (batch !== undefined && batch.origin.policyVersion !== origin.policyVersion) {
      this.#batches.delete(connection)
      this.#write([batch])
      batch = undefined
    }
    if (batch === undefined) {
      batch = new BatchDraft(origin)
      this.#batches.set(connection, batch)
    }
    batch.add(record, result, origin.protocol, this.#options.now())
    if (batch.count >= this.#options.maxStatements) {
      this.#batches.delete(connection)
      this.#write([batch])
      return
    }
    this.#timer ??= setTimeout(() => this.flush(), this.#options.flushMs)
  }

  /** Writes every batch held now. */
  flush(): void {
    clearTimeout(this.#timer)
    this.#timer = undefined
    if (this.#batches.size === 0) return
    const batches = [...this.#batches.values()]
    this.#batches.clear()
    this.#write(batches)
  }

  #write(batches: readonly BatchDraft[]): void {
    this.#options.write(batches.map((batch) => batch.draft()))
  }
}
