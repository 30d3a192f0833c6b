// What the audit store tests share: drafts, deterministic ids and clock, reading a whole
// store, and verifying it as `jitgate audit verify` does.
import { randomUUID } from 'node:crypto'
import type { TestContext } from 'node:test'
import {
  type AuditDraft,
  type AuditStore,
  AuditWriter,
  type LogVerifyResult,
  type StoredAuditEvent,
  verifyLog,
} from '../../src/audit/index.ts'
import { type DatabaseHandle, migrateToLatest, openDatabase } from '../../src/store/index.ts'
import { SqlAuditStore } from '../../src/store/sql-audit-store.ts'

export const NOW = new Date('2026-11-23T15:00:00.000Z')
export const now = (): Date => NOW

export function draft(i: number, details: AuditDraft['details'] = { i }): AuditDraft {
  return {
    actor: { type: 'user', id: `user-${i % 7}` },
    type: 'decision.made',
    subject: { type: 'action', id: `act-${i}` },
    details,
    ...(i % 2 === 0 ? { policyVersion: 'v1' } : {}),
  }
}

/** Opens `url`, migrated, for the length of test `t`. */
export async function openMigrated(t: TestContext, url: string): Promise<DatabaseHandle> {
  const handle = await openDatabase(url)
  t.after(() => handle.close())
  await migrateToLatest(handle)
  return handle
}

/**
 * A group-commit writer on `handle`. `maxRetries`: re-chains allowed when another appender
 * moved the head; the tests that hammer one head from many appenders at once raise it.
 */
export function writerOn(
  handle: DatabaseHandle,
  maxRetries?: number,
): { store: SqlAuditStore; writer: AuditWriter } {
  const store = new SqlAuditStore(handle)
  const retries = maxRetries === undefined ? {} : { maxRetries }
  return { store, writer: new AuditWriter({ store, newId: randomUUID, now, ...retries }) }
}

export async function readAll(store: AuditStore, from = 1, limit?: number): Promise<StoredAuditEvent[]> {
  const rows: StoredAuditEvent[] = []
  for await (const page of store.read(from, limit)) rows.push(...page)
  return rows
}

export async function verifyStore(store: AuditStore): Promise<LogVerifyResult> {
  const checkpoint = await store.latestCheckpoint()
  const from = checkpoint === undefined ? 1 : checkpoint.seq + 1
  return verifyLog({ events: store.read(from), ...(checkpoint === undefined ? {} : { checkpoint }) })
}
