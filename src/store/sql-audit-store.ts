// The audit log's store on SQLite or PostgreSQL: the AuditStore port over the
// audit_events, audit_head and audit_checkpoints tables. It keeps events exactly as the
// chain made them and never re-derives them; the group-commit AuditWriter and the
// transactional appender (sql-audit-appender.ts) both extend the chain under the head lock.
// On SQLite the hot paths (append, head, read) run prepared statements on the raw handle
// (sql-audit-sqlite.ts), and appends commit on the store's writer thread when it has one
// (sqlite-audit-thread.ts); PostgreSQL and the rare paths go through Kysely.
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
import { queryAuditPage } from './sql-audit-query.ts'
import { type AuditPage, type AuditQuery, parseAuditQuery } from './sql-audit-query-params.ts'
import { fromAuditRow, lockAuditHead, writeAuditEvents } from './sql-audit-rows.ts'
import { SqliteAuditRows } from './sql-audit-sqlite.ts'
import type { SqliteAuditThread } from './sqlite-audit-thread.ts'
import type { RawSqlite } from './sqlite-dialect.ts'
import { type TransactionTarget, withTransaction } from './transaction.ts'

/**
 * Rows per page of `read`: one query and one await per page. Raw SQLite rows are arrays,
 * cheap to hold, so its pages are larger; pg parses whole result sets into objects.
 */
const PAGE = { sqlite: 1000, postgres: 1000 } as const

/**
 * An open database; `sqlite` (a DatabaseHandle has it on SQLite) enables the prepared paths,
 * and `sqliteAuditThread` (a SQLite file's DatabaseHandle has it) commits appends off the
 * main thread.
 */
export interface AuditStoreTarget extends TransactionTarget {
  readonly sqlite?: RawSqlite
  readonly sqliteAuditThread?: SqliteAuditThread
}

export interface SqlAuditStoreOptions {
  /**
   * SQLite: commit appends on the store's writer thread (default true, when the target has
   * one: not for an in-memory database). False commits them on the main thread, as the
   * benchmark's comparison does.
   */
  readonly writerThread?: boolean
}

export class SqlAuditStore implements AuditStore {
  readonly #raw: SqliteAuditRows | undefined
  readonly #thread: SqliteAuditThread | undefined

  constructor(
    private readonly target: AuditStoreTarget,
    options: SqlAuditStoreOptions = {},
  ) {
    this.#raw =
      target.dialect === 'sqlite' && target.sqlite !== undefined
        ? new SqliteAuditRows(target.sqlite)
        : undefined
    this.#thread =
      this.#raw !== undefined && options.writerThread !== false ? target.sqliteAuditThread : undefined
  }

  async appendBatch(events: readonly ChainedEvent[]): Promise<void> {
    const first = events[0]
    if (first === undefined) return
    if (this.#thread !== undefined) return this.#thread.appendBatch(events)
    if (this.#raw !== undefined) return this.#raw.appendBatch(events)
    await withTransaction(this.target, async (trx) => {
      const head = await lockAuditHead(trx, this.target.dialect)
      if (first.seq !== head.seq + 1 || first.prevHash !== head.hash)
        throw new AuditHeadMovedError({ seq: first.seq - 1, hash: first.prevHash }, head)
      await writeAuditEvents(trx, this.target.dialect, events)
    })
  }

  async head(): Promise<ChainHead | undefined> {
    const row = this.#raw !== undefined ? await this.#raw.head() : await this.#headRow()
    return row === undefined || row.seq === 0 ? undefined : row
  }

  async *read(from: number, limit = Number.POSITIVE_INFINITY): AsyncIterable<readonly StoredAuditEvent[]> {
    const page = PAGE[this.target.dialect]
    let next = from
    let left = limit
    while (left > 0) {
      const rows = await this.#readPage(next, Math.min(page, left))
      const last = rows[rows.length - 1]
      if (last === undefined) return
      yield rows
      left -= rows.length
      // Paged by key, not by offset: each page is one index range scan.
      next = last.seq + 1
    }
  }

  /**
   * One page of the events that `query` matches, in ascending seq order, for the HTTP API.
   * Throws AuditQueryError (`audit_query_invalid`, 400) naming every field at fault,
   * a cursor this API did not make included.
   */
  async query(query: AuditQuery): Promise<AuditPage> {
    return queryAuditPage(this.target, parseAuditQuery(query))
  }

  /** The last event of exactly `type`, as stored; undefined when there is none. */
  async latestOfType(type: string): Promise<StoredAuditEvent | undefined> {
    const row = await this.target.db
      .selectFrom('audit_events')
      .selectAll()
      .where('type', '=', type)
      .orderBy('seq', 'desc')
      .limit(1)
      .executeTakeFirst()
    return row === undefined ? undefined : fromAuditRow(row)
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

  async #headRow(): Promise<ChainHead | undefined> {
    const row = await this.target.db
      .selectFrom('audit_head')
      .select(['seq', 'hash'])
      .where('id', '=', 1)
      .executeTakeFirst()
    return row === undefined ? undefined : { seq: Number(row.seq), hash: row.hash }
  }

  async #readPage(from: number, limit: number): Promise<StoredAuditEvent[]> {
    if (this.#raw !== undefined) return this.#raw.readPage(from, limit)
    const rows = await this.target.db
      .selectFrom('audit_events')
      .selectAll()
      .where('seq', '>=', from)
      .orderBy('seq')
      .limit(limit)
      .execute()
    return rows.map(fromAuditRow)
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
