// The API key service on a real store, run on SQLite and on PostgreSQL: create, list,
// revoke, authenticate, expiry, last use, and that no secret is ever stored.
import assert from 'node:assert/strict'
import { describe, it, type TestContext } from 'node:test'
import { hashApiKey, parseApiKey } from '../../src/auth/index.ts'
import type { Dialect } from '../../src/store/index.ts'
import { ADMIN, auditTypes, DAY, everyStoredText, keyServices, T0 } from './auth-fixtures.ts'

export interface KeyStoreTarget {
  readonly dialect: Dialect
  /** A URL of a new database (migrated or not: the fixture migrates it). */
  newDatabase(): Promise<string>
}

const ALICE = { subject: 'alice', name: 'alice laptop', roles: ['requester'] as const, groups: ['eng'] }

export function describeApiKeyStore(target: KeyStoreTarget): void {
  const setUp = async (t: TestContext) => keyServices(t, await target.newDatabase())

  describe(`API keys on ${target.dialect}`, () => {
    it('creates a key whose token authenticates as its subject, with its roles, groups and scopes', async (t) => {
      const s = await setUp(t)
      const created = await s.keys.create(
        { subject: 'ci', name: 'deploys', roles: ['requester', 'approver'], scopes: ['request.create'] },
        ADMIN,
      )
      const keyId = parseApiKey(created.token)?.keyId
      assert.equal(created.key.keyId, keyId)
      assert.equal(created.key.expiresAt, new Date(T0.getTime() + 90 * DAY * 1000).toISOString())
      assert.deepEqual(await s.keys.authenticate(created.token, s.clock.now()), {
        ok: true,
        principal: {
          id: 'ci',
          kind: 'api_key',
          roles: ['requester', 'approver'],
          groups: [],
          scopes: ['request.create'],
          keyId,
        },
      })
      assert.deepEqual(await auditTypes(s.handle), ['api_key.created'])
      const event = await s.handle.db.selectFrom('audit_events').selectAll().executeTakeFirstOrThrow()
      assert.deepEqual(
        [event.actor_type, event.actor_id, event.subject_type, event.subject_id],
        ['user', 'root-admin', 'api_key', keyId],
      )
      assert.deepEqual(JSON.parse(event.details), {
        subject: 'ci',
        roles: ['requester', 'approver'],
        groups: [],
        scopes: ['request.create'],
        expiresAt: created.key.expiresAt,
      })
    })

    it('stores the hash of the token only: no row or audit event holds the secret', async (t) => {
      const s = await setUp(t)
      const { token } = await s.keys.create(ALICE, ADMIN)
      const secret = parseApiKey(token)?.secret ?? 'missing'
      const stored = await everyStoredText(s.handle)
      assert.equal(stored.includes(secret), false)
      assert.equal(stored.includes(hashApiKey(token)), true)
      const listed = JSON.stringify(await s.keys.list())
      assert.equal(listed.includes(secret), false)
      assert.equal(listed.includes(hashApiKey(token)), false)
    })

    it('refuses a wrong secret and an unknown key id alike, naming the key id', async (t) => {
      const s = await setUp(t)
      const { token, key } = await s.keys.create(ALICE, ADMIN)
      const wrong = `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`
      const unknown = `jg_0000000000000000_${token.slice(-43)}`
      const now = s.clock.now()
      assert.deepEqual(await s.keys.authenticate(wrong, now), {
        ok: false,
        reason: 'key_mismatch',
        keyId: key.keyId,
      })
      assert.deepEqual(await s.keys.authenticate(unknown, now), {
        ok: false,
        reason: 'key_unknown',
        keyId: '0000000000000000',
      })
      assert.deepEqual(await s.keys.authenticate('jg_nope', now), { ok: false, reason: 'key_malformed' })
    })

    it('refuses an expired key from the moment it expires', async (t) => {
      const s = await setUp(t)
      const { token, key } = await s.keys.create({ ...ALICE, expiresIn: 3600 }, ADMIN)
      s.clock.advance(3599)
      assert.equal((await s.keys.authenticate(token, s.clock.now())).ok, true)
      s.clock.advance(1)
      assert.deepEqual(await s.keys.authenticate(token, s.clock.now()), {
        ok: false,
        reason: 'key_expired',
        keyId: key.keyId,
      })
      assert.deepEqual(
        (await s.keys.list()).map((k) => k.state),
        ['expired'],
      )
    })

    it('keeps a key that never expires when the configuration allows it', async (t) => {
      const s = await keyServices(t, await target.newDatabase(), {
        defaultTtlSeconds: DAY,
        maxTtlSeconds: null,
      })
      const { token, key } = await s.keys.create({ ...ALICE, expiresIn: 'never' }, ADMIN)
      assert.equal(key.expiresAt, undefined)
      s.clock.advance(3650 * DAY)
      assert.equal((await s.keys.authenticate(token, s.clock.now())).ok, true)
    })

    it('revokes a key at once; revoking again changes nothing and audits nothing', async (t) => {
      const s = await setUp(t)
      const { token, key } = await s.keys.create(ALICE, ADMIN)
      const revoked = await s.keys.revoke(key.keyId, ADMIN)
      assert.equal(revoked.revokedAt, T0.toISOString())
      assert.equal(revoked.revokedBy, 'root-admin')
      assert.deepEqual(await s.keys.authenticate(token, s.clock.now()), {
        ok: false,
        reason: 'key_revoked',
        keyId: key.keyId,
      })
      s.clock.advance(60)
      assert.deepEqual(await s.keys.revoke(key.keyId, { type: 'user', id: 'other' }), revoked)
      assert.deepEqual(await auditTypes(s.handle), ['api_key.created', 'api_key.revoked'])
      assert.deepEqual(await s.keys.list(), [])
      assert.deepEqual(
        (await s.keys.list({ includeRevoked: true })).map((k) => [k.keyId, k.state]),
        [[key.keyId, 'revoked']],
      )
      await assert.rejects(s.keys.revoke('0000000000000000', ADMIN), {
        code: 'api_key_not_found',
        message: 'there is no API key with that id',
      })
    })

    it('lists keys oldest first, by subject, without secrets or hashes', async (t) => {
      const s = await setUp(t)
      const first = await s.keys.create(ALICE, ADMIN)
      s.clock.advance(1)
      await s.keys.create({ subject: 'bob', name: 'bob', roles: ['auditor'] }, ADMIN)
      s.clock.advance(1)
      const third = await s.keys.create({ ...ALICE, name: 'alice ci' }, ADMIN)
      const alice = await s.keys.list({ subject: 'alice' })
      assert.deepEqual(
        alice.map((k) => k.keyId),
        [first.key.keyId, third.key.keyId],
      )
      assert.deepEqual(Object.keys(alice[0] ?? {}).sort(), [
        'createdAt',
        'createdBy',
        'expiresAt',
        'groups',
        'keyId',
        'name',
        'roles',
        'state',
        'subject',
      ])
    })

    it('writes the last use at most once a minute', async (t) => {
      const s = await setUp(t)
      const { token, key } = await s.keys.create(ALICE, ADMIN)
      const lastUsed = async () =>
        (
          await s.handle.db
            .selectFrom('api_keys')
            .select('last_used_at')
            .where('key_id', '=', key.keyId)
            .executeTakeFirst()
        )?.last_used_at
      assert.equal(await lastUsed(), null)
      await s.keys.authenticate(token, s.clock.now())
      assert.equal(await lastUsed(), T0.toISOString())
      s.clock.advance(59)
      await s.keys.authenticate(token, s.clock.now())
      assert.equal(await lastUsed(), T0.toISOString())
      s.clock.advance(1)
      await s.keys.authenticate(token, s.clock.now())
      assert.equal(await lastUsed(), new Date(T0.getTime() + 60_000).toISOString())
      assert.deepEqual(s.lastUseErrors, [])
    })

    it('refuses an invalid key listing every problem, and stores nothing', async (t) => {
      const s = await setUp(t)
      await assert.rejects(
        s.keys.create(
          {
            subject: '',
            name: 'x'.repeat(101),
            roles: ['requester', 'root' as 'admin'],
            scopes: ['audit.read'],
            expiresIn: 'never',
          },
          ADMIN,
        ),
        (error: Error & { code?: string; details?: unknown }) => {
          assert.equal(error.code, 'api_key_invalid')
          assert.equal(error.message, 'the API key is invalid: /subject must be a non-empty string')
          assert.deepEqual(error.details, [
            { path: '/subject', message: 'must be a non-empty string' },
            { path: '/name', message: 'must be at most 100 characters' },
            { path: '/roles/1', message: 'is not a role', hint: 'requester, approver, admin, auditor' },
            { path: '/scopes/0', message: 'is not granted by the roles requester' },
            { path: '/expiresIn', message: 'keys must expire', hint: `at most ${365 * DAY} seconds` },
          ])
          return true
        },
      )
      assert.deepEqual(await s.keys.list({ includeRevoked: true }), [])
      assert.deepEqual(await auditTypes(s.handle), [])
    })
  })
}
