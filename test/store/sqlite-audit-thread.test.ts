// The SQLite audit log committing on its writer thread, on real files: batches durable and
// readable from the main connection, the head check, the busy timeout and other SQLite
// failures arriving as the main-thread path reports them, a killed thread, closing, and an
// idle thread that does not keep a process alive. In memory there is no thread.
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it, type TestContext } from 'node:test'
import { promisify } from 'node:util'
import BetterSqlite3 from 'better-sqlite3'
import {
  AuditHeadMovedError,
  type AuditStore,
  AuditWriter,
  appendEvents,
  type ChainedEvent,
  type ChainHead,
  GENESIS_HEAD,
  headAfter,
  toStoredEvent,
} from '../../src/audit/index.ts'
import { JitgateError } from '../../src/shared/index.ts'
import { type DatabaseHandle, migrateToLatest, openDatabase } from '../../src/store/index.ts'
import { SqlAuditStore } from '../../src/store/sql-audit-store.ts'
import { SqliteAuditThread, SqliteThreadError } from '../../src/store/sqlite-audit-thread.ts'
import { draft, now, readAll, verifyStore } from '../audit/audit-fixtures.ts'

const dir = await mkdtemp(join(tmpdir(), 'jitgate-audit-thread-'))
after(() => rm(dir, { recursive: true, force: true }))

async function fresh(
  t: TestContext,
  busyTimeoutMs?: number,
): Promise<{ file: string; handle: DatabaseHandle; thread: SqliteAuditThread; store: SqlAuditStore }> {
  const file = join(dir, `${randomUUID()}.db`)
  const handle = await openDatabase(`sqlite:${file}`, busyTimeoutMs === undefined ? {} : { busyTimeoutMs })
  t.after(() => handle.close())
  await migrateToLatest(handle)
  const thread = handle.sqliteAuditThread
  if (thread === undefined) assert.fail('a SQLite file has an audit writer thread')
  return { file, handle, thread, store: new SqlAuditStore(handle) }
}

/** `count` events chained on `head`, numbered from `from` in their details. */
function chain(head: ChainHead, count: number, from = 1): ChainedEvent[] {
  const drafts = Array.from({ length: count }, (_, i) => draft(from + i))
  return appendEvents(
    head,
    drafts,
    drafts.map(() => randomUUID()),
    now,
  )
}

async function headOf(store: AuditStore): Promise<ChainHead> {
  return (await store.head()) ?? GENESIS_HEAD
}

/** True when another connection holds the write lock of `probe`'s file. */
function holdsLock(probe: BetterSqlite3.Database): boolean {
  try {
    probe.exec('begin immediate; rollback')
    return false
  } catch (error) {
    if ((error as { code?: string }).code === 'SQLITE_BUSY') return true
    throw error
  }
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  return promise.then(
    () => assert.fail('the batch was acknowledged'),
    (error: Error) => error,
  )
}

