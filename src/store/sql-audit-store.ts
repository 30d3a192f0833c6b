// The audit log's store on SQLite or PostgreSQL: the AuditStore port over the
// audit_events, audit_head and audit_checkpoints tables. It keeps events exactly as the
// chain made them and never re-derives them; the group-commit AuditWriter and the
// transactional appender (sql-audit-appender.ts) both extend the chain under the head lock.
import type { Transaction } from 'kysely'
import {
  AuditHeadMovedError,
  type AuditStore,
  type ChainedEvent,
  type ChainHead,
  type Checkpoint,
  type StoredAuditEvent,
} from '../audit/index.ts'
import { JitgateError } from '../shared/index.ts'
import type { AuditCheckpointRow, Database } from './schema.ts'
import { fromAuditRow, lockAuditHead, writeAuditEvents } from './sql-audit-rows.ts'
import { type TransactionTarget, withTransaction } from './transaction.ts'

/** Rows per page of `read`: one query and one await per page. */
const PAGE = 500

export class SqlAuditStore implements AuditStore {
  constructor(private readonly target: TransactionTarget) {}

  async appendBatch(events: readonly ChainedEvent[]): Promise<void> {
    const first = events[0]
    if (first === undefined) return
    await withTransaction(this.target, async (trx) => {
      const head = await lockAuditHead(trx, this.target.dialect)
      if (first.seq !== head.seq + 1 || first.prevHash !== head.hash)
        throw new AuditHeadMovedError({ seq: first.seq - 1, hash: first.prevHash }, head)
      await writeAuditEvents(trx, this.target.dialect, events)
    })
  }

  async head(): Promise<ChainHead | undefined> {
    const row = await this.target.db
      .selectFrom('audit_head')
      .select(['seq', 'hash'])
      .where('id', '=', 1)
      .executeTakeFirst()
    return row === undefined || row.seq === 0 ? undefined : { seq: Number(row.seq), hash: row.hash }
  }

  async *read(from: number, limit = Number.POSITIVE_INFINITY): AsyncIterable<readonly StoredAuditEvent[]> {
    let next = from
    let left = limit
    while (left > 0) {
      const rows = await this.target.db
        .selectFrom('audit_events')
        .selectAll()
        .where('seq', '>=', next)
        .orderBy('seq')
        .limit(Math.min(PAGE, left))
        .execute()
      const last = rows[rows.length - 1]
      if (last === undefined) return
      yield rows.map(fromAuditRow)
      left -= rows.length
      // Paged by key, not by offset: each page is one index range scan.
      next = Number(last.seq) + 1
    }
  }

  async latestCheckpoint(): Promise<Checkpoint | undefined> {
    const row = await this.target.db
      .selectFrom('audit_checkpoints')
      .selectAll()
      .orderBy('seq', 'desc')
      .limit(1)
      .executeTakeFirst()
    return row === undefined ? undefined : fromCheckpointRow(row)
  }

  async retain(checkpoint: Checkpoint): Promise<void> {
    await withTransaction(this.target, async (trx) => {
      // Under the head lock, so no append runs while events are deleted.
      const head = await lockAuditHead(trx, this.target.dialect)
      if (checkpoint.seq >= head.seq) throw uncovered(checkpoint, head)
      await insertCheckpoint(trx, checkpoint)
      await trx.deleteFrom('audit_events').where('seq', '<=', checkpoint.seq).execute()
    })
  }
}

async function insertCheckpoint(trx: Transaction<Database>, checkpoint: Checkpoint): Promise<void> {
  await trx
    .insertInto('audit_checkpoints')
    .values({
      seq: checkpoint.seq,
      hash: checkpoint.hash,
      count: checkpoint.count,
      created_at: checkpoint.createdAt,
      seal_hash: checkpoint.sealHash,
    })
    .execute()
}

function fromCheckpointRow(row: AuditCheckpointRow): Checkpoint {
  return {
    seq: Number(row.seq),
    hash: row.hash,
    count: Number(row.count),
    createdAt: row.created_at,
    sealHash: row.seal_hash,
  }
}

// The checkpoint event is appended before retention, so the head is always past the checkpoint.
function uncovered(checkpoint: Checkpoint, head: ChainHead): JitgateError {
  return new JitgateError(
    'audit_checkpoint_invalid',
    `the checkpoint covers events up to ${checkpoint.seq}, but the log's head is event ${head.seq}: append checkpointDraft(checkpoint) first`,
    { status: 409 },
  )
}
