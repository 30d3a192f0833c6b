// The webhook subscription API on the real HTTP server over a real SQLite store: create (the
// secret answered once), list and show without it, the delivery log page by page, enable,
// delete, and the problems for bad input. Authentication is another layer's: the routes only
// declare the permission they need, which is checked here as declared.
import assert from 'node:assert/strict'
import { randomBytes, randomUUID } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it, type TestContext } from 'node:test'
import pino from 'pino'
import { createHttpServer } from '../../src/http/index.ts'
import { NotifyDispatcher, WebhookService, webhookRoutes } from '../../src/notify/index.ts'
import { SqlNotifyStore } from '../../src/store/index.ts'
import { FakeClock } from '../approvals/approval-fixtures.ts'
import { openMigrated } from './notify-fixtures.ts'

const dir = await mkdtemp(join(tmpdir(), 'jitgate-webhook-routes-'))
after(() => rm(dir, { recursive: true, force: true }))
let files = 0

async function server(t: TestContext) {
  const handle = await openMigrated(t, `sqlite:${join(dir, `routes-${files++}.db`)}`)
  const clock = new FakeClock()
  const newId = () => randomUUID()
  const store = new SqlNotifyStore(handle, { now: () => clock.now(), newId })
  const service = new WebhookService({
    store,
    clock,
    newId,
    randomBytes: (n) => randomBytes(n),
    settings: { allowPrivateNetworks: false, disableAfterFailures: 5 },
  })
  const routes = webhookRoutes({ service, actorOf: () => ({ type: 'user', id: 'ada' }) })
  const permissions: string[] = []
  const app = await createHttpServer({
    logger: pino({ level: 'silent' }),
    version: 'test',
    routes: [
      async (app) => {
        app.addHook(
          'onRoute',
          (route) => void permissions.push(`${route.method} ${route.url} ${route.config?.permission}`),
        )
        await app.register(routes)
      },
    ],
  })
  t.after(() => app.close())
  const dispatcher = new NotifyDispatcher({ store, clock, newId, routing: { slack: false, email: false } })
  return { app, handle, clock, dispatcher, permissions }
}

