// The store contract on a real PostgreSQL (DATABASE_URL, else embedded), and what only
// several connections show: SKIP LOCKED between nodes, notifications between nodes, retries
// on serialization failures, typed errors for a server that is away or refuses the login.
import assert from 'node:assert/strict'
import { mkdtemp, rm } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { sql } from 'kysely'
import { migrateToLatest, openDatabase, withTransaction } from '../../src/store/index.ts'
import { startTestPostgres } from './postgres-harness.ts'
import { schemaSnapshot } from './schema-snapshot.ts'
import { describeScramMigration } from './scram-migration.ts'
import { describeStoreContract, MIGRATIONS } from './store-contract.ts'
import { claimOne, open } from './store-operations.ts'
import { executionRow, requestRow, signal, waitFor } from './store-rows.ts'

const postgres = await startTestPostgres()
after(() => postgres.stop())

describeStoreContract({
  dialect: 'postgres',
  emptyDatabase: () => postgres.emptyDatabase(),
  migratedDatabase: () => postgres.migratedDatabase(),
})

describeScramMigration({ dialect: 'postgres', emptyDatabase: () => postgres.emptyDatabase() })

describe('PostgreSQL store', () => {
  it('has the same schema as SQLite: tables, columns, keys, indexes', async (t) => {
    const dir = await mkdtemp(join(tmpdir(), 'jitgate-compare-'))
    t.after(() => rm(dir, { recursive: true, force: true }))
    const lite = await open(t, `sqlite:${join(dir, 'store.db')}`)
    await migrateToLatest(lite)
    const pg = await open(t, await postgres.migratedDatabase())
    assert.deepEqual(await schemaSnapshot(pg), await schemaSnapshot(lite))
  })

  it('migrates once when several nodes start at the same time', async (t) => {
    const url = await postgres.emptyDatabase()
    const nodes = await Promise.all([1, 2, 3].map(() => open(t, url)))
    const applied = await Promise.all(nodes.map((node) => migrateToLatest(node)))
    assert.deepEqual(applied.flat(), MIGRATIONS)
  })

  it('lets a second connection claim past a row the first one holds', async (t) => {
    const url = await postgres.migratedDatabase()
    const [nodeA, nodeB] = [await open(t, url), await open(t, url)]
    for (const i of [0, 1]) {
      await nodeA.db
        .insertInto('approval_requests')
        .values(requestRow(`r${i}`, { state: 'approved' }))
        .execute()
      await nodeA.db
        .insertInto('executions')
        .values(executionRow(`e${i}`, `r${i}`, `2026-11-23T10:00:0${i}.000Z`))
        .execute()
    }
    const held = signal()
    const hasLock = signal()
    // A keeps its transaction open on e0 until B has claimed.
    const claimA = claimOne(nodeA, 'a', async () => {
      hasLock.resolve()
      await held.promise
    })
    await hasLock.promise
    const claimB = await claimOne(nodeB, 'b')
    held.resolve()
    assert.deepEqual([await claimA, claimB], ['e0', 'e1'])
  })

  it('delivers notifications from one node to another, also after the connection drops', async (t) => {
    const url = await postgres.migratedDatabase()
    const [listener, sender] = [await open(t, url), await open(t, url)]
    const received: (string | null)[] = []
    await listener.notifier.subscribe('work_ready', (payload) => received.push(payload))
    await withTransaction(sender, (trx) => sender.notifier.notify('work_ready', 'e1', trx))
    assert.deepEqual(await waitFor(received, 1), ['e1'])

    await sql`select pg_terminate_backend(pid) from pg_stat_activity
      where datname = current_database() and query like 'LISTEN%'`.execute(sender.db)
    // After reconnecting, handlers hear null: look again, something may have been missed.
    assert.deepEqual(await waitFor(received, 2), ['e1', null])
    await sender.notifier.notify('work_ready', 'e2')
    assert.deepEqual(await waitFor(received, 3), ['e1', null, 'e2'])
  })

  it('sends LISTEN and UNLISTEN one at a time when waiters come and go at once', async (t) => {
    const url = await postgres.migratedDatabase()
    const [listener, sender] = [await open(t, url), await open(t, url)]
    const warnings: string[] = []
    const onWarning = (warning: Error) => warnings.push(warning.message)
    process.on('warning', onWarning)
    t.after(() => process.off('warning', onWarning))
    const received: string[] = []
    await listener.notifier.subscribe('steady', (payload) => received.push(payload ?? 'null'))
    const unsubscribes = await Promise.all(
      Array.from({ length: 20 }, (_, i) => listener.notifier.subscribe(`burst_${i}`, () => undefined)),
    )
    await Promise.all(unsubscribes.map((unsubscribe) => unsubscribe()))
    await sender.notifier.notify('steady', 'after the burst')
    assert.deepEqual(await waitFor(received, 1), ['after the burst'])
    assert.deepEqual(
      warnings.filter((message) => message.includes('already executing a query')),
      [],
    )
  })

  it('retries a transaction that lost a serialization conflict', async (t) => {
    const url = await postgres.migratedDatabase()
    const [a, b] = [await open(t, url), await open(t, url)]
    const runs = await writeSkew(a, b, 5)
    assert.equal(runs, 3, 'both ran once, the loser once more')
    const ids = await a.db.selectFrom('approval_requests').select('id').orderBy('id').execute()
    assert.deepEqual(
      ids.map((row) => row.id),
      ['from-a', 'from-b'],
    )
  })

  it('gives up with store_conflict after the last attempt', async (t) => {
    const url = await postgres.migratedDatabase()
    const [a, b] = [await open(t, url), await open(t, url)]
    await assert.rejects(writeSkew(a, b, 1), (error: Error & { code?: string; status?: number }) => {
      assert.equal(error.code, 'store_conflict')
      assert.equal(error.status, 503)
      assert.equal(error.message, 'the transaction conflicted with others 1 time; try again')
      return true
    })
  })
})

