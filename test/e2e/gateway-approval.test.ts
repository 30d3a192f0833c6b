// Approval on the wire, end to end as issue 7 asks: a client's write through the gateway
// waits (a NOTICE names the request), another person approves it over the HTTP API, and the
// first client's statement then runs, once. On SQLite with one node, and on PostgreSQL with
// the wait on one node and the approval on another.
import assert from 'node:assert/strict'
import { after, describe, it } from 'node:test'
import pg from 'pg'
import { readDetails } from '../../src/audit/index.ts'
import { gatewayClient, startGatewayNode } from '../app/gateway-node-fixture.ts'
import { keyFor } from '../helpers/test-server.ts'
import { startTestPostgres } from '../store/postgres-harness.ts'

const postgres = await startTestPostgres()
after(() => postgres.stop())

async function upstreamWithTable(): Promise<string> {
  const url = await postgres.emptyDatabase()
  const admin = new pg.Client({ connectionString: url })
  await admin.connect()
  await admin.query('create table orders (id int primary key, note text)')
  await admin.end()
  return url
}

async function ordersIn(url: string): Promise<unknown[]> {
  const admin = new pg.Client({ connectionString: url })
  await admin.connect()
  try {
    return (await admin.query('select id, note from orders order by id')).rows
  } finally {
    await admin.end()
  }
}

describe('approval on the wire, approved over the HTTP API', () => {
  for (const setup of ['one node on SQLite', 'two nodes on PostgreSQL'] as const) {
    it(`holds a write until it is approved, then runs it once (${setup})`, async (t) => {
      const upstreamUrl = await upstreamWithTable()
      const store = setup === 'one node on SQLite' ? undefined : await postgres.migratedDatabase()
      const options = { upstreamUrl, ...(store === undefined ? {} : { database: store }) }
      const waiting = await startGatewayNode(t, options)
      const approving = store === undefined ? waiting : await startGatewayNode(t, options)
      const alice = await keyFor(waiting, { id: 'alice', roles: ['requester'], groups: ['eng'] })
      const ann = await keyFor(approving, { id: 'ann', roles: ['approver'], groups: [] })

      const client = await gatewayClient(t, waiting, 'alice', alice)
      const notices: string[] = []
      client.on('notice', (notice) => notices.push(notice.message ?? ''))
      const insert = client.query("insert into orders values (1, 'approved on the wire')")
      let id: string | undefined
      for (let i = 0; i < 200 && id === undefined; i++) {
        id = /request ([0-9a-f-]{36})/.exec(notices.join('\n'))?.[1]
        if (id === undefined) await new Promise((resolve) => setTimeout(resolve, 25))
      }
      assert.ok(id !== undefined, `a NOTICE names the request; notices: ${JSON.stringify(notices)}`)
      assert.deepEqual(await ordersIn(upstreamUrl), [], 'nothing runs before the approval')

      const approved = await fetch(`${approving.url}/v1/requests/${id}/approve`, {
        method: 'POST',
        headers: { authorization: `Bearer ${ann}`, 'content-type': 'application/json' },
        body: '{}',
      })
      assert.equal(approved.status, 200, await approved.text())
      const result = await insert
      assert.equal(result.rowCount, 1)
      assert.deepEqual(await ordersIn(upstreamUrl), [{ id: 1, note: 'approved on the wire' }])

      // The statement's audit event names the request it ran on; no literal is in it.
      const { events } = await waiting.node.auditStore.query({ typePrefix: 'db.statement' })
      const write = events
        .map((event) => JSON.stringify(readDetails(event)))
        .find((details) => details.includes(id as string))
      assert.ok(write !== undefined, 'a db.statement event names the request')
      assert.equal(write.includes('approved on the wire'), false)
    })
  }
})
