// The store contract on a real SQLite file, and what is particular to SQLite: the pragmas
// and the errors for a file that cannot be opened.
import assert from 'node:assert/strict'
import { chmod, mkdtemp, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { sql } from 'kysely'
import { migrateToLatest, openDatabase } from '../../src/store/index.ts'
import { describeScramMigration } from './scram-migration.ts'
import { describeStoreContract } from './store-contract.ts'
import { open } from './store-operations.ts'

const dir = await mkdtemp(join(tmpdir(), 'jitgate-sqlite-'))
after(() => rm(dir, { recursive: true, force: true }))
let files = 0
const newUrl = () => `sqlite:${join(dir, `store-${files++}.db`)}`

describeStoreContract({
  dialect: 'sqlite',
  emptyDatabase: async () => newUrl(),
  migratedDatabase: async () => {
    const url = newUrl()
    const handle = await openDatabase(url)
    await migrateToLatest(handle)
    await handle.close()
    return url
  },
})

describeScramMigration({ dialect: 'sqlite', emptyDatabase: async () => newUrl() })

describe('SQLite store', () => {
  it('opens the file in WAL mode with full sync, foreign keys and a busy timeout', async (t) => {
    const { db } = await open(t, newUrl())
    const pragma = async (name: string) =>
      Object.values((await sql.raw(`pragma ${name}`).execute(db)).rows[0] ?? {})[0]
    assert.equal(await pragma('journal_mode'), 'wal')
    assert.equal(await pragma('synchronous'), 2)
    assert.equal(await pragma('foreign_keys'), 1)
    assert.equal(await pragma('busy_timeout'), 5000)
  })

  it('creates the store file, and its WAL, readable by its owner only; an existing file keeps its mode', async (t) => {
    const path = join(dir, `private-${files++}.db`)
    const handle = await openDatabase(`sqlite:${path}`)
    t.after(() => handle.close())
    await migrateToLatest(handle)
    assert.equal((await stat(path)).mode & 0o777, 0o600)
    assert.equal((await stat(`${path}-wal`)).mode & 0o777, 0o600)
    const shared = join(dir, `shared-${files++}.db`)
    await writeFile(shared, '')
    await chmod(shared, 0o640)
    const existing = await openDatabase(`sqlite:${shared}`)
    t.after(() => existing.close())
    assert.equal((await stat(shared)).mode & 0o777, 0o640)
  })

  it('accepts a plain path and sqlite:// forms', async (t) => {
    const path = join(dir, 'plain.db')
    assert.equal((await open(t, path)).display, `sqlite:${path}`)
    assert.equal((await open(t, `sqlite://${path}`)).display, `sqlite:${path}`)
  })

  const failures: [string, () => Promise<string>, boolean, RegExp][] = [
    [
      'a missing directory',
      async () => join(dir, 'missing', 'store.db'),
      true,
      /^cannot open the SQLite database at .*missing\/store\.db: Cannot open database because the directory does not exist$/,
    ],
    [
      'a file that is not a database',
      async () => {
        const path = join(dir, 'notes.txt')
        await writeFile(path, 'these are notes, not a database\n'.repeat(100))
        return path
      },
      true,
      /^cannot open the SQLite database at .*notes\.txt: file is not a database$/,
    ],
    [
      'a missing file when creating is not allowed',
      async () => join(dir, 'absent.db'),
      false,
      /^cannot open the SQLite database at .*absent\.db: unable to open database file$/,
    ],
  ]
  for (const [what, makePath, create, message] of failures) {
    it(`says store_open_failed for ${what}`, async () => {
      const path = await makePath()
      await assert.rejects(openDatabase(`sqlite:${path}`, { create }), (error: Error & { code?: string }) => {
        assert.equal(error.code, 'store_open_failed')
        assert.match(error.message, message)
        return true
      })
    })
  }
})
