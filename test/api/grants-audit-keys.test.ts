// Grants, the audit log, API keys and the docs page over real HTTP on a SQLite store.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { GrantView, RequestView } from '../../src/approvals/index.ts'
import { WRITE } from './api-fixtures.ts'
import { type ApiServer, startApiServer, type User } from './api-harness.ts'

interface Page<T> {
  readonly items: T[]
  readonly nextCursor: string | null
}

/** A request of `as`, approved by carol and dave: it has a grant. */
async function approved(s: ApiServer, as: User): Promise<RequestView> {
  const opened = await s.json<{ request: RequestView }>(as, 'POST', '/v1/requests', WRITE)
  const { id } = opened.body.request
  await s.json('carol', 'POST', `/v1/requests/${id}/approve`)
  const done = await s.json<RequestView>('dave', 'POST', `/v1/requests/${id}/approve`)
  assert.equal(done.body.state, 'approved')
  return done.body
}

describe('grants', () => {
  it('lists grants (requesters their own), filters active ones, revokes one', async (t) => {
    const s = await startApiServer(t)
    const alices = await approved(s, 'alice')
    const bobs = await approved(s, 'bob')
    const list = async (as: User, query = '') =>
      (await s.json<Page<GrantView>>(as, 'GET', `/v1/grants${query}`)).body
    const all = await list('erin')
    assert.deepEqual(
      all.items.map((g) => [g.requestId, g.actorId, g.status]),
      [
        [bobs.id, 'bob', 'active'],
        [alices.id, 'alice', 'active'],
      ],
    )
    assert.equal(all.nextCursor, null)
    assert.deepEqual(
      (await list('alice')).items.map((g) => g.actorId),
      ['alice'],
    )
    assert.deepEqual((await list('alice', '?actor=bob')).items, [])
    assert.deepEqual(
      (await list('carol', '?actor=bob')).items.map((g) => g.actorId),
      ['bob'],
    )
    const paged = await list('erin', '?limit=1')
    assert.equal(paged.items[0]?.actorId, 'bob')
    assert.equal((await list('erin', `?limit=1&cursor=${paged.nextCursor}`)).items[0]?.actorId, 'alice')

    const grantId = alices.grant?.id ?? ''
    const revoked = await s.json<GrantView>('carol', 'POST', `/v1/grants/${grantId}/revoke`, {
      reason: 'ticket closed',
    })
    assert.equal(revoked.status, 200)
    assert.deepEqual(
      [revoked.body.state, revoked.body.status, revoked.body.revokedBy, revoked.body.revocationReason],
      ['revoked', 'revoked', 'carol', 'ticket closed'],
    )
    const bodiless = await s.json<GrantView>('dave', 'POST', `/v1/grants/${bobs.grant?.id}/revoke`)
    assert.equal(bodiless.status, 200, 'the body is optional')
    assert.equal(bodiless.body.revokedBy, 'dave')
    assert.deepEqual((await list('erin', '?active=true')).items, [])
    assert.equal((await list('erin', '?active=false')).items.length, 2)
    const view = await s.json<RequestView>('alice', 'GET', `/v1/requests/${alices.id}`)
    assert.equal(view.body.grant?.status, 'revoked')
    const missing = await s.json<{ code: string }>('carol', 'POST', '/v1/grants/no-such-grant/revoke', {})
    assert.equal(missing.status, 404)
    assert.equal(missing.body.code, 'grant_not_found')
  })
})

describe('audit', () => {
  it('queries events page by page and verifies the chain', async (t) => {
    const s = await startApiServer(t)
    const request = await approved(s, 'alice')
    interface AuditPage {
      events: { seq: number; type: string; actor: { id: string }; details: Record<string, unknown> }[]
      nextCursor: string | null
      hasMore: boolean
    }
    const query = async (q: string) => (await s.json<AuditPage>('erin', 'GET', `/v1/audit/events${q}`)).body
    const ofRequest = await query(`?subjectType=request&subjectId=${request.id}`)
    assert.deepEqual(
      ofRequest.events.map((e) => e.type),
      ['request.created', 'request.vote', 'request.approved'],
    )
    assert.equal(typeof ofRequest.events[0]?.details, 'object', 'details are parsed')
    const grants = await query('?type=grant.')
    assert.deepEqual(
      grants.events.map((e) => e.type),
      ['grant.created'],
    )
    const byDave = await query('?actor=dave&type=request.')
    assert.ok(byDave.events.length > 0 && byDave.events.every((e) => e.actor.id === 'dave'))
    const first = await query('?limit=2')
    assert.equal(first.events.length, 2)
    assert.equal(first.hasMore, true)
    const second = await query(`?limit=2&cursor=${first.nextCursor}`)
    assert.equal(second.events[0]?.seq, (first.events[1]?.seq ?? 0) + 1)

    const bad = await s.json<{ code: string; errors: { path: string }[] }>(
      'erin',
      'GET',
      '/v1/audit/events?since=yesterday&subjectId=x',
    )
    assert.equal(bad.status, 400)
    assert.equal(bad.body.code, 'audit_query_invalid')
    assert.deepEqual(bad.body.errors.map((e) => e.path).sort(), [
      'querystring/since',
      'querystring/subjectId',
    ])

    const verified = await s.json<{ ok: boolean; count: number; head: { seq: number } }>(
      'erin',
      'GET',
      '/v1/audit/verify',
    )
    assert.equal(verified.status, 200)
    assert.equal(verified.body.ok, true)
    assert.equal(verified.body.count, verified.body.head.seq)
  })

  it('names the first broken link of a tampered chain', async (t) => {
    const s = await startApiServer(t)
    await approved(s, 'alice')
    await s.node.audit.idle()
    await s.node.handle.db
      .updateTable('audit_events')
      .set({ actor_id: 'mallory' })
      .where('type', '=', 'request.approved')
      .execute()
    const broken = await s.json<{ ok: boolean; seq: number; problem: string; message: string }>(
      'erin',
      'GET',
      '/v1/audit/verify',
    )
    assert.equal(broken.body.ok, false)
    assert.equal(broken.body.problem, 'changed')
    assert.match(broken.body.message, new RegExp(`event ${broken.body.seq} `))
  })
})

