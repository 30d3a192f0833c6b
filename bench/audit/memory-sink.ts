// The in-memory sink both writers append to. It does per row what a store's insert does
// before the database (details to text, every column's bytes counted) and completes each
// batch on a later turn of the event loop, so appends made meanwhile coalesce as they will
// against a real database. The SQLite store (WAL, synchronous=FULL) replaces it once store/
// implements the AuditStore port.
import type { AuditDraft, ChainHead, JsonObject } from '../../src/audit/index.ts'

/** A row either writer hands over: the chained one brings its details as text already. */
export interface SinkRow extends AuditDraft {
  readonly seq: number
  readonly id: string
  readonly time: string
  readonly prevHash?: string
  readonly hash?: string
  readonly detailsJson?: string
}

export class MemorySink {
  rows = 0
  bytes = 0
  #head: ChainHead | undefined

  async appendBatch(rows: readonly SinkRow[]): Promise<void> {
    for (const row of rows) this.bytes += rowBytes(row)
    this.rows += rows.length
    const last = rows[rows.length - 1]
    if (last !== undefined) this.#head = { seq: last.seq, hash: last.hash ?? '' }
    await new Promise((resolve) => setImmediate(resolve))
  }

  async head(): Promise<ChainHead | undefined> {
    return this.#head
  }
}

function rowBytes(row: SinkRow): number {
  const details = row.detailsJson ?? JSON.stringify(row.details ?? ({} as JsonObject))
  return (
    row.id.length +
    row.time.length +
    row.actor.type.length +
    row.actor.id.length +
    row.type.length +
    row.subject.type.length +
    row.subject.id.length +
    details.length +
    (row.policyVersion?.length ?? 0) +
    (row.prevHash?.length ?? 0) +
    (row.hash?.length ?? 0) +
    8
  )
}
