// The API key service on a real PostgreSQL (DATABASE_URL, else embedded), and what only
// several nodes show: a revocation on one node refuses the key on the other at once, and
// two nodes seeing a key at once write its last use once.
import assert from 'node:assert/strict'
import { after, describe, it } from 'node:test'
import { openDatabase } from '../../src/store/index.ts'
import { startTestPostgres } from '../store/postgres-harness.ts'
import { describeApiKeyStore } from './api-key-store-suite.ts'
import { ADMIN, keyServices, keyServicesOn, T0 } from './auth-fixtures.ts'

const postgres = await startTestPostgres()
after(() => postgres.stop())

describeApiKeyStore({ dialect: 'postgres', newDatabase: () => postgres.migratedDatabase() })

describe('API keys on PostgreSQL with two nodes', () => {
  it('refuses a key on one node as soon as another revoked it', async (t) => {
    const url = await postgres.migratedDatabase()
    const nodeA = await keyServices(t, url)
    const handleB = await openDatabase(url)
    t.after(() => handleB.close())
    const nodeB = keyServicesOn(handleB, nodeA.clock)
    const { token, key } = await nodeA.keys.create({ subject: 'ci', name: 'ci', roles: ['requester'] }, ADMIN)
    assert.equal((await nodeB.keys.authenticate(token, nodeA.clock.now())).ok, true)
    await nodeA.keys.revoke(key.keyId, ADMIN)
    assert.deepEqual(await nodeB.keys.authenticate(token, nodeA.clock.now()), {
      ok: false,
      reason: 'key_revoked',
      keyId: key.keyId,
    })
  })

  it('records one last use when both nodes see the key at once', async (t) => {
    const url = await postgres.migratedDatabase()
    const nodeA = await keyServices(t, url)
    const handleB = await openDatabase(url)
    t.after(() => handleB.close())
    const nodeB = keyServicesOn(handleB, nodeA.clock)
    const { token } = await nodeA.keys.create({ subject: 'ci', name: 'ci', roles: ['requester'] }, ADMIN)
    const results = await Promise.all([
      nodeA.keys.authenticate(token, T0),
      nodeB.keys.authenticate(token, T0),
    ])
    assert.deepEqual(
      results.map((r) => r.ok),
      [true, true],
    )
    const [row] = await nodeA.handle.db.selectFrom('api_keys').select('last_used_at').execute()
    assert.equal(row?.last_used_at, T0.toISOString())
  })
})