describe('API keys', () => {
  it('creates a key shown once, lists without secrets, revokes it', async (t) => {
    const s = await startApiServer(t)
    const created = await s.json<{
      token: string
      key: { keyId: string; expiresAt: string; roles: string[] }
    }>('root', 'POST', '/v1/keys', {
      subject: 'henry',
      name: 'henry’s laptop',
      roles: ['requester'],
      groups: ['eng'],
      ttl: '7d',
    })
    assert.equal(created.status, 201)
    assert.match(created.body.token, /^jg_/)
    const { keyId } = created.body.key
    assert.equal(
      Date.parse(created.body.key.expiresAt) - Date.now() > 6 * 86_400_000,
      true,
      'ttl 7d is about a week',
    )
    const asHenry = await fetch(`${s.url}/v1/requests`, {
      headers: { authorization: `Bearer ${created.body.token}` },
    })
    assert.equal(asHenry.status, 200)

    const listed = await s.call('root', 'GET', '/v1/keys?subject=henry')
    const text = await listed.text()
    assert.ok(!text.includes(created.body.token.slice(-20)), 'no secret in the listing')
    assert.ok(!text.includes('secretHash'))
    const items = (JSON.parse(text) as { items: { keyId: string; state: string }[] }).items
    assert.deepEqual(
      items.map((k) => [k.keyId, k.state]),
      [[keyId, 'active']],
    )

    const revoked = await s.json<{ keyId: string; revokedBy: string }>('root', 'DELETE', `/v1/keys/${keyId}`)
    assert.equal(revoked.status, 200)
    assert.equal(revoked.body.revokedBy, 'root')
    const refused = await fetch(`${s.url}/v1/requests`, {
      headers: { authorization: `Bearer ${created.body.token}` },
    })
    assert.equal(refused.status, 401)
    assert.equal(((await refused.json()) as { code: string }).code, 'credentials_revoked')
    assert.deepEqual(
      (await s.json<{ items: unknown[] }>('root', 'GET', '/v1/keys?subject=henry')).body.items,
      [],
    )
    const audit = await s.json<{ events: { type: string; actor: { id: string } }[] }>(
      'erin',
      'GET',
      `/v1/audit/events?subjectType=api_key&subjectId=${keyId}`,
    )
    assert.deepEqual(
      audit.body.events.map((e) => [e.type, e.actor.id]),
      [
        ['api_key.created', 'root'],
        ['api_key.revoked', 'root'],
      ],
    )
  })

  it('answers 400 naming the field for a bad key', async (t) => {
    const s = await startApiServer(t)
    const cases: [object, string][] = [
      [{ subject: 'h', name: 'n', roles: ['root'] }, 'body/roles/0'],
      [{ subject: 'h', name: 'n', roles: [] }, 'body/roles'],
      [{ subject: 'h', name: 'n', roles: ['requester'], ttl: 5 }, 'body/ttl'],
      [{ subject: 'h', name: 'n', roles: ['requester'], scopes: ['keys.manage'] }, 'body/scopes/0'],
    ]
    for (const [body, field] of cases) {
      const res = await s.json<{ errors: { path: string }[] }>('root', 'POST', '/v1/keys', body)
      assert.equal(res.status, 400, JSON.stringify(body))
      assert.ok(
        res.body.errors.some((e) => e.path === field),
        `${JSON.stringify(body)} should name ${field}: ${JSON.stringify(res.body)}`,
      )
    }
    const unknown = await s.json<{ code: string }>('root', 'DELETE', '/v1/keys/nope')
    assert.equal(unknown.status, 404)
    assert.equal(unknown.body.code, 'api_key_not_found')
  })
})

describe('GET /docs', () => {
  it('renders the OpenAPI document as a page of its own, without credentials', async (t) => {
    const s = await startApiServer(t)
    const res = await s.call(undefined, 'GET', '/docs')
    assert.equal(res.status, 200)
    assert.match(res.headers.get('content-type') ?? '', /^text\/html/)
    assert.match(res.headers.get('content-security-policy') ?? '', /default-src 'none'/)
    const html = await res.text()
    for (const path of ['/v1/requests/{id}/wait', '/v1/events', '/v1/grants', '/v1/audit/verify', '/v1/keys'])
      assert.ok(html.includes(`<code>${path}</code>`), path)
    assert.ok(!/<script|<link|src=/i.test(html), 'nothing is loaded from anywhere')
  })
})
