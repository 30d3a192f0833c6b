// What /metrics reads from the store at each scrape: requests by state, how long approved
// requests waited for their approval, and the audit log's length. Read at scrape time, not
// counted in memory, so every node reports the same figures for the shared store.
import { sql } from 'kysely'
import type { DatabaseHandle } from './database.ts'

export interface StoreFigures {
  readonly requestsByState: Readonly<Record<string, number>>
  /** Seconds from creation to approval of requests approved in the window, ascending. */
  readonly approvalSeconds: readonly number[]
  readonly auditEvents: number
}

/** The figures now; `sinceIso` bounds the approval latencies to recent requests. */
export async function storeFigures(
  handle: Pick<DatabaseHandle, 'db'>,
  sinceIso: string,
): Promise<StoreFigures> {
  const states = await handle.db
    .selectFrom('approval_requests')
    .select(['state', sql<number>`count(*)`.as('n')])
    .groupBy('state')
    .execute()
  const decided = await handle.db
    .selectFrom('approval_requests')
    .select(['created_at', 'decided_at'])
    .where('decided_at', '>=', sinceIso)
    .where('state', 'in', ['approved', 'executing', 'executed', 'failed'])
    .limit(10_000)
    .execute()
  const head = await handle.db.selectFrom('audit_head').select('seq').executeTakeFirst()
  const approvalSeconds = decided
    .flatMap((row) =>
      row.decided_at === null ? [] : [(Date.parse(row.decided_at) - Date.parse(row.created_at)) / 1000],
    )
    .sort((a, b) => a - b)
  return {
    requestsByState: Object.fromEntries(states.map((row) => [row.state, Number(row.n)])),
    approvalSeconds,
    auditEvents: Number(head?.seq ?? 0),
  }
}