describe('webhook subscription API', () => {
  it('declares webhooks.manage on every route', async (t) => {
    const s = await server(t)
    assert.deepEqual(s.permissions.filter((p) => p.includes('/v1/webhooks')).sort(), [
      'DELETE /v1/webhooks/:id webhooks.manage',
      'GET /v1/webhooks webhooks.manage',
      'GET /v1/webhooks/:id webhooks.manage',
      'GET /v1/webhooks/:id/deliveries webhooks.manage',
      'HEAD /v1/webhooks webhooks.manage',
      'HEAD /v1/webhooks/:id webhooks.manage',
      'HEAD /v1/webhooks/:id/deliveries webhooks.manage',
      'POST /v1/webhooks webhooks.manage',
      'POST /v1/webhooks/:id/enable webhooks.manage',
    ])
  })

  it('creates, lists, pages the delivery log, enables and deletes', async (t) => {
    const s = await server(t)
    const created = await s.app.inject({
      method: 'POST',
      url: '/v1/webhooks',
      payload: { url: 'https://hooks.example.com/in', events: ['webhook.*'], description: 'SIEM' },
    })
    assert.equal(created.statusCode, 201)
    const body = created.json()
    assert.match(body.secret, /^whsec_[A-Za-z0-9+/]{43}=$/)
    assert.deepEqual(
      { ...body, id: 'ID', secret: 'S' },
      {
        id: 'ID',
        url: 'https://hooks.example.com/in',
        events: ['webhook.*'],
        description: 'SIEM',
        createdBy: 'ada',
        createdAt: '2026-03-03T09:00:00.000Z',
        updatedAt: '2026-03-03T09:00:00.000Z',
        consecutiveFailures: 0,
        secret: 'S',
      },
    )
    const listed = (await s.app.inject({ method: 'GET', url: '/v1/webhooks' })).json()
    assert.equal(listed.items.length, 1)
    assert.equal('secret' in listed.items[0], false, 'the secret is shown once')
    assert.equal(JSON.stringify(listed).includes(body.secret), false)

    // Its own changes are webhook.* events: three of them to page through.
    for (const other of ['a', 'b']) {
      const made = await s.app.inject({
        method: 'POST',
        url: '/v1/webhooks',
        payload: { url: `https://${other}.example.com/`, events: ['x.y'] },
      })
      await s.app.inject({ method: 'DELETE', url: `/v1/webhooks/${made.json().id}` })
    }
    await s.dispatcher.dispatchOnce()
    const page = async (query: string) =>
      (await s.app.inject({ method: 'GET', url: `/v1/webhooks/${body.id}/deliveries${query}` })).json()
    const first = await page('?limit=3')
    assert.deepEqual(
      first.items.map((d: { eventType: string; state: string }) => [d.eventType, d.state]),
      [
        ['webhook.deleted', 'pending'],
        ['webhook.created', 'pending'],
        ['webhook.deleted', 'pending'],
      ],
    )
    assert.equal('payload' in first.items[0], false)
    const second = await page(`?limit=3&cursor=${first.nextCursor}`)
    assert.deepEqual(
      second.items.map((d: { eventType: string }) => d.eventType),
      ['webhook.created', 'webhook.created'],
    )
    assert.equal(second.nextCursor, undefined)

    const enabled = await s.app.inject({ method: 'POST', url: `/v1/webhooks/${body.id}/enable` })
    assert.deepEqual([enabled.statusCode, enabled.json().disabledAt], [200, undefined])
    assert.equal((await s.app.inject({ method: 'DELETE', url: `/v1/webhooks/${body.id}` })).statusCode, 204)
    const gone = await s.app.inject({ method: 'GET', url: `/v1/webhooks/${body.id}` })
    assert.deepEqual([gone.statusCode, gone.json().code], [404, 'webhook_not_found'])
    const log = await s.handle.db.selectFrom('notify_deliveries').select('id').execute()
    assert.deepEqual(log, [], 'the delivery log went with it')
  })

  const problems: [string, unknown, string, string][] = [
    ['a loopback URL', { url: 'http://127.0.0.1/in', events: ['*'] }, 'webhook_url_invalid', '/url'],
    ['a non-http URL', { url: 'gopher://hooks.example.com/', events: ['*'] }, 'webhook_url_invalid', '/url'],
    [
      'a bad filter',
      { url: 'https://hooks.example.com/', events: ['Request.*'] },
      'webhook_events_invalid',
      '/events/0',
    ],
    ['no events', { url: 'https://hooks.example.com/', events: [] }, 'invalid_request', 'body/events'],
    [
      'an unknown field',
      { url: 'https://hooks.example.com/', events: ['*'], secret: 'mine' },
      'invalid_request',
      'body/secret',
    ],
  ]
  for (const [name, payload, code, path] of problems) {
    it(`refuses ${name}`, async (t) => {
      const s = await server(t)
      const response = await s.app.inject({ method: 'POST', url: '/v1/webhooks', payload: payload as object })
      assert.deepEqual(
        [response.statusCode, response.json().code, response.json().errors?.[0]?.path],
        [400, code, path],
      )
    })
  }

  it('refuses a cursor it did not make', async (t) => {
    const s = await server(t)
    const made = await s.app.inject({
      method: 'POST',
      url: '/v1/webhooks',
      payload: { url: 'https://h.example.com/', events: ['*'] },
    })
    const response = await s.app.inject({
      method: 'GET',
      url: `/v1/webhooks/${made.json().id}/deliveries?cursor=abc`,
    })
    assert.deepEqual([response.statusCode, response.json().code], [400, 'webhook_cursor_invalid'])
  })
})
