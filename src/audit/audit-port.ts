// The port the audit log's store implements (SQLite and PostgreSQL live in store/; an
// in-memory one is in memory-audit-store.ts). The chain itself is computed here, in
// audit/: a store keeps events exactly as given and never re-derives them.
import { JitgateError } from '../shared/index.ts'
import type { ChainedEvent, ChainHead, StoredAuditEvent } from './audit-event.ts'
import type { Checkpoint } from './checkpoint.ts'

export interface AuditStore {
  /**
   * Writes `events` in one transaction and resolves only once it is durable (committed
   * and synced). They continue the stored chain: `events[0].seq` is the head's seq + 1 and
   * `events[0].prevHash` its hash. When another writer got there first (another node, or a
   * service appending inside its own transaction), write nothing and reject with
   * AuditHeadMovedError: the writer reads head() again and re-chains the batch.
   *
   * Every field is hashed, so it must come back exactly as given: store `detailsJson` as
   * the details text (never jsonb, which reorders keys and rejects `\u0000`), seq as an
   * integer, time as the string it is.
   */
  appendBatch(events: readonly ChainedEvent[]): Promise<void>
  /**
   * The last event's seq and hash; the latest checkpoint's `{ seq, hash }` when retention
   * has deleted every event; undefined for an empty log.
   */
  head(): Promise<ChainHead | undefined>
  /**
   * Rows with seq ≥ `from` in ascending seq order, at most `limit` (all when absent), in
   * pages of a few hundred (one await per page, not per row), exactly as stored with
   * details as their text: verification hashes these bytes, and must see tampering, not a
   * repaired copy. fromStoredEvent parses a row for display.
   */
  read(from: number, limit?: number): AsyncIterable<readonly StoredAuditEvent[]>
  /** The checkpoint of the latest retention, if any. */
  latestCheckpoint(): Promise<Checkpoint | undefined>
  /**
   * Retention, in one transaction: saves `checkpoint` and deletes the events up to its seq.
   * Append checkpointDraft(checkpoint) to the chain first, so the kept events record it.
   */
  retain(checkpoint: Checkpoint): Promise<void>
}

/** What appendBatch rejects with when the stored head is not where the batch starts. */
export class AuditHeadMovedError extends JitgateError {
  constructor(expected: ChainHead, found: ChainHead | undefined) {
    super(
      'audit_head_moved',
      `the batch continues the chain after event ${expected.seq}, but the log's head is event ${found?.seq ?? 0}`,
      { status: 409 },
    )
  }
}
