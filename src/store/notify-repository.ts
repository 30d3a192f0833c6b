// The notification services' store port over SQLite or PostgreSQL: each `transact` is one
// database transaction holding the dispatcher's cursor (locked with SKIP LOCKED, so one node
// at a time advances it and the others pass), the audit events after it, requests,
// subscriptions, the deliveries outbox, the audit append and notifications sent on commit.
import type { Transaction } from 'kysely'
import type { AuditDraft, RedactionRules, StoredAuditEvent } from '../audit/index.ts'
import type {
  NotifyStore,
  NotifyTransaction,
  RequestReader,
  SubscriptionRepository,
  WebhookSubscription,
  WebhookTarget,
} from '../notify/index.ts'
import { SqlRequestRepository } from './approval-repository.ts'
import type { DatabaseHandle } from './database.ts'
import type { Dialect } from './database-url.ts'
import { SqlDeliveryRepository } from './notify-delivery-repository.ts'
import { fromSubscriptionRow, toSubscriptionRow } from './notify-rows.ts'
import type { Database } from './schema.ts'
import { appendAuditInTransaction } from './sql-audit-appender.ts'
import { fromAuditRow } from './sql-audit-rows.ts'
import { forUpdate, forUpdateSkipLocked, withTransaction } from './transaction.ts'

export interface SqlNotifyStoreOptions {
  /** The time audit events carry. */
  readonly now: () => Date
  readonly newId: () => string
  readonly redaction?: RedactionRules
}

export class SqlNotifyStore implements NotifyStore {
  readonly requests: RequestReader

  constructor(
    private readonly handle: Pick<DatabaseHandle, 'db' | 'dialect' | 'notifier'>,
    private readonly options: SqlNotifyStoreOptions,
  ) {
    this.requests = {
      load: (id) => withTransaction(handle, (trx) => requestIn(trx, handle.dialect, id), { readOnly: true }),
    }
  }

  transact<T>(fn: (tx: NotifyTransaction) => Promise<T>): Promise<T> {
    const { dialect, notifier } = this.handle
    return withTransaction(this.handle, (trx) =>
      fn({
        cursor: {
          lock: async () => {
            const query = trx.selectFrom('notify_cursor').select('seq').where('id', '=', 1)
            const row = await forUpdateSkipLocked(dialect, query).executeTakeFirst()
            return row === undefined ? undefined : Number(row.seq)
          },
          move: async (seq) => {
            await trx.updateTable('notify_cursor').set({ seq }).where('id', '=', 1).execute()
          },
        },
        events: {
          // Most events concern nobody (every batch of reads the gateway audits): their details,
          // the bulk of the log, are read only for the events some subscription or channel wants.
          headingsAfter: async (seq, limit) => {
            const rows = await trx
              .selectFrom('audit_events')
              .select(['seq', 'type', 'subject_type', 'subject_id'])
              .where('seq', '>', seq)
              .orderBy('seq')
              .limit(limit)
              .execute()
            return rows.map((row) => ({
              seq: Number(row.seq),
              type: row.type as StoredAuditEvent['type'],
              subject: { type: row.subject_type, id: row.subject_id },
            }))
          },
          load: async (seqs) => {
            if (seqs.length === 0) return []
            const rows = await trx
              .selectFrom('audit_events')
              .selectAll()
              .where('seq', 'in', seqs)
              .orderBy('seq')
              .execute()
            return rows.map(fromAuditRow)
          },
          headSeq: async () => {
            const row = await trx
              .selectFrom('audit_head')
              .select('seq')
              .where('id', '=', 1)
              .executeTakeFirst()
            return Number(row?.seq ?? 0)
          },
        },
        requests: { load: (id) => requestIn(trx, dialect, id) },
        subscriptions: new SqlSubscriptionRepository(trx, dialect),
        deliveries: new SqlDeliveryRepository(trx, dialect),
        audit: async (drafts: readonly AuditDraft[]) => {
          await appendAuditInTransaction(trx, dialect, drafts, this.options)
        },
        notify: (channel, payload) => notifier.notify(channel, payload, trx),
      }),
    )
  }

  async slackMessages(requestId: string): Promise<readonly string[]> {
    const rows = await this.handle.db
      .selectFrom('notify_deliveries')
      .select('external_ref')
      .where('subject_id', '=', requestId)
      .where('channel', '=', 'slack')
      .where('external_ref', 'is not', null)
      .orderBy('event_seq')
      .execute()
    return rows.flatMap((r) => (r.external_ref === null ? [] : [r.external_ref]))
  }
}

async function requestIn(trx: Transaction<Database>, dialect: Dialect, id: string) {
  return (await new SqlRequestRepository(trx, dialect).load(id))?.request
}

const PUBLIC_COLUMNS = [
  'id',
  'url',
  'events',
  'description',
  'created_by',
  'created_at',
  'updated_at',
  'start_seq',
  'consecutive_failures',
  'disabled_at',
  'disabled_reason',
] as const

/** Subscriptions without their secret: only a claimed delivery reads it (for signing). */
class SqlSubscriptionRepository implements SubscriptionRepository {
  constructor(
    private readonly trx: Transaction<Database>,
    private readonly dialect: Dialect,
  ) {}

  async insert(subscription: WebhookSubscription, secret: string): Promise<void> {
    await this.trx
      .insertInto('webhook_subscriptions')
      .values(toSubscriptionRow(subscription, secret))
      .execute()
  }

  async load(
    id: string,
    options: { readonly lock?: boolean } = {},
  ): Promise<WebhookSubscription | undefined> {
    const query = this.trx.selectFrom('webhook_subscriptions').select(PUBLIC_COLUMNS).where('id', '=', id)
    const row = await (options.lock === true ? forUpdate(this.dialect, query) : query).executeTakeFirst()
    return row === undefined ? undefined : fromSubscriptionRow(row)
  }

  async list(): Promise<readonly WebhookSubscription[]> {
    const rows = await this.trx
      .selectFrom('webhook_subscriptions')
      .select(PUBLIC_COLUMNS)
      .orderBy('created_at')
      .orderBy('id')
      .execute()
    return rows.map(fromSubscriptionRow)
  }

  async enabled(): Promise<readonly WebhookTarget[]> {
    const rows = await this.trx
      .selectFrom('webhook_subscriptions')
      .select(['id', 'events', 'start_seq'])
      .where('disabled_at', 'is', null)
      .execute()
    return rows.map((r) => ({
      id: r.id,
      events: JSON.parse(r.events) as string[],
      startSeq: Number(r.start_seq),
    }))
  }

  async update(subscription: WebhookSubscription): Promise<void> {
    await this.trx
      .updateTable('webhook_subscriptions')
      .set({
        consecutive_failures: subscription.consecutiveFailures,
        disabled_at: subscription.disabledAt ?? null,
        disabled_reason: subscription.disabledReason ?? null,
        updated_at: subscription.updatedAt,
      })
      .where('id', '=', subscription.id)
      .execute()
  }

  async delete(id: string): Promise<boolean> {
    const result = await this.trx.deleteFrom('webhook_subscriptions').where('id', '=', id).executeTakeFirst()
    return result.numDeletedRows > 0n
  }
}
