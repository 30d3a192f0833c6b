// Keyset paging for newest-first listings (requests, grants): the rows after a position
// in (created_at, id) descending order. Both columns are fixed-format ASCII (ISO times,
// UUIDs), so text comparison orders them the same on SQLite and under any PostgreSQL
// collation, and a page costs the same however deep it is.
import { type RawBuilder, type SqlBool, sql } from 'kysely'
import type { ListPosition } from '../approvals/approval-ports.ts'

/** A condition for the rows strictly after `position` when listing newest first. */
export function afterPosition(position: ListPosition): RawBuilder<SqlBool> {
  // A row-value comparison: SQLite (3.15+) and PostgreSQL read it alike.
  return sql<SqlBool>`(created_at, id) < (${position.createdAt}, ${position.id})`
}
