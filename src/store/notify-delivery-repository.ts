// The deliveries outbox in the store: inserted by the dispatcher (once per event and target,
// whatever raced), claimed by senders on any node (SKIP LOCKED, then marked with a lease so
// the send itself holds no transaction), settled, listed and pruned.
import type { Transaction } from 'kysely'
import type {
  ClaimedDelivery,
  Delivery,
  DeliveryOutcome,
  DeliveryPageQuery,
  DeliveryRepository,
  NewDelivery,
} from '../notify/index.ts'
import type { Dialect } from './database-url.ts'
import { fromDeliveryRow, toDeliveryRow } from './notify-rows.ts'
import type { Database } from './schema.ts'
import { forUpdateSkipLocked } from './transaction.ts'

// 100 rows of 19 columns a statement: far below both dialects' parameter limits.
const ROWS_PER_INSERT = 100
const OPEN = ['pending', 'failed'] as const
const FINISHED = ['delivered', 'dead', 'skipped'] as const

export class SqlDeliveryRepository implements DeliveryRepository {
  constructor(
    private readonly trx: Transaction<Database>,
    private readonly dialect: Dialect,
  ) {}

  async insert(deliveries: readonly NewDelivery[]): Promise<number> {
    let inserted = 0
    for (let at = 0; at < deliveries.length; at += ROWS_PER_INSERT) {
      const rows = deliveries.slice(at, at + ROWS_PER_INSERT).map(toDeliveryRow)
      const result = await this.trx
        .insertInto('notify_deliveries')
        .values(rows)
        .onConflict((oc) => oc.columns(['event_seq', 'target']).doNothing())
        .executeTakeFirst()
      inserted += Number(result.numInsertedOrUpdatedRows ?? 0n)
    }
    return inserted
  }

  async claimDue(now: Date, limit: number, leaseUntil: Date): Promise<readonly ClaimedDelivery[]> {
    const at = now.toISOString()
    const query = this.trx
      .selectFrom('notify_deliveries as d')
      .selectAll('d')
      .where('d.state', 'in', OPEN)
      .where('d.next_attempt_at', '<=', at)
      // A disabled subscription's deliveries wait; enabling it sends them.
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom('webhook_subscriptions as s')
              .select('s.id')
              .whereRef('s.id', '=', 'd.subscription_id')
              .where('s.disabled_at', 'is not', null),
          ),
        ),
      )
      .orderBy('d.next_attempt_at')
      .orderBy('d.id')
      .limit(limit)
    const rows = await forUpdateSkipLocked(this.dialect, query).execute()
    if (rows.length === 0) return []
    const lease = leaseUntil.toISOString()
    await this.trx
      .updateTable('notify_deliveries')
      .set((eb) => ({ attempts: eb('attempts', '+', 1), next_attempt_at: lease, updated_at: at }))
      .where(
        'id',
        'in',
        rows.map((r) => r.id),
      )
      .execute()
    const endpoints = await this.#endpoints(
      rows.flatMap((r) => (r.subscription_id === null ? [] : [r.subscription_id])),
    )
    return rows.map((row) => {
      const delivery = fromDeliveryRow({ ...row, attempts: Number(row.attempts) + 1, next_attempt_at: lease })
      const webhook = row.subscription_id === null ? undefined : endpoints.get(row.subscription_id)
      return webhook === undefined ? delivery : { ...delivery, webhook }
    })
  }

  async settle(id: string, attempts: number, outcome: DeliveryOutcome): Promise<boolean> {
    const result = await this.trx
      .updateTable('notify_deliveries')
      .set({
        state: outcome.state,
        updated_at: outcome.at,
        last_status: outcome.lastStatus ?? null,
        last_error: outcome.lastError ?? null,
        ...(outcome.nextAttemptAt === undefined ? {} : { next_attempt_at: outcome.nextAttemptAt }),
        ...(outcome.externalRef === undefined ? {} : { external_ref: outcome.externalRef }),
        ...(outcome.state === 'delivered' ? { delivered_at: outcome.at } : {}),
      })
      .where('id', '=', id)
      .where('attempts', '=', attempts)
      .where('state', 'in', OPEN)
      .executeTakeFirst()
    return result.numUpdatedRows > 0n
  }

  async page(subscriptionId: string, query: DeliveryPageQuery): Promise<readonly Delivery[]> {
    let select = this.trx
      .selectFrom('notify_deliveries')
      .selectAll()
      .where('subscription_id', '=', subscriptionId)
    if (query.beforeSeq !== undefined) select = select.where('event_seq', '<', query.beforeSeq)
    const rows = await select.orderBy('event_seq', 'desc').limit(query.limit).execute()
    return rows.map(fromDeliveryRow)
  }

  async prune(before: string): Promise<number> {
    const result = await this.trx
      .deleteFrom('notify_deliveries')
      .where('state', 'in', FINISHED)
      .where('updated_at', '<', before)
      .executeTakeFirst()
    return Number(result.numDeletedRows)
  }

  async #endpoints(ids: readonly string[]): Promise<Map<string, { url: string; secret: string }>> {
    if (ids.length === 0) return new Map()
    const rows = await this.trx
      .selectFrom('webhook_subscriptions')
      .select(['id', 'url', 'secret'])
      .where('id', 'in', [...new Set(ids)])
      .execute()
    return new Map(rows.map((r) => [r.id, { url: r.url, secret: r.secret }]))
  }
}
