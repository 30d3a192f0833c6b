// Store operations the contract tests run the way the services will: open a handle for
// one test, seed queued executions, claim one, append to the audit chain.
import assert from 'node:assert/strict'
import type { TestContext } from 'node:test'
import {
  type DatabaseHandle,
  forUpdate,
  forUpdateSkipLocked,
  openDatabase,
  withTransaction,
} from '../../src/store/index.ts'
import { executionRow, requestRow, T0, T1 } from './store-rows.ts'

/** Opens `url` for the length of test `t`. */
export async function open(t: TestContext, url: string): Promise<DatabaseHandle> {
  const handle = await openDatabase(url)
  t.after(() => handle.close())
  return handle
}

export async function seedExecutions(handle: DatabaseHandle, count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    await handle.db
      .insertInto('approval_requests')
      .values(requestRow(`r${i}`, { state: 'approved' }))
      .execute()
    const queuedAt = `2026-11-23T10:00:0${i}.000Z`
    await handle.db
      .insertInto('executions')
      .values(executionRow(`e${i}`, `r${i}`, queuedAt))
      .execute()
  }
}

/** Claims the oldest queued execution for `owner`; undefined when none is left. */
export function claimOne(handle: DatabaseHandle, owner: string, pause?: () => Promise<void>) {
  return withTransaction(handle, async (trx) => {
    const query = trx
      .selectFrom('executions')
      .select('id')
      .where('state', '=', 'queued')
      .orderBy('queued_at')
      .limit(1)
    const row = await forUpdateSkipLocked(handle.dialect, query).executeTakeFirst()
    if (row === undefined) return undefined
    await pause?.()
    await trx
      .updateTable('executions')
      .set({ state: 'running', lease_owner: owner, lease_expires_at: T1, updated_at: T0 })
      .where('id', '=', row.id)
      .execute()
    return row.id
  })
}

export async function appendAuditEvent(handle: DatabaseHandle, id: string): Promise<void> {
  await withTransaction(handle, async (trx) => {
    const headQuery = trx.selectFrom('audit_head').select(['seq', 'hash']).where('id', '=', 1)
    const head = await forUpdate(handle.dialect, headQuery).executeTakeFirstOrThrow()
    assert.equal(typeof head.seq, 'number', 'bigint columns come back as numbers')
    const seq = head.seq + 1
    const hash = `hash-${seq}`
    await trx
      .insertInto('audit_events')
      .values({
        seq,
        id,
        time: T0,
        actor_type: 'system',
        actor_id: 'jitgate',
        type: 'test.appended',
        subject_type: 'test',
        subject_id: id,
        details: '{}',
        policy_version: null,
        prev_hash: head.hash,
        hash,
      })
      .execute()
    await trx.updateTable('audit_head').set({ seq, hash }).where('id', '=', 1).execute()
  })
}
