// The ports a node hands its gateway's policy gate, on the real store: catalog queries on a
// small read-only side pool per upstream (closed with the node), waiting for an approval
// request (decided on this node, or on another one sharing PostgreSQL), and grant changes.
import assert from 'node:assert/strict'
import { after, describe, it, type TestContext } from 'node:test'
import pg from 'pg'
import type { RunningServer } from '../../src/app/start-server.ts'
import { keyFor } from '../helpers/test-server.ts'
import { startTestPostgres } from '../store/postgres-harness.ts'
import { REQUESTER, startGatewayNode, WRITE } from './gateway-node-fixture.ts'

const postgres = await startTestPostgres()
after(() => postgres.stop())

function portsOf(server: RunningServer) {
  const ports = server.gateway?.ports
  if (ports === undefined) throw new Error('the node has no gateway')
  return ports
}

/** A pending request of alice's that one approval (ann's or ben's) decides. */
async function pendingRequest(server: RunningServer) {
  const asked = await server.node.actions.request({
    actor: { id: 'alice', groups: ['eng'] },
    input: WRITE,
    reason: 'fix a typo in order 42',
  })
  assert.equal(asked.outcome, 'request')
  return asked.outcome === 'request' ? asked.request : assert.fail('no request')
}

async function catalogConnections(): Promise<number> {
  const admin = new pg.Client({ connectionString: postgres.adminUrl })
  await admin.connect()
  try {
    const { rows } = await admin.query<{ n: string }>(
      "select count(*) as n from pg_stat_activity where application_name = 'jitgate catalog'",
    )
    return Number(rows[0]?.n)
  } finally {
    await admin.end()
  }
}

const node = async (t: TestContext, database?: string) =>
  startGatewayNode(t, { upstreamUrl: postgres.adminUrl, ...(database === undefined ? {} : { database }) })

describe('catalog queries', () => {
  it('run read-only on at most two side connections per upstream, closed with the node', async (t) => {
    const server = await node(t)
    const query = portsOf(server).catalogQuery('app')
    const rows = await query('select $1::text as echo, current_setting($2) as read_only', [
      'hi',
      'transaction_read_only',
    ])
    assert.deepEqual(rows, [{ echo: 'hi', read_only: 'on' }])
    await Promise.all(Array.from({ length: 6 }, () => query('select pg_sleep(0.05)')))
    assert.equal(await catalogConnections(), 2)
    await assert.rejects(query('create table jitgate_catalog_probe (id int)'), /read-only transaction/)
    assert.deepEqual(
      await query('select 1 as still'),
      [{ still: 1 }],
      'a failed query leaves the pool usable',
    )
    assert.throws(
      () => portsOf(server).catalogQuery('nope'),
      (error: Error & { code?: string }) =>
        error.code === 'upstream_unknown' && error.message === 'no upstream is configured as "nope"',
    )
    await server.close()
    assert.equal(await catalogConnections(), 0)
    await assert.rejects(query('select 1'), (error: Error & { code?: string }) => {
      return error.code === 'gateway_shutdown'
    })
  })
})

const stores: [string, () => Promise<string | undefined>][] = [
  ['SQLite', async () => undefined],
  ['PostgreSQL', () => postgres.migratedDatabase()],
]

for (const [name, database] of stores) {
  describe(`waiting for a request and hearing of grants (store on ${name})`, () => {
    it('resolves once the request is decided, with the request as decided', async (t) => {
      const server = await node(t, await database())
      const request = await pendingRequest(server)
      const waiting = portsOf(server).waitForRequest(request.id, 30_000)
      await new Promise((resolve) => setTimeout(resolve, 50))
      await server.node.approvals.approve(request.id, { id: 'ann' })
      const decided = await waiting
      assert.deepEqual([decided.id, decided.state], [request.id, 'approved'])
      // Decided already: at once.
      assert.equal((await portsOf(server).waitForRequest(request.id, 30_000)).state, 'approved')
    })

    it('resolves at the timeout with the request still pending, and rejects when aborted', async (t) => {
      const server = await node(t, await database())
      const request = await pendingRequest(server)
      const started = Date.now()
      const timedOut = await portsOf(server).waitForRequest(request.id, 150)
      assert.equal(timedOut.state, 'pending')
      assert.ok(Date.now() - started >= 140)
      const aborts = new AbortController()
      const waiting = portsOf(server).waitForRequest(request.id, 30_000, aborts.signal)
      aborts.abort(new Error('the client left'))
      await assert.rejects(waiting, /the client left/)
      await assert.rejects(
        portsOf(server).waitForRequest('no-such-request', 1_000),
        (
          error: Error & {
            code?: string
          },
        ) => error.code === 'request_not_found',
      )
    })

    it('tells grant listeners of a grant made by an approval, and of its revocation by id', async (t) => {
      const server = await node(t, await database())
      await keyFor(server, REQUESTER)
      const heard: (string | null)[] = []
      const stop = portsOf(server).onGrantChange((grantId) => void heard.push(grantId))
      const request = await pendingRequest(server)
      await server.node.approvals.approve(request.id, { id: 'ann' })
      await until(() => heard.includes(null))
      const grants = await server.node.grants.list({ actorId: 'alice' })
      const grant = grants.items[0]
      assert.ok(grant)
      await server.node.grants.revoke(grant.id, 'ann', 'done')
      await until(() => heard.includes(grant.id))
      stop()
      const before = heard.length
      const second = await pendingRequest(server)
      await server.node.approvals.approve(second.id, { id: 'ben' })
      await new Promise((resolve) => setTimeout(resolve, 100))
      assert.equal(heard.length, before, 'nothing after the listener stopped')
    })
  })
}

describe('two nodes on one PostgreSQL store', () => {
  it('end a wait on one node with an approval on the other, and hear its grants there', async (t) => {
    const database = await postgres.migratedDatabase()
    const [a, b] = await Promise.all([node(t, database), node(t, database)])
    const heard: (string | null)[] = []
    portsOf(a).onGrantChange((grantId) => void heard.push(grantId))
    const request = await pendingRequest(a)
    const waiting = portsOf(a).waitForRequest(request.id, 30_000)
    await new Promise((resolve) => setTimeout(resolve, 50))
    await b.node.approvals.approve(request.id, { id: 'ben' })
    assert.equal((await waiting).state, 'approved')
    await until(() => heard.includes(null))
    const grant = (await b.node.grants.list({ actorId: 'alice' })).items[0]
    assert.ok(grant)
    await b.node.grants.revoke(grant.id, 'ben')
    await until(() => heard.includes(grant.id))
  })
})

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 250 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 20))
  assert.ok(condition(), 'the change was not heard')
}
