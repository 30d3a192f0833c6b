// Executions in the store, one code path for both dialects. Claiming across nodes: on
// PostgreSQL rows are taken with FOR UPDATE SKIP LOCKED and a budget is decided under a
// transaction-scoped advisory lock on its key, tried without waiting, so that two nodes
// never both count a budget as free; on SQLite the write transaction (BEGIN IMMEDIATE)
// already admits one claimer at a time.
import { sql, type Transaction } from 'kysely'
import type { LimitUsage } from '../approvals/execution-limits.ts'
import type { ExecutionRepository } from '../approvals/execution-ports.ts'
import type { ExecutionLimit, ExecutionRecord } from '../approvals/execution-record.ts'
import type { Dialect } from './database-url.ts'
import { fromExecutionRows, toExecutionRow, toLimitRows } from './execution-rows.ts'
import type { Database, ExecutionRow } from './schema.ts'
import { forUpdate, forUpdateSkipLocked } from './transaction.ts'

type Trx = Transaction<Database>

export class SqlExecutionRepository implements ExecutionRepository {
  readonly #trx: Trx

  constructor(
    trx: Transaction<Database>,
    private readonly dialect: Dialect,
  ) {
    this.#trx = trx
  }

  async insert(record: ExecutionRecord): Promise<boolean> {
    const result = await this.#trx
      .insertInto('executions')
      .values(toExecutionRow(record))
      .onConflict((oc) => oc.column('request_id').doNothing())
      .executeTakeFirst()
    if (Number(result.numInsertedOrUpdatedRows ?? 0n) === 0) return false
    const limits = toLimitRows(record)
    if (limits.length > 0) await this.#trx.insertInto('execution_limits').values(limits).execute()
    return true
  }

  async load(id: string, options: { readonly lock?: boolean } = {}): Promise<ExecutionRecord | undefined> {
    const query = this.#trx.selectFrom('executions').selectAll().where('id', '=', id)
    const row = await (options.lock === true ? forUpdate(this.dialect, query) : query).executeTakeFirst()
    return row === undefined ? undefined : this.#complete(row)
  }

  async forRequest(requestId: string): Promise<ExecutionRecord | undefined> {
    const row = await this.#trx
      .selectFrom('executions')
      .selectAll()
      .where('request_id', '=', requestId)
      .executeTakeFirst()
    return row === undefined ? undefined : this.#complete(row)
  }

  async update(record: ExecutionRecord): Promise<void> {
    const { id, request_id: _request, ...row } = toExecutionRow(record)
    await this.#trx.updateTable('executions').set(row).where('id', '=', id).execute()
  }

  async claimExpired(now: Date): Promise<ExecutionRecord | undefined> {
    const query = this.#trx
      .selectFrom('executions')
      .selectAll()
      .where('state', '=', 'running')
      .where('lease_expires_at', '<=', now.toISOString())
      .orderBy('lease_expires_at')
      .orderBy('id')
      .limit(1)
    const row = await forUpdateSkipLocked(this.dialect, query).executeTakeFirst()
    return row === undefined ? undefined : this.#complete(row)
  }

  async queueHeads(limit: number): Promise<readonly ExecutionRecord[]> {
    const rows = await this.#trx
      .selectFrom('executions as e')
      .selectAll('e')
      .where('e.state', '=', 'queued')
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom('executions as o')
              .select('o.id')
              .where('o.state', '=', 'queued')
              .whereRef('o.queue_key', '=', 'e.queue_key')
              .where((eb) =>
                eb.or([
                  eb('o.queued_at', '<', eb.ref('e.queued_at')),
                  eb.and([eb('o.queued_at', '=', eb.ref('e.queued_at')), eb('o.id', '<', eb.ref('e.id'))]),
                ]),
              ),
          ),
        ),
      )
      .orderBy('e.queued_at')
      .orderBy('e.id')
      .limit(limit)
      .execute()
    return Promise.all(rows.map((row) => this.#complete(row)))
  }

  async queued(limit: number): Promise<readonly ExecutionRecord[]> {
    const rows = await this.#trx
      .selectFrom('executions')
      .selectAll()
      .where('state', '=', 'queued')
      .orderBy('queued_at')
      .orderBy('id')
      .limit(limit)
      .execute()
    return Promise.all(rows.map((row) => this.#complete(row)))
  }

  async lockForClaim(record: ExecutionRecord): Promise<ExecutionRecord | undefined> {
    if (this.dialect === 'postgres') {
      for (const limit of record.limits) {
        const { rows } = await sql<{
          ok: boolean
        }>`select pg_try_advisory_xact_lock(hashtextextended(${limit.key}, 0)) as ok`.execute(this.#trx)
        if (rows[0]?.ok !== true) return undefined
      }
    }
    const query = this.#trx
      .selectFrom('executions')
      .selectAll()
      .where('id', '=', record.id)
      .where('state', '=', 'queued')
    const row = await forUpdateSkipLocked(this.dialect, query).executeTakeFirst()
    return row === undefined ? undefined : this.#complete(row)
  }

  async usage(limit: ExecutionLimit, now: Date): Promise<LimitUsage> {
    const base = this.#trx
      .selectFrom('execution_limits as l')
      .innerJoin('executions as e', 'e.id', 'l.execution_id')
      .where('l.limit_key', '=', limit.key)
    if (limit.kind === 'concurrency') {
      const row = await base
        .where('e.state', '=', 'running')
        .select((eb) => eb.fn.countAll<number>().as('used'))
        .executeTakeFirstOrThrow()
      return { key: limit.key, used: Number(row.used) }
    }
    const since = new Date(now.getTime() - (limit.perSeconds ?? 0) * 1000).toISOString()
    const row = await base
      .where('e.started_at', '>', since)
      .select((eb) => [eb.fn.countAll<number>().as('used'), eb.fn.min('e.started_at').as('oldest')])
      .executeTakeFirstOrThrow()
    const oldest = row.oldest as string | null
    return { key: limit.key, used: Number(row.used), ...(oldest === null ? {} : { oldestStart: oldest }) }
  }

  async approvedWithoutExecution(limit: number, verbs: readonly string[]): Promise<readonly string[]> {
    if (verbs.length === 0) return []
    const rows = await this.#trx
      .selectFrom('approval_requests as r')
      .leftJoin('executions as e', 'e.request_id', 'r.id')
      .select('r.id')
      .where('r.state', '=', 'approved')
      .where('e.id', 'is', null)
      .where((eb) => eb.or(verbs.map((like) => sql<boolean>`${eb.ref('r.verb')} like ${like} escape '\\'`)))
      .orderBy('r.decided_at')
      .orderBy('r.id')
      .limit(limit)
      .execute()
    return rows.map((row) => row.id)
  }

  async #complete(row: ExecutionRow): Promise<ExecutionRecord> {
    const limits = await this.#trx
      .selectFrom('execution_limits')
      .selectAll()
      .where('execution_id', '=', row.id)
      .execute()
    return fromExecutionRows(row, limits)
  }
}