describe('the SQLite audit writer thread', () => {
  it('commits batches that the main connection reads back, durable in the file', async (t) => {
    const { file, handle, store } = await fresh(t)
    const first = chain(GENESIS_HEAD, 1500)
    const second = chain(headAfter(GENESIS_HEAD, first), 3, 1501)
    await Promise.all([store.appendBatch(first), store.appendBatch(second)])
    const events = [...first, ...second]
    assert.deepEqual(await store.head(), { seq: 1503, hash: events[1502]?.hash })
    assert.deepEqual(await readAll(store), events.map(toStoredEvent))
    await handle.close()
    // Another connection, after both handles closed: what the file itself holds.
    const reader = new BetterSqlite3(file, { readonly: true })
    t.after(() => reader.close())
    const row = reader.prepare('select count(*) as n, max(seq) as last from audit_events').get()
    assert.deepEqual(row, { n: 1503, last: 1503 })
  })

  it('commits on a connection of its own, not the main one', async (t) => {
    const { handle, store } = await fresh(t)
    const sqlite = handle.sqlite
    if (sqlite === undefined) assert.fail('the handle is SQLite')
    await sqlite.run((database) => database.pragma('query_only = ON'))
    const onMain = new SqlAuditStore(handle, { writerThread: false })
    const events = chain(GENESIS_HEAD, 2)
    const refused = await rejection(onMain.appendBatch(events))
    assert.match(refused.message, /readonly/)
    await store.appendBatch(events)
    assert.equal((await readAll(store)).length, 2)
  })

  it('rejects a batch behind the head with the heads, and an AuditWriter re-chains it', async (t) => {
    const { store, handle } = await fresh(t)
    const onMain = new SqlAuditStore(handle, { writerThread: false })
    const rejected: unknown[] = []
    const watched: Pick<AuditStore, 'appendBatch' | 'head'> = {
      appendBatch: (events) =>
        store.appendBatch(events).catch((error: unknown) => {
          rejected.push(error)
          throw error
        }),
      head: () => store.head(),
    }
    const writer = new AuditWriter({ store: watched, newId: randomUUID, now })
    await writer.append(draft(1))
    // Another writer (the main-thread path of a second store) moves the head under it.
    const other = chain(await headOf(store), 2, 2)
    await onMain.appendBatch(other)
    const stale = chain(GENESIS_HEAD, 1, 9)
    const error = await rejection(store.appendBatch(stale))
    assert.ok(error instanceof AuditHeadMovedError)
    assert.equal(error.message, "the batch continues the chain after event 0, but the log's head is event 3")
    const event = await writer.append(draft(4))
    assert.equal(event.seq, 4)
    assert.equal(rejected.length, 1)
    assert.ok(rejected[0] instanceof AuditHeadMovedError)
    assert.deepEqual(await verifyStore(store), { ok: true, count: 4, lastSeq: 4, lastHash: event.hash })
  })

  it('says store_conflict, as the main-thread path does, when another connection keeps the lock', async (t) => {
    const { file, store, handle } = await fresh(t, 150)
    const locker = new BetterSqlite3(file)
    t.after(() => locker.close())
    locker.exec('begin immediate')
    const events = chain(GENESIS_HEAD, 3)
    const error = await rejection(store.appendBatch(events))
    const onMain = await rejection(new SqlAuditStore(handle, { writerThread: false }).appendBatch(events))
    for (const refused of [error, onMain]) {
      assert.ok(refused instanceof JitgateError)
      assert.deepEqual(
        [refused.code, refused.status, refused.message],
        ['store_conflict', 503, 'the SQLite database stayed locked by another process; try again'],
      )
      assert.equal((refused.cause as { code?: string }).code, 'SQLITE_BUSY')
    }
    locker.exec('rollback')
    await store.appendBatch(events)
    assert.equal((await readAll(store)).length, 3)
  })

  it("rejects with SQLite's message and code when the batch breaks a constraint, writing nothing", async (t) => {
    const { store } = await fresh(t)
    const first = chain(GENESIS_HEAD, 1)
    await store.appendBatch(first)
    // The second event reuses the first one's id.
    const events = appendEvents(
      headAfter(GENESIS_HEAD, first),
      [draft(2), draft(3)],
      [randomUUID(), first[0]?.id ?? ''],
      now,
    )
    const error = await rejection(store.appendBatch(events))
    assert.ok(error instanceof SqliteThreadError)
    assert.equal(error.code, 'SQLITE_CONSTRAINT_UNIQUE')
    assert.equal(error.message, 'UNIQUE constraint failed: audit_events.id')
    assert.equal((await readAll(store)).length, 1)
    assert.equal((await store.head())?.seq, 1)
  })

  it('rejects every pending batch when the thread is killed mid-commit, and the next append starts a new one', async (t) => {
    const { file, store, thread } = await fresh(t)
    await store.appendBatch(chain(GENESIS_HEAD, 1))
    const big = chain(await headOf(store), 20_000, 2)
    const next = chain(headAfter(await headOf(store), big), 10, 20_002)
    const pending = [store.appendBatch(big), store.appendBatch(next)]
    // Killed once the thread holds the write lock, that is, inside the batch's transaction.
    const probe = new BetterSqlite3(file)
    t.after(() => probe.close())
    probe.pragma('busy_timeout = 0')
    const started = performance.now()
    while (!holdsLock(probe)) if (performance.now() - started > 10_000) assert.fail('the batch never began')
    await thread.terminate()
    for (const error of await Promise.all(pending.map(rejection))) {
      assert.ok(error instanceof JitgateError)
      assert.equal(error.code, 'store_writer_stopped')
      assert.match(
        error.message,
        /the SQLite audit writer thread stopped before answering \(it was terminated\)/,
      )
    }
    // Rolled back whole, and no lock left behind.
    assert.equal((await headOf(store)).seq, 1)
    assert.equal((await readAll(store)).length, 1)
    const after = chain(await headOf(store), 5, 30_000)
    await store.appendBatch(after)
    assert.deepEqual(await verifyStore(store), { ok: true, count: 6, lastSeq: 6, lastHash: after[4]?.hash })
  })

  it('rejects with the reason when its thread cannot open the file', async () => {
    const thread = new SqliteAuditThread(join(dir, 'missing', 'none.db'), { busyTimeoutMs: 100 })
    const error = await rejection(thread.appendBatch(chain(GENESIS_HEAD, 1)))
    assert.ok(error instanceof JitgateError)
    assert.equal(error.code, 'store_writer_stopped')
    assert.match(error.message, /cannot open .*none\.db for the audit writer thread: /)
    await thread.close()
  })

  it('commits what was posted before the handle closes, and refuses batches after', async (t) => {
    const { file, handle, store } = await fresh(t)
    const events = chain(GENESIS_HEAD, 500)
    const appended = store.appendBatch(events)
    await handle.close()
    await appended
    const late = await rejection(store.appendBatch(chain(headAfter(GENESIS_HEAD, events), 1, 501)))
    assert.ok(late instanceof JitgateError)
    assert.equal(late.code, 'store_closed')
    const reader = new BetterSqlite3(file, { readonly: true })
    t.after(() => reader.close())
    assert.deepEqual(reader.prepare('select seq, hash from audit_head').get(), {
      seq: 500,
      hash: events[499]?.hash,
    })
  })

  it('does not keep a process alive once its batches are answered', async () => {
    const script = join(dir, `${randomUUID()}.mjs`)
    const url = (path: string) => new URL(path, import.meta.url).href
    await writeFile(
      script,
      `
const { migrateToLatest, openDatabase } = await import(${JSON.stringify(url('../../src/store/index.ts'))})
const { SqlAuditStore } = await import(${JSON.stringify(url('../../src/store/sql-audit-store.ts'))})
const { appendEvents, GENESIS_HEAD } = await import(${JSON.stringify(url('../../src/audit/index.ts'))})
const handle = await openDatabase(${JSON.stringify(`sqlite:${join(dir, `${randomUUID()}.db`)}`)})
await migrateToLatest(handle)
const draft = { actor: { type: 'user', id: 'u' }, type: 'decision.made', subject: { type: 'action', id: 'a' } }
await new SqlAuditStore(handle).appendBatch(appendEvents(GENESIS_HEAD, [draft], ['e1'], () => new Date()))
console.log(handle.sqliteAuditThread === undefined ? 'no thread' : 'appended')
// Not closed: the idle thread alone must let the process end.
`,
    )
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', script], {
      timeout: 30_000,
    })
    assert.equal(stdout.trim(), 'appended')
  })

  it('is not used for an in-memory database, whose batches commit on the main thread', async (t) => {
    const handle = await openDatabase('sqlite::memory:')
    t.after(() => handle.close())
    await migrateToLatest(handle)
    assert.equal(handle.sqliteAuditThread, undefined)
    const store = new SqlAuditStore(handle)
    const events = chain(GENESIS_HEAD, 3)
    await store.appendBatch(events)
    assert.deepEqual(await readAll(store), events.map(toStoredEvent))
  })
})
