// The first schema: approval requests with their votes and comments, grants, executions,
// the hash-chained audit log and TOTP enrolments. See schema.ts for the value conventions.
import { type Kysely, type Migration, sql } from 'kysely'
import type { Dialect } from '../database-url.ts'
import { isoTimes, oneOf, sequenceType } from './migration-helpers.ts'

// Frozen copies, not imports from schema.ts: a value added there later needs a migration of
// its own, or fresh and upgraded databases would differ. The contract tests check that the
// lists in schema.ts are all accepted.
const REQUEST_STATES = [
  'pending',
  'approved',
  'rejected',
  'expired',
  'canceled',
  'executing',
  'executed',
  'failed',
]
const VOTES = ['approve', 'reject']
const GRANT_MODES = ['single_use', 'window']
const GRANT_STATES = ['active', 'consumed', 'revoked']
const EXECUTION_STATES = ['queued', 'running', 'done', 'failed']
// The head of an empty audit log: the audit chain's GENESIS_HEAD.
const GENESIS_HASH = '0'.repeat(64)

export function initialMigration(dialect: Dialect): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await approvalRequests(db)
      await approvalVotes(db)
      await approvalComments(db)
      await grants(db)
      await executions(db)
      await auditEvents(db, dialect)
      await auditCheckpoints(db, dialect)
      await auditHead(db)
      await totpEnrollments(db)
    },
  }
}

const REQUEST_TIMES = [
  'grant_start_at',
  'created_at',
  'updated_at',
  'expires_at',
  'escalate_at',
  'escalated_at',
  'decided_at',
]

