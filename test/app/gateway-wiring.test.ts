// The PostgreSQL gateway as the node wires it, on both stores: API keys log in over SCRAM
// with the verifier kept at their creation, a key made before verifiers were kept is refused
// with a hint to make a new one, refused logins land in the audit log as `auth.failed` and
// count against the address HTTP counts them for, and shutting down tells the sessions.
import assert from 'node:assert/strict'
import { after, describe, it, type TestContext } from 'node:test'
import { selfSignedCertificate } from '../gateway/wire/self-signed-cert.ts'
import { keyFor } from '../helpers/test-server.ts'
import { startTestPostgres } from '../store/postgres-harness.ts'
import { failedLogins, failure, gatewayClient, REQUESTER, startGatewayNode } from './gateway-node-fixture.ts'

const postgres = await startTestPostgres()
after(() => postgres.stop())

const stores: [string, () => Promise<string | undefined>][] = [
  ['SQLite', async () => undefined],
  ['PostgreSQL', () => postgres.migratedDatabase()],
]

for (const [name, database] of stores) {
  const node = async (t: TestContext, yaml?: string) => {
    const url = await database()
    return startGatewayNode(t, {
      upstreamUrl: postgres.adminUrl,
      ...(url === undefined ? {} : { database: url }),
      ...(yaml === undefined ? {} : { yaml }),
    })
  }

  describe(`the gateway of a node (store on ${name})`, () => {
    it('lets an API key log in over SCRAM, as its subject, and records the use', async (t) => {
      const server = await node(t)
      const token = await keyFor(server, REQUESTER)
      const client = await gatewayClient(t, server, 'alice', token)
      const { rows } = await client.query<{ one: number }>('select 1 as one')
      assert.deepEqual(rows, [{ one: 1 }])
      const [key] = await server.node.apiKeys.list({ subject: 'alice' })
      assert.ok(key?.lastUsedAt, 'the login counts as a use of the key')
      // Another user's key is not this user's password.
      const refused = await failure(gatewayClient(t, server, 'bob', token))
      assert.equal(refused.code, '28P01')
    })

    it('refuses a key made before verifiers were kept, hinting to make a new one, and audits why', async (t) => {
      const server = await node(t)
      const token = await keyFor(server, { id: 'carol', roles: ['requester'] })
      await server.node.handle.db.updateTable('api_keys').set({ scram_verifier: null }).execute()
      const refused = await failure(gatewayClient(t, server, 'carol', token))
      assert.deepEqual([refused.code, refused.message], ['28P01', 'the credentials are not valid'])
      assert.match(refused.hint ?? '', /create a new key/)
      assert.deepEqual(await failedLogins(server, 1), [
        {
          subject: 'credential:api_key',
          details: { reason: 'no_scram_verifier', kind: 'api_key', ip: '127.0.0.1', via: 'postgres' },
        },
      ])
      // A wrong key of a user who has one with a verifier reads the same to the client.
      await keyFor(server, { id: 'carol', roles: ['requester'] })
      const wrong = await failure(gatewayClient(t, server, 'carol', token))
      assert.deepEqual([wrong.code, wrong.message, wrong.hint], [refused.code, refused.message, refused.hint])
      assert.equal((await failedLogins(server, 2))[1]?.details?.reason, 'key_mismatch')
    })

    it('counts failed gateway logins against the address, for HTTP as well', async (t) => {
      const server = await node(t, 'auth: { rateLimit: { maxFailures: 2, window: 1m } }')
      const token = await keyFor(server, REQUESTER)
      for (let i = 0; i < 2; i++) {
        const wrong = await failure(gatewayClient(t, server, 'alice', 'not a key'))
        assert.equal(wrong.code, '28P01')
      }
      const limited = await failure(gatewayClient(t, server, 'alice', token))
      assert.equal(limited.code, '53400')
      assert.match(limited.message, /too many failed authentications from this address/)
      const res = await fetch(`${server.url}/v1/me`, { headers: { authorization: `Bearer ${token}` } })
      assert.equal(res.status, 429, 'the same address is limited over HTTP')
    })

    it('tells its sessions when the node shuts down, and stops listening', async (t) => {
      const server = await node(t)
      const client = await gatewayClient(t, server, 'alice', await keyFor(server, REQUESTER))
      const ended = new Promise<Error>((resolve) => client.once('error', resolve))
      await server.close()
      const error = (await ended) as Error & { code?: string }
      assert.equal(error.code, '57P01')
      const res = await fetch(`${server.url}/readyz`).catch((e: unknown) => e)
      assert.ok(res instanceof Error, 'the API is closed too')
      const again = await failure(gatewayClient(t, server, 'alice', 'x'))
      assert.match(String((again as Error & { code?: string }).code), /ECONNREFUSED/)
    })
  })
}

describe('the gateway of a node with the password method', () => {
  it('takes an API key in cleartext over TLS, as HTTP would, and audits what it refuses', async (t) => {
    const cert = selfSignedCertificate()
    const server = await startGatewayNode(t, {
      upstreamUrl: postgres.adminUrl,
      files: { 'gateway.crt': cert.cert, 'gateway.key': cert.key },
      gateway: [
        '  tls: { cert: $FILES/gateway.crt, key: $FILES/gateway.key }',
        '  auth: { method: password }',
      ],
    })
    const ssl = { ca: cert.cert, servername: 'localhost' }
    const token = await keyFor(server, REQUESTER)
    const client = await gatewayClient(t, server, 'alice', token, ssl)
    assert.deepEqual((await client.query('select 2 as two')).rows, [{ two: 2 }])
    // Not an API key, and no identity provider is configured.
    const refused = await failure(gatewayClient(t, server, 'alice', 'eyJhbGciOiJub25lIn0.e30.', ssl))
    assert.equal(refused.code, '28P01')
    assert.deepEqual(await failedLogins(server, 1), [
      {
        subject: 'credential:oidc',
        details: { reason: 'oidc_disabled', kind: 'oidc', ip: '127.0.0.1', via: 'postgres' },
      },
    ])
  })
})
