// Small pieces the migrations share, so that a column means the same on both dialects.
// Migrations are frozen once released: a helper changed here must not change what an
// existing migration creates (add a new helper instead).
import { type RawBuilder, sql } from 'kysely'
import type { Dialect } from '../database-url.ts'

/** `column in ('a', 'b')`: the allowed values of a state or enum column. */
export function oneOf(column: string, values: readonly (string | number)[]): RawBuilder<unknown> {
  return sql`${sql.ref(column)} in (${sql.join(values.map((value) => sql.lit(value)))})`
}

/**
 * Every listed time column holds `Date.toISOString()` text (24 characters), which keeps
 * plain text comparison chronological. A null column passes, as SQL checks do.
 */
export function isoTimes(columns: readonly string[]): RawBuilder<unknown> {
  return sql.join(
    columns.map((column) => sql`length(${sql.ref(column)}) = 24`),
    sql` and `,
  )
}

/**
 * The type of a 64-bit sequence key: on SQLite `integer primary key` is the rowid itself
 * (one B-tree instead of two: appends to the audit log stay cheap); on PostgreSQL, bigint.
 */
export function sequenceType(dialect: Dialect): 'integer' | 'bigint' {
  return dialect === 'sqlite' ? 'integer' : 'bigint'
}
