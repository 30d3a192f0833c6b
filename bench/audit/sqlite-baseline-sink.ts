// The baseline's sink: the same audit_events table of a SQLite store (WAL,
// synchronous=FULL, the same indexes), the same prepared insert in one BEGIN IMMEDIATE
// transaction per batch as SqlAuditStore.appendBatch (SqliteAuditRows.insertRows), but rows
// as a plain audit table would write them: details JSON.stringify'd as given, no canonical
// encoding, no hashes (constant placeholders of the same length, so both sides write the
// same bytes), no head row to check and move. It commits on the main thread: jitgate's store
// commits on its writer thread (sqlite-audit-thread.ts), so the ratio also holds the hand-off
// of each batch to that thread, which is what jitgate pays.
import type { AuditDraft } from '../../src/audit/index.ts'
import type { DatabaseHandle } from '../../src/store/index.ts'
import { SqliteAuditRows } from '../../src/store/sql-audit-sqlite.ts'

export interface BaselineRow extends AuditDraft {
  readonly seq: number
  readonly id: string
  readonly time: string
}

const PLACEHOLDER = '0'.repeat(64)

export class SqliteBaselineSink {
  readonly #rows: SqliteAuditRows

  constructor(handle: DatabaseHandle) {
    if (handle.sqlite === undefined) throw new Error('the baseline needs a SQLite store')
    this.#rows = new SqliteAuditRows(handle.sqlite)
  }

  async appendBatch(rows: readonly BaselineRow[]): Promise<void> {
    const values = rows.map((row) => [
      row.seq,
      row.id,
      row.time,
      row.actor.type,
      row.actor.id,
      row.type,
      row.subject.type,
      row.subject.id,
      JSON.stringify(row.details ?? {}),
      row.policyVersion ?? null,
      PLACEHOLDER,
      PLACEHOLDER,
    ])
    // The store's own insert path, so the two sides differ only in what the chain adds.
    await this.#rows.insertRows(values)
  }
}
