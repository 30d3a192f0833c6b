// The audit query for the HTTP API, on both dialects: filters, then events in ascending seq
// order after the cursor, one page at a time. Paged by key (`seq > cursor`), never by
// offset, so a page costs the same deep in the log and events appended meanwhile are not
// skipped or repeated. The subject filter uses audit_events_subject (subject_type,
// subject_id, seq), the type prefix audit_events_type (type, seq) on SQLite, and the time
// range audit_events_time.
import { type SelectQueryBuilder, sql } from 'kysely'
import type { Dialect } from './database-url.ts'
import type { AuditEventRow, Database } from './schema.ts'
import { type AuditFilter, type AuditPage, encodeCursor } from './sql-audit-query-params.ts'
import { fromAuditRow } from './sql-audit-rows.ts'
import type { TransactionTarget } from './transaction.ts'

type AuditSelect = SelectQueryBuilder<Database, 'audit_events', AuditEventRow>

/** One page of the events `filter` matches. */
export async function queryAuditPage(target: TransactionTarget, filter: AuditFilter): Promise<AuditPage> {
  let query: AuditSelect = target.db.selectFrom('audit_events').selectAll()
  query = whereFilters(query, target.dialect, filter)
  // One more than a page: whether another page exists, without a count.
  const rows = await query
    .orderBy('seq')
    .limit(filter.limit + 1)
    .execute()
  const events = rows.slice(0, filter.limit).map(fromAuditRow)
  const last = events[events.length - 1]
  return {
    events,
    nextCursor: last === undefined ? null : encodeCursor(last.seq),
    hasMore: rows.length > filter.limit,
  }
}

function whereFilters(query: AuditSelect, dialect: Dialect, filter: AuditFilter): AuditSelect {
  let q = query
  if (filter.afterSeq !== undefined) q = q.where('seq', '>', filter.afterSeq)
  if (filter.typePrefix !== undefined) q = whereTypeStarts(q, dialect, filter.typePrefix)
  if (filter.actorId !== undefined) q = q.where('actor_id', '=', filter.actorId)
  if (filter.subjectType !== undefined) q = q.where('subject_type', '=', filter.subjectType)
  if (filter.subjectId !== undefined) q = q.where('subject_id', '=', filter.subjectId)
  if (filter.since !== undefined) q = q.where('time', '>=', filter.since)
  if (filter.until !== undefined) q = q.where('time', '<', filter.until)
  return q
}

/**
 * SQLite compares text byte by byte, so the prefix is a range the type index serves: every
 * type starting with `prefix` lies in [prefix, prefix with its last character incremented)
 * and nothing else does (the prefix is ASCII, checked by parseAuditQuery). PostgreSQL orders
 * text by the database's collation, under which such a range can miss matches
 * (punctuation is ignored at first), so it compares the leading characters instead.
 */
function whereTypeStarts(query: AuditSelect, dialect: Dialect, prefix: string): AuditSelect {
  if (dialect === 'postgres') return query.where(sql<boolean>`left(type, ${prefix.length}) = ${prefix}`)
  const end = prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1)
  return query.where('type', '>=', prefix).where('type', '<', end)
}