// Requests are never deleted: the history stays after expiry.
async function approvalRequests(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('approval_requests')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('requester_id', 'text', (c) => c.notNull())
    .addColumn('requester', 'text', (c) => c.notNull())
    .addColumn('verb', 'text', (c) => c.notNull())
    .addColumn('resource', 'text', (c) => c.notNull())
    .addColumn('purpose', 'text')
    .addColumn('input', 'text', (c) => c.notNull())
    .addColumn('decision', 'text', (c) => c.notNull())
    .addColumn('policy_version', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('grant_start_at', 'text')
    .addColumn('grant_seconds', 'integer', (c) => c.check(sql`grant_seconds > 0`))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('escalate_at', 'text')
    .addColumn('escalated_at', 'text')
    .addColumn('decided_at', 'text')
    .addColumn('row_version', 'integer', (c) => c.notNull().defaultTo(1))
    .addCheckConstraint('approval_requests_state_check', oneOf('state', REQUEST_STATES))
    .addCheckConstraint('approval_requests_time_check', isoTimes(REQUEST_TIMES))
    .execute()
  await index(db, 'approval_requests', 'state_expires', ['state', 'expires_at'])
  await index(db, 'approval_requests', 'state_escalate', ['state', 'escalate_at'])
  await index(db, 'approval_requests', 'requester', ['requester_id', 'created_at'])
}

async function approvalVotes(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('approval_votes')
    .addColumn('request_id', 'text', (c) => c.notNull().references('approval_requests.id'))
    .addColumn('approver_id', 'text', (c) => c.notNull())
    .addColumn('vote', 'text', (c) => c.notNull())
    .addColumn('step', 'text')
    .addColumn('reason', 'text')
    .addColumn('step_up', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    // One approver counts once per request.
    .addPrimaryKeyConstraint('approval_votes_pkey', ['request_id', 'approver_id'])
    .addCheckConstraint('approval_votes_vote_check', oneOf('vote', VOTES))
    .addCheckConstraint('approval_votes_step_up_check', oneOf('step_up', [0, 1]))
    .addCheckConstraint('approval_votes_time_check', isoTimes(['created_at']))
    .execute()
}

async function approvalComments(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('approval_comments')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('request_id', 'text', (c) => c.notNull().references('approval_requests.id'))
    .addColumn('author_id', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addCheckConstraint('approval_comments_time_check', isoTimes(['created_at']))
    .execute()
  await index(db, 'approval_comments', 'request', ['request_id', 'created_at'])
}

async function grants(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('grants')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    // One grant per approved request: creating it twice is refused, not duplicated.
    .addColumn('request_id', 'text', (c) => c.notNull().unique().references('approval_requests.id'))
    .addColumn('actor_id', 'text', (c) => c.notNull())
    .addColumn('verb', 'text', (c) => c.notNull())
    .addColumn('resource', 'text', (c) => c.notNull())
    .addColumn('fields', 'text')
    .addColumn('mode', 'text', (c) => c.notNull())
    .addColumn('starts_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull().defaultTo('active'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('consumed_at', 'text')
    .addColumn('revoked_at', 'text')
    .addColumn('revoked_by', 'text')
    .addCheckConstraint('grants_mode_check', oneOf('mode', GRANT_MODES))
    .addCheckConstraint('grants_state_check', oneOf('state', GRANT_STATES))
    .addCheckConstraint('grants_window_check', sql`expires_at > starts_at`)
    .addCheckConstraint(
      'grants_time_check',
      isoTimes(['starts_at', 'expires_at', 'created_at', 'consumed_at', 'revoked_at']),
    )
    .execute()
  // The engine's `has_grant` facts: an actor's active grants for a verb, unexpired.
  await index(db, 'grants', 'actor_active', ['actor_id', 'verb', 'state', 'expires_at'])
  await index(db, 'grants', 'state_expires', ['state', 'expires_at'])
}

async function executions(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('executions')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    // Exactly once: one execution per request.
    .addColumn('request_id', 'text', (c) => c.notNull().unique().references('approval_requests.id'))
    .addColumn('state', 'text', (c) => c.notNull().defaultTo('queued'))
    .addColumn('queue_key', 'text', (c) => c.notNull())
    .addColumn('queued_at', 'text', (c) => c.notNull())
    .addColumn('lease_owner', 'text')
    .addColumn('lease_expires_at', 'text')
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('idempotent', 'integer', (c) => c.notNull())
    .addColumn('idempotency_key', 'text', (c) => c.notNull().unique())
    .addColumn('result_status', 'integer')
    .addColumn('error', 'text')
    .addColumn('started_at', 'text')
    .addColumn('finished_at', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addCheckConstraint('executions_state_check', oneOf('state', EXECUTION_STATES))
    .addCheckConstraint('executions_idempotent_check', oneOf('idempotent', [0, 1]))
    .addCheckConstraint(
      'executions_time_check',
      isoTimes(['queued_at', 'lease_expires_at', 'started_at', 'finished_at', 'updated_at']),
    )
    .execute()
  // The FIFO queue per limit key, and leases that ran out.
  await index(db, 'executions', 'queue', ['state', 'queue_key', 'queued_at'])
  await index(db, 'executions', 'lease', ['state', 'lease_expires_at'])
}

async function auditEvents(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  await db.schema
    .createTable('audit_events')
    .addColumn('seq', sequenceType(dialect), (c) => c.primaryKey().notNull())
    .addColumn('id', 'text', (c) => c.notNull().unique())
    .addColumn('time', 'text', (c) => c.notNull())
    .addColumn('actor_type', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('subject_type', 'text', (c) => c.notNull())
    .addColumn('subject_id', 'text', (c) => c.notNull())
    .addColumn('details', 'text', (c) => c.notNull())
    .addColumn('policy_version', 'text')
    .addColumn('prev_hash', 'text', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .addCheckConstraint('audit_events_seq_check', sql`seq > 0`)
    .addCheckConstraint('audit_events_time_check', isoTimes(['time']))
    .execute()
  await index(db, 'audit_events', 'time', ['time'])
  await index(db, 'audit_events', 'type', ['type', 'seq'])
  await index(db, 'audit_events', 'subject', ['subject_type', 'subject_id', 'seq'])
}

// Retention deletes events up to a checkpoint; verification resumes from its hash.
async function auditCheckpoints(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  await db.schema
    .createTable('audit_checkpoints')
    .addColumn('seq', sequenceType(dialect), (c) => c.primaryKey().notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .addColumn('count', 'bigint', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('seal_hash', 'text', (c) => c.notNull())
    .addCheckConstraint('audit_checkpoints_time_check', isoTimes(['created_at']))
    .execute()
}

// Appenders lock this row (FOR UPDATE on PostgreSQL), so one node at a time extends the chain.
async function auditHead(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('audit_head')
    .addColumn('id', 'integer', (c) => c.primaryKey().notNull())
    .addColumn('seq', 'bigint', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .addCheckConstraint('audit_head_single_row_check', sql`id = 1`)
    .execute()
  await sql`insert into audit_head (id, seq, hash) values (1, 0, ${GENESIS_HASH})`.execute(db)
}

async function totpEnrollments(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('totp_enrollments')
    .addColumn('user_id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('secret', 'text', (c) => c.notNull())
    .addColumn('last_counter', 'bigint')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('confirmed_at', 'text')
    .addCheckConstraint('totp_enrollments_time_check', isoTimes(['created_at', 'confirmed_at']))
    .execute()
}

// Named `<table>_<name>_idx` on both dialects, so the contract tests can compare them.
async function index(db: Kysely<unknown>, table: string, name: string, columns: string[]): Promise<void> {
  await db.schema.createIndex(`${table}_${name}_idx`).on(table).columns(columns).execute()
}
