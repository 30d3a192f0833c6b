// Two jitgate nodes on one PostgreSQL (DATABASE_URL, else embedded) behave as one: a
// client waiting on node A, or streaming its events, learns at once of an approval made
// through node B, by LISTEN/NOTIFY, not by polling.
import assert from 'node:assert/strict'
import { after, describe, it } from 'node:test'
import type { RequestView } from '../../src/approvals/index.ts'
import { startTestPostgres } from '../store/postgres-harness.ts'
import { WRITE } from './api-fixtures.ts'
import { startApiServer } from './api-harness.ts'
import { openEvents, startWait, until } from './live-clients.ts'

const postgres = await startTestPostgres()
after(() => postgres.stop())

describe('two nodes on one PostgreSQL', () => {
  it('unblocks a long poll on node A when the approval lands on node B', async (t) => {
    const database = await postgres.migratedDatabase()
    const a = await startApiServer(t, { database })
    const b = await startApiServer(t, { database })
    const opened = await a.json<{ request: RequestView }>('alice', 'POST', '/v1/requests', WRITE)
    assert.equal(opened.status, 201)
    const { id } = opened.body.request
    const events = await openEvents(a, 'alice')
    t.after(() => events.close())
    const wait = startWait(a, 'alice', id, '?state=pending&timeout=60s')
    await until(() => a.waiters.size.watches === 1, 'node A watches the request')

    assert.equal((await b.json('carol', 'POST', `/v1/requests/${id}/approve`)).status, 200)
    assert.equal((await b.json('dave', 'POST', `/v1/requests/${id}/approve`)).status, 200)

    const woken = await wait.result
    assert.equal(woken.status, 200)
    assert.equal(woken.body.changed, true)
    assert.equal(woken.body.request.state, 'approved')
    assert.deepEqual(woken.body.request.steps[0]?.approvedBy, ['carol', 'dave'])
    assert.ok(woken.ms < 30_000, `answered after ${woken.ms} ms, not at the timeout`)
    await events.next(
      (e) => e.event === 'request' && JSON.stringify(e.data) === JSON.stringify({ id, state: 'approved' }),
    )
  })

  it('pages requests and grants with cursors on PostgreSQL', async (t) => {
    const a = await startApiServer(t, { database: await postgres.migratedDatabase() })
    const made: string[] = []
    for (const as of ['alice', 'bob', 'alice'] as const)
      made.push((await a.json<{ request: RequestView }>(as, 'POST', '/v1/requests', WRITE)).body.request.id)
    for (const as of ['carol', 'dave'] as const) await a.json(as, 'POST', `/v1/requests/${made[1]}/approve`)
    const seen: string[] = []
    let cursor: string | null = null
    do {
      const query: string = `?limit=2${cursor === null ? '' : `&cursor=${cursor}`}`
      const page = await a.json<{ items: RequestView[]; nextCursor: string | null }>(
        'erin',
        'GET',
        `/v1/requests${query}`,
      )
      seen.push(...page.body.items.map((r) => r.id))
      cursor = page.body.nextCursor
    } while (cursor !== null)
    assert.deepEqual(seen, [...made].reverse())
    const alices = await a.json<{ items: RequestView[] }>('alice', 'GET', '/v1/requests?state=pending')
    assert.deepEqual(
      alices.body.items.map((r) => r.id),
      [made[2], made[0]],
    )
    const grants = await a.json<{ items: { actorId: string; status: string }[] }>(
      'erin',
      'GET',
      '/v1/grants?active=true',
    )
    assert.deepEqual(
      grants.body.items.map((g) => [g.actorId, g.status]),
      [['bob', 'active']],
    )
  })
})
