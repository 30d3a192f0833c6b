// Between audit events and the rows of `audit_events`, and the two writes every append
// makes: the rows, then the head. Shared by the transactional appender and SqlAuditStore,
// so both keep exactly the bytes the chain hashed and move the head the same way.
import { CompiledQuery, sql, type Transaction } from 'kysely'
import type { AuditActor, ChainedEvent, ChainHead, StoredAuditEvent } from '../audit/index.ts'
import type { Dialect } from './database-url.ts'
import type { AuditEventRow, Database } from './schema.ts'

/** The channel a commit that appended audit events notifies (PostgreSQL), with the new head seq. */
export const AUDIT_CHANNEL = 'audit_appended'
// 100 rows (1,200 parameters) a statement: measured faster on SQLite than 10 or 500, and far
// below both dialects' parameter limits.
const ROWS_PER_INSERT = 100

export function toAuditRow(event: ChainedEvent): AuditEventRow {
  return {
    seq: event.seq,
    id: event.id,
    time: event.time,
    actor_type: event.actor.type,
    actor_id: event.actor.id,
    type: event.type,
    subject_type: event.subject.type,
    subject_id: event.subject.id,
    details: event.detailsJson,
    policy_version: event.policyVersion ?? null,
    prev_hash: event.prevHash,
    hash: event.hash,
  }
}

/** The columns of audit_events in the order every insert and raw read lists them. */
export const AUDIT_COLUMNS = [
  'seq',
  'id',
  'time',
  'actor_type',
  'actor_id',
  'type',
  'subject_type',
  'subject_id',
  'details',
  'policy_version',
  'prev_hash',
  'hash',
] as const
export type AuditRowValues = readonly (string | number | null)[]

/**
 * Inserts rows given as values in column order (seq, id, time, actor_type, actor_id, type,
 * subject_type, subject_id, details, policy_version, prev_hash, hash), in chunks. Prebuilt
 * SQL and a flat parameter list: Kysely's query builder cost ~30 µs a row, most of the time
 * of a durable SQLite batch (measured with bench/audit).
 */
export async function insertAuditValues(
  trx: Transaction<Database>,
  dialect: Dialect,
  rows: readonly AuditRowValues[],
): Promise<void> {
  for (let at = 0; at < rows.length; at += ROWS_PER_INSERT) {
    const chunk = rows.slice(at, at + ROWS_PER_INSERT)
    await trx.executeQuery(CompiledQuery.raw(insertSql(dialect, chunk.length), chunk.flat()))
  }
}

/** `insert into audit_events (…) values (…), …` for `rows` rows, in the dialect's placeholders. */
function insertSql(dialect: Dialect, rows: number): string {
  const tuples: string[] = []
  for (let row = 0; row < rows; row++) {
    const marks = AUDIT_COLUMNS.map((_, i) =>
      dialect === 'postgres' ? `$${row * AUDIT_COLUMNS.length + i + 1}` : '?',
    )
    tuples.push(`(${marks.join(',')})`)
  }
  return `insert into audit_events (${AUDIT_COLUMNS.join(',')}) values ${tuples.join(',')}`
}

/** The values of toAuditRow in AUDIT_COLUMNS order. */
export function auditValues(event: ChainedEvent): AuditRowValues {
  const { actor, subject } = event
  return [
    event.seq,
    event.id,
    event.time,
    actor.type,
    actor.id,
    event.type,
    subject.type,
    subject.id,
    event.detailsJson,
    event.policyVersion ?? null,
    event.prevHash,
    event.hash,
  ]
}

/**
 * The row as stored, nothing repaired: verification hashes these values, so a changed
 * column must show. Only null policy_version becomes an absent field, as it was written.
 */
export function fromAuditRow(row: AuditEventRow): StoredAuditEvent {
  const base = {
    seq: row.seq,
    id: row.id,
    time: row.time,
    actor: { type: row.actor_type, id: row.actor_id } as AuditActor,
    type: row.type as StoredAuditEvent['type'],
    subject: { type: row.subject_type, id: row.subject_id },
    detailsJson: row.details,
    prevHash: row.prev_hash,
    hash: row.hash,
  }
  return row.policy_version === null ? base : { ...base, policyVersion: row.policy_version }
}

/**
 * The stored head, locked until `trx` ends: FOR UPDATE on PostgreSQL, so appenders on every
 * node take turns; on SQLite the write transaction (BEGIN IMMEDIATE) already holds the only
 * write lock.
 */
export async function lockAuditHead(trx: Transaction<Database>, dialect: Dialect): Promise<ChainHead> {
  const query = trx.selectFrom('audit_head').select(['seq', 'hash']).where('id', '=', 1)
  const row = await (dialect === 'postgres' ? query.forUpdate() : query).executeTakeFirst()
  // Migration 0001 inserts the row; without it the database is not a jitgate store.
  if (row === undefined) throw new Error('the audit_head row is missing: run the migrations')
  return { seq: Number(row.seq), hash: row.hash }
}

/** Inserts `events` and moves the head to the last one; PostgreSQL listeners hear of it on commit. */
export async function writeAuditEvents(
  trx: Transaction<Database>,
  dialect: Dialect,
  events: readonly ChainedEvent[],
): Promise<void> {
  const last = events[events.length - 1]
  if (last === undefined) return
  await insertAuditValues(trx, dialect, events.map(auditValues))
  await trx.updateTable('audit_head').set({ seq: last.seq, hash: last.hash }).where('id', '=', 1).execute()
  // NOTIFY inside the transaction leaves only if it commits; SQLite readers poll instead.
  if (dialect === 'postgres') await sql`select pg_notify(${AUDIT_CHANNEL}, ${String(last.seq)})`.execute(trx)
}