describe('PostgreSQL errors', () => {
  const admin = new URL(postgres.adminUrl)

  it('says store_unreachable when nothing listens, without the password', async () => {
    const port = await closedPort()
    const url = `postgres://jitgate:s3cret-pw@127.0.0.1:${port}/jitgate`
    await assertOpenFails(url, 'store_unreachable', 's3cret-pw', [
      `cannot reach the database at postgres://jitgate:***@127.0.0.1:${port}/jitgate: `,
      'ECONNREFUSED',
    ])
  })

  it('says store_unreachable for an unknown host', async () => {
    await assertOpenFails(
      'postgres://u:pw-123456@no-such-host.invalid/db',
      'store_unreachable',
      'pw-123456',
      ['cannot reach the database at postgres://u:***@no-such-host.invalid/db: '],
    )
  })

  it('says store_auth_failed for a wrong password, without the password', async (t) => {
    const wrong = new URL(admin)
    wrong.password = 'wr0ng-Passw0rd'
    const trusting = await openDatabase(wrong.toString()).then(
      async (handle) => {
        await handle.close()
        return true
      },
      () => false,
    )
    if (trusting) return t.skip('the server at DATABASE_URL lets this user in without a password')
    await assertOpenFails(wrong.toString(), 'store_auth_failed', 'wr0ng-Passw0rd', [
      `the database at ${wrong.protocol}//${wrong.username}:***@${wrong.host}`,
      'password authentication failed',
    ])
  })

  it('says store_open_failed for a database that does not exist', async () => {
    const missing = new URL(admin)
    missing.pathname = '/no_such_database'
    await assertOpenFails(missing.toString(), 'store_open_failed', admin.password || undefined, [
      'database "no_such_database" does not exist',
    ])
  })

  it('says store_url_invalid for a URL it cannot parse, without repeating it', async () => {
    await assertOpenFails('postgres://user:pa ss@[bad', 'store_url_invalid', 'pa ss', [
      'the PostgreSQL database URL is not a valid URL',
    ])
  })
})

async function assertOpenFails(url: string, code: string, secret: string | undefined, parts: string[]) {
  await assert.rejects(openDatabase(url, { connectTimeoutMs: 5_000 }), (error: Error & { code?: string }) => {
    assert.equal(error.code, code)
    for (const part of parts) assert.ok(error.message.includes(part), `'${error.message}' has '${part}'`)
    if (secret !== undefined) {
      for (const text of [error.message, JSON.stringify(error), String(error.stack)]) {
        assert.equal(text.includes(secret), false, `the password leaked: ${text}`)
      }
    }
    assert.equal(error.cause, undefined)
    return true
  })
}

/** Two serializable transactions that each read what the other writes; returns how often they ran. */
async function writeSkew(a: Parameters<typeof withTransaction>[0], b: typeof a, maxAttempts: number) {
  let runs = 0
  let reads = 0
  const bothRead = signal()
  const run = (handle: typeof a, id: string) =>
    withTransaction(
      handle,
      async (trx) => {
        runs++
        await trx.selectFrom('approval_requests').select('id').execute()
        if (++reads === 2) bothRead.resolve()
        await bothRead.promise
        await trx.insertInto('approval_requests').values(requestRow(id)).execute()
      },
      { isolation: 'serializable', maxAttempts },
    )
  await Promise.all([run(a, 'from-a'), run(b, 'from-b')])
  return runs
}

function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const address = probe.address()
      probe.close(() => resolve(typeof address === 'object' && address !== null ? address.port : 1))
    })
  })
}
