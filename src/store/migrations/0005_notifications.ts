// Notifications: webhook subscriptions, the deliveries outbox the senders work off, and the
// dispatcher's cursor into the audit log, which is the source of every notification.
import { type Kysely, type Migration, sql } from 'kysely'
import { isoTimes, oneOf } from './migration-helpers.ts'

// Frozen copies, as in 0001: a value added later needs a migration of its own.
const CHANNELS = ['webhook', 'slack', 'email']
const KINDS = ['event', 'approval_needed', 'escalated', 'outcome']
const STATES = ['pending', 'delivered', 'failed', 'dead', 'skipped']

export function notificationsMigration(): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await subscriptions(db)
      await deliveries(db)
      await cursor(db)
    },
  }
}

async function subscriptions(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('webhook_subscriptions')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('events', 'text', (c) => c.notNull())
    .addColumn('secret', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('start_seq', 'bigint', (c) => c.notNull())
    .addColumn('consecutive_failures', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('disabled_at', 'text')
    .addColumn('disabled_reason', 'text')
    .addCheckConstraint('webhook_subscriptions_failures_check', sql`consecutive_failures >= 0`)
    .addCheckConstraint(
      'webhook_subscriptions_time_check',
      isoTimes(['created_at', 'updated_at', 'disabled_at']),
    )
    .execute()
}

async function deliveries(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('notify_deliveries')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('target', 'text', (c) => c.notNull())
    // Deleting a subscription deletes its delivery log with it.
    .addColumn('subscription_id', 'text', (c) => c.references('webhook_subscriptions.id').onDelete('cascade'))
    .addColumn('recipient', 'text')
    .addColumn('event_seq', 'bigint', (c) => c.notNull())
    .addColumn('event_id', 'text', (c) => c.notNull())
    .addColumn('event_type', 'text', (c) => c.notNull())
    .addColumn('subject_id', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull().defaultTo('pending'))
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'text', (c) => c.notNull())
    .addColumn('last_status', 'integer')
    .addColumn('last_error', 'text')
    .addColumn('external_ref', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('delivered_at', 'text')
    // Exactly once per event and target, whatever a dispatcher on another node did.
    .addUniqueConstraint('notify_deliveries_event_target_key', ['event_seq', 'target'])
    .addCheckConstraint('notify_deliveries_channel_check', oneOf('channel', CHANNELS))
    .addCheckConstraint('notify_deliveries_kind_check', oneOf('kind', KINDS))
    .addCheckConstraint('notify_deliveries_state_check', oneOf('state', STATES))
    .addCheckConstraint('notify_deliveries_attempts_check', sql`attempts >= 0`)
    .addCheckConstraint(
      'notify_deliveries_time_check',
      isoTimes(['next_attempt_at', 'created_at', 'updated_at', 'delivered_at']),
    )
    .execute()
  // What is due, a subscription's log newest first, a request's Slack messages, and pruning.
  await index(db, 'due', ['state', 'next_attempt_at'])
  await index(db, 'subscription', ['subscription_id', 'event_seq'])
  await index(db, 'subject', ['subject_id', 'channel'])
  await index(db, 'state_updated', ['state', 'updated_at'])
}

// Starts at the audit head: an upgraded store does not notify about its whole history.
async function cursor(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('notify_cursor')
    .addColumn('id', 'integer', (c) => c.primaryKey().notNull())
    .addColumn('seq', 'bigint', (c) => c.notNull())
    .addCheckConstraint('notify_cursor_single_row_check', sql`id = 1`)
    .execute()
  await sql`insert into notify_cursor (id, seq) select 1, seq from audit_head where id = 1`.execute(db)
}

async function index(db: Kysely<unknown>, name: string, columns: string[]): Promise<void> {
  await db.schema
    .createIndex(`notify_deliveries_${name}_idx`)
    .on('notify_deliveries')
    .columns(columns)
    .execute()
}
