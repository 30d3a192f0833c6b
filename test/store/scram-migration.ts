// Migration 0006 (api_keys.scram_verifier) on either store: a key made before it keeps no
// verifier and so cannot log in over SCRAM; keys made after carry PostgreSQL's text form of
// their verifier, which never shows in a listing, and the column refuses anything else.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { Migrator, sql } from 'kysely'
import { ApiKeyService } from '../../src/auth/index.ts'
import { apiKeyScramVerifier, parseScramVerifier } from '../../src/gateway/index.ts'
import { constraintViolation, type Dialect, migrateToLatest, SqlApiKeyStore } from '../../src/store/index.ts'
import { allMigrations } from '../../src/store/migrations/all-migrations.ts'
import { open } from './store-operations.ts'

export interface ScramMigrationTarget {
  readonly dialect: Dialect
  emptyDatabase(): Promise<string>
}

const T0 = new Date('2026-11-23T10:00:00.000Z')
const LIFETIME = { defaultTtlSeconds: 90 * 86_400, maxTtlSeconds: 365 * 86_400 }
const ADMIN = { type: 'user', id: 'root-admin' } as const
const OLD_KEY_ID = '00000000000000aa'

export function describeScramMigration(target: ScramMigrationTarget): void {
  describe(`migration 0006: API key SCRAM verifiers (${target.dialect})`, () => {
    it('leaves keys made before without a verifier, and keeps one with every new key', async (t) => {
      const handle = await open(t, await target.emptyDatabase())
      // The store as 0005 left it, with a key in it.
      const migrator = new Migrator({
        db: handle.db,
        provider: { getMigrations: async () => allMigrations(handle.dialect) },
        migrationTableName: 'jitgate_migrations',
        migrationLockTableName: 'jitgate_migrations_lock',
      })
      const before = await migrator.migrateTo('0005_notifications')
      assert.equal(before.error, undefined)
      // Written as 0005 knew the table: without the column 0006 adds.
      await sql`insert into api_keys (key_id, secret_hash, subject, name, roles, groups, created_at, created_by)
        values (${OLD_KEY_ID}, ${'a'.repeat(64)}, 'alice', 'old laptop', '["requester"]', '[]',
          '2026-11-01T10:00:00.000Z', 'root-admin')`.execute(handle.db)
      assert.deepEqual(await migrateToLatest(handle), ['0006_api_key_scram'])

      const store = new SqlApiKeyStore(handle, { now: () => T0, newId: () => crypto.randomUUID() })
      const old = await store.find(OLD_KEY_ID)
      assert.equal(old?.scramVerifier, undefined)
      const keys = new ApiKeyService({
        store,
        now: () => T0,
        randomBytes: (size) => crypto.getRandomValues(new Uint8Array(size)),
        lifetime: LIFETIME,
        scramVerifier: apiKeyScramVerifier,
      })
      assert.deepEqual(await keys.scramVerifiersOf('alice', T0), [], 'the old key has none')

      const created = await keys.create({ subject: 'alice', name: 'new laptop', roles: ['requester'] }, ADMIN)
      const stored = await store.find(created.key.keyId)
      assert.equal(stored?.scramVerifier, apiKeyScramVerifier(created.token, 'alice'))
      assert.ok(parseScramVerifier(stored?.scramVerifier ?? ''), 'PostgreSQL’s text form')
      assert.deepEqual(await keys.scramVerifiersOf('alice', T0), [
        { keyId: created.key.keyId, verifier: stored?.scramVerifier },
      ])
      const shown = JSON.stringify([created.key, ...(await keys.list())])
      assert.equal(shown.includes('SCRAM-SHA-256'), false, 'no listing shows a verifier')
      assert.equal(shown.includes('scramVerifier'), false)
    })

    it('refuses anything but a verifier in the column: a token stored by mistake, say', async (t) => {
      const handle = await open(t, await target.emptyDatabase())
      await migrateToLatest(handle)
      const store = new SqlApiKeyStore(handle, { now: () => T0, newId: () => crypto.randomUUID() })
      const keys = new ApiKeyService({
        store,
        now: () => T0,
        randomBytes: (size) => crypto.getRandomValues(new Uint8Array(size)),
        lifetime: LIFETIME,
        // A wrong wiring: the token itself where its verifier belongs.
        scramVerifier: (token) => token,
      })
      await assert.rejects(
        keys.create({ subject: 'alice', name: 'laptop', roles: ['requester'] }, ADMIN),
        (error) => constraintViolation(error) === 'check',
      )
      assert.deepEqual(await handle.db.selectFrom('api_keys').select('key_id').execute(), [])
    })
  })
}
