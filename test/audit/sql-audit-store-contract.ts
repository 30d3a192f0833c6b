// The AuditStore contract on a real database, run on SQLite and PostgreSQL: rows kept
// exactly as chained, the head check, pages, retention behind a checkpoint, and several
// appenders (two group-commit writers and service transactions) making one valid chain.
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { describe, it, type TestContext } from 'node:test'
import {
  AuditHeadMovedError,
  appendEvents,
  checkpointDraft,
  createCheckpoint,
  GENESIS_HEAD,
  REDACTED,
  toStoredEvent,
} from '../../src/audit/index.ts'
import { type DatabaseHandle, withTransaction } from '../../src/store/index.ts'
import { appendAuditInTransaction } from '../../src/store/sql-audit-appender.ts'
import { SqlAuditStore } from '../../src/store/sql-audit-store.ts'
import { draft, NOW, now, openMigrated, readAll, verifyStore, writerOn } from './audit-fixtures.ts'

export interface AuditStoreTarget {
  readonly dialect: 'sqlite' | 'postgres'
  /** A new migrated database's URL. */
  readonly database: () => Promise<string>
  /** A second node on the same database: a new handle (PostgreSQL) or the same one (SQLite keeps one per process). */
  readonly secondNode: (t: TestContext, url: string, first: DatabaseHandle) => Promise<DatabaseHandle>
}

const ids = (n: number) => Array.from({ length: n }, () => randomUUID())

export function describeAuditStoreContract(target: AuditStoreTarget): void {
  const fresh = async (t: TestContext) => {
    const url = await target.database()
    const handle = await openMigrated(t, url)
    return { url, handle, store: new SqlAuditStore(handle) }
  }

  describe(`SqlAuditStore on ${target.dialect}`, () => {
    it('keeps every row exactly as chained, in pages, and reports the head', async (t) => {
      const { store } = await fresh(t)
      assert.equal(await store.head(), undefined)
      const details = { text: 'é\u0000"\\ \u2028', n: -0.5, nested: { z: [1, null, true], a: {} } }
      const events = appendEvents(
        GENESIS_HEAD,
        [draft(1, details), ...Array.from({ length: 2200 }, (_, i) => draft(i + 2))],
        ids(2201),
        now,
      )
      await store.appendBatch(events)
      const rows = await readAll(store)
      assert.deepEqual(rows, events.map(toStoredEvent))
      assert.deepEqual(await store.head(), { seq: 2201, hash: events[2200]?.hash })
      assert.deepEqual(
        (await readAll(store, 600, 3)).map((row) => row.seq),
        [600, 601, 602],
      )
      const pages: number[] = []
      for await (const page of store.read(1)) pages.push(page.length)
      assert.deepEqual(pages, [1000, 1000, 201])
      assert.deepEqual(await verifyStore(store), {
        ok: true,
        count: 2201,
        lastSeq: 2201,
        lastHash: events[2200]?.hash,
      })
    })

    it('refuses a batch that does not continue the head, writing nothing', async (t) => {
      const { store } = await fresh(t)
      const first = appendEvents(GENESIS_HEAD, [draft(1)], ids(1), now)
      await store.appendBatch(first)
      const stale = appendEvents(GENESIS_HEAD, [draft(2), draft(3)], ids(2), now)
      await assert.rejects(store.appendBatch(stale), (error: AuditHeadMovedError) => {
        assert.ok(error instanceof AuditHeadMovedError)
        assert.equal(error.code, 'audit_head_moved')
        assert.equal(
          error.message,
          "the batch continues the chain after event 0, but the log's head is event 1",
        )
        return true
      })
      assert.equal((await readAll(store)).length, 1)
    })

    it('appends inside a service transaction: redacted, and gone when it rolls back', async (t) => {
      const { handle, store } = await fresh(t)
      const options = { now, newId: randomUUID }
      const events = await withTransaction(handle, (trx) =>
        appendAuditInTransaction(trx, target.dialect, [draft(1, { password: 'hunter2', ok: true })], options),
      )
      assert.deepEqual(events[0]?.details, { password: REDACTED, ok: true })
      assert.equal(events[0]?.time, NOW.toISOString())
      await assert.rejects(
        withTransaction(handle, async (trx) => {
          await appendAuditInTransaction(trx, target.dialect, [draft(2)], options)
          throw new Error('the state change failed')
        }),
        /the state change failed/,
      )
      assert.deepEqual(await store.head(), { seq: 1, hash: events[0]?.hash })
      assert.deepEqual(await verifyStore(store), {
        ok: true,
        count: 1,
        lastSeq: 1,
        lastHash: events[0]?.hash,
      })
    })

    it('makes one valid chain of two writers and service transactions interleaving', async (t) => {
      const { url, handle, store } = await fresh(t)
      const second = await target.secondNode(t, url, handle)
      // Twenty service transactions queue for the head lock at once here: each of them can move
      // the head between a writer's read of it and its batch, so the writers may re-chain often.
      const [a, b] = [writerOn(handle, 100), writerOn(second, 100)]
      const options = { now, newId: randomUUID }
      const work: Promise<unknown>[] = []
      for (let round = 0; round < 20; round++) {
        for (let i = 0; i < 5; i++) work.push(a.writer.append(draft(round * 100 + i)))
        for (let i = 0; i < 5; i++) work.push(b.writer.append(draft(round * 100 + 50 + i)))
        const node = round % 2 === 0 ? handle : second
        work.push(
          withTransaction(node, (trx) =>
            appendAuditInTransaction(trx, target.dialect, [draft(round), draft(round + 1)], options),
          ),
        )
        if (round % 5 === 0) await new Promise((resolve) => setImmediate(resolve))
      }
      await Promise.all(work)
      const result = await verifyStore(store)
      assert.equal(result.ok, true, JSON.stringify(result))
      assert.equal(result.ok && result.count, 20 * 12)
      assert.deepEqual(
        (await readAll(store)).map((row) => row.seq),
        Array.from({ length: 240 }, (_, i) => i + 1),
      )
    })

    it('retains behind a sealed checkpoint: the kept chain verifies and the head stays', async (t) => {
      const { store, handle } = await fresh(t)
      const { writer } = writerOn(handle)
      await Promise.all(Array.from({ length: 50 }, (_, i) => writer.append(draft(i))))
      const covered = (await readAll(store, 40, 1))[0]
      assert.ok(covered !== undefined)
      const checkpoint = createCheckpoint(covered, undefined, NOW.toISOString())
      await writer.append(checkpointDraft(checkpoint))
      await store.retain(checkpoint)
      assert.deepEqual(await store.latestCheckpoint(), checkpoint)
      assert.deepEqual(
        (await readAll(store)).map((row) => row.seq),
        Array.from({ length: 11 }, (_, i) => i + 41),
      )
      assert.equal((await store.head())?.seq, 51)
      assert.equal((await verifyStore(store)).ok, true)
    })

    it('refuses to retain a checkpoint the chain has not recorded yet', async (t) => {
      const { store, handle } = await fresh(t)
      const { writer } = writerOn(handle)
      const event = await writer.append(draft(1))
      const checkpoint = createCheckpoint(event, undefined, NOW.toISOString())
      await assert.rejects(store.retain(checkpoint), {
        code: 'audit_checkpoint_invalid',
        message:
          "the checkpoint covers events up to 1, but the log's head is event 1: append checkpointDraft(checkpoint) first",
      })
      assert.equal((await readAll(store)).length, 1)
    })
  })
}
