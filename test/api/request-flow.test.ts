// The request API end to end on a real server and SQLite store: asking (allowed, opened,
// denied), two approvals by others, one's own approval refused, rejection, cancelation,
// comments, who sees what, listing with cursors, bad input and the creation limit.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { RequestView } from '../../src/approvals/index.ts'
import { DDL, READ, WRITE } from './api-fixtures.ts'
import { type ApiServer, startApiServer, type User } from './api-harness.ts'

interface Problem {
  readonly code: string
  readonly detail: string
  readonly errors?: readonly { path?: string; message: string }[]
}

async function open(s: ApiServer, as: User = 'alice', body: object = WRITE): Promise<RequestView> {
  const res = await s.json<{ outcome: string; request: RequestView }>(as, 'POST', '/v1/requests', body)
  assert.equal(res.status, 201, JSON.stringify(res.body))
  return res.body.request
}

const act = (s: ApiServer, as: User, id: string, verb: string, body?: object) =>
  s.json<RequestView & Problem>(as, 'POST', `/v1/requests/${id}/${verb}`, body)

describe('asking for an action', () => {
  it('allows a read outright, opens a request for a write, refuses DDL', async (t) => {
    const s = await startApiServer(t)
    const allowed = await s.json<{ outcome: string; decisionId: string; decision: { effect: string } }>(
      'alice',
      'POST',
      '/v1/requests',
      READ,
    )
    assert.equal(allowed.status, 200)
    assert.equal(allowed.body.outcome, 'allowed')
    assert.equal(allowed.body.decision.effect, 'allow')
    assert.match(allowed.body.decisionId, /^[0-9a-f-]{36}$/)

    const opened = await s.json<{ outcome: string; decisionId: string; request: RequestView }>(
      'alice',
      'POST',
      '/v1/requests',
      WRITE,
    )
    assert.equal(opened.status, 201)
    assert.equal(opened.body.outcome, 'request')
    const request = opened.body.request
    assert.equal(request.state, 'pending')
    assert.deepEqual(request.requester, { id: 'alice', groups: ['eng'] })
    assert.deepEqual(
      { action: request.action.action, resource: request.action.resource, purpose: request.action.purpose },
      { action: 'db.query', resource: 'pg://prod/public.users', purpose: 'support' },
    )
    assert.equal(request.reason, 'ticket 4711')
    assert.deepEqual(request.steps, [{ name: 'dba', quorum: 2, approvedBy: [], missing: 2 }])
    assert.deepEqual(request.approvers.steps[0]?.knownUsers, ['carol', 'dave', 'frank'])
    assert.deepEqual(request.approvers.excluded, ['alice'])
    assert.equal(request.grant, undefined)

    const denied = await s.json<Problem>('alice', 'POST', '/v1/requests', DDL)
    assert.equal(denied.status, 403)
    assert.equal(denied.body.code, 'action_denied')
    assert.match(denied.body.detail, /DDL on production is not allowed/)
  })

  it('takes the actor from the credentials, never from the body', async (t) => {
    const s = await startApiServer(t)
    const res = await s.json<Problem>('alice', 'POST', '/v1/requests', { ...WRITE, actor: { id: 'carol' } })
    assert.equal(res.status, 400)
    assert.equal(res.body.code, 'invalid_request')
    assert.deepEqual(res.body.errors, [{ path: 'body/actor', message: 'is not a known field' }])
  })

  it('answers 400 naming the field for bad input', async (t) => {
    const s = await startApiServer(t)
    const cases: [string, string, string, object | undefined, string][] = [
      ['alice', 'POST', '/v1/requests', { resource: 'pg://prod/x' }, 'body/action'],
      ['alice', 'POST', '/v1/requests', { ...WRITE, grantSeconds: 0 }, 'body/grantSeconds'],
      ['alice', 'POST', '/v1/requests', { ...WRITE, grantStart: 'tomorrow' }, 'body/grantStart'],
      ['alice', 'GET', '/v1/requests?state=sleeping', undefined, 'querystring/state'],
      ['alice', 'GET', '/v1/requests?limit=0', undefined, 'querystring/limit'],
      ['alice', 'GET', '/v1/requests?cursor=bm9wZQ', undefined, 'querystring/cursor'],
      ['alice', 'GET', '/v1/requests/x/wait?timeout=soon', undefined, 'querystring/timeout'],
      ['carol', 'POST', '/v1/requests/x/reject', {}, 'body/reason'],
      ['carol', 'POST', '/v1/requests/x/approve', { stepUpCode: 'abc' }, 'body/stepUpCode'],
      ['alice', 'POST', '/v1/requests/x/comments', { text: '' }, 'body/text'],
    ]
    for (const [as, method, path, body, field] of cases) {
      const res = await s.json<Problem>(as as User, method, path, body)
      assert.equal(res.status, 400, `${method} ${path}`)
      assert.match(res.headers.get('content-type') ?? '', /^application\/problem\+json/)
      assert.ok(
        res.body.errors?.some((e) => e.path === field),
        `${method} ${path} should name ${field}: ${JSON.stringify(res.body)}`,
      )
    }
    const blank = await act(s, 'carol', (await open(s)).id, 'reject', { reason: '   ' })
    assert.equal(blank.status, 400)
    assert.equal(blank.body.code, 'reason_required')
  })

  it('limits request creation per principal with 429 and Retry-After', async (t) => {
    const s = await startApiServer(t, { creationLimit: { max: 2, windowMs: 60_000 } })
    assert.equal((await s.json('alice', 'POST', '/v1/requests', READ)).status, 200)
    assert.equal((await s.json('alice', 'POST', '/v1/requests', WRITE)).status, 201)
    const limited = await s.json<Problem>('alice', 'POST', '/v1/requests', READ)
    assert.equal(limited.status, 429)
    assert.equal(limited.body.code, 'request_rate_limited')
    const retry = Number(limited.headers.get('retry-after'))
    assert.ok(retry >= 1 && retry <= 60, `retry-after ${retry}`)
    // Another principal has a budget of their own.
    assert.equal((await s.json('bob', 'POST', '/v1/requests', READ)).status, 200)
  })
})

describe('deciding a request', () => {
  it('approves with two other approvers, with the grant and history in the view', async (t) => {
    const s = await startApiServer(t)
    const request = await open(s)
    const first = await act(s, 'carol', request.id, 'approve')
    assert.equal(first.status, 200)
    assert.equal(first.body.state, 'pending')
    assert.deepEqual(first.body.approvers.excluded, ['alice', 'carol'])
    const again = await act(s, 'carol', request.id, 'approve')
    assert.equal(again.status, 200, 'approving twice changes nothing')
    assert.equal(again.body.votes.length, 1)
    const second = await act(s, 'dave', request.id, 'approve', { comment: 'looks fine' })
    assert.equal(second.status, 200)
    const view = second.body
    assert.equal(view.state, 'approved')
    assert.deepEqual(view.steps, [{ name: 'dba', quorum: 2, approvedBy: ['carol', 'dave'], missing: 0 }])
    assert.deepEqual(
      view.votes.map((v) => [v.approverId, v.verdict]),
      [
        ['carol', 'approve'],
        ['dave', 'approve'],
      ],
    )
    assert.equal(view.approvers.open, false)
    assert.deepEqual(
      view.history.map((h) => [h.event, h.by, h.to]),
      [
        ['create', 'alice', 'pending'],
        ['approve', 'carol', 'pending'],
        ['approve', 'dave', 'approved'],
        ['comment', 'dave', 'approved'],
      ],
    )
    assert.deepEqual(
      view.comments.map((c) => [c.by, c.text]),
      [['dave', 'looks fine']],
    )
    assert.equal(view.grant?.mode, 'window')
    assert.equal(view.grant?.status, 'active')
    assert.equal(typeof view.decidedAt, 'string')
    const read = await s.json<RequestView>('alice', 'GET', `/v1/requests/${request.id}`)
    assert.deepEqual(read.body, view)
  })

  it('refuses one’s own approval, someone no step names, and a decided request', async (t) => {
    const s = await startApiServer(t)
    const own = await open(s, 'frank')
    const self = await act(s, 'frank', own.id, 'approve')
    assert.equal(self.status, 403)
    assert.equal(self.body.code, 'self_approval')
    const request = await open(s)
    const stranger = await act(s, 'gina', request.id, 'approve')
    assert.equal(stranger.status, 403)
    assert.equal(stranger.body.code, 'not_eligible')
    const rejected = await act(s, 'carol', request.id, 'reject', { reason: 'not during the freeze' })
    assert.equal(rejected.status, 200)
    assert.equal(rejected.body.state, 'rejected')
    assert.equal(rejected.body.votes[0]?.reason, 'not during the freeze')
    const late = await act(s, 'dave', request.id, 'approve')
    assert.equal(late.status, 409)
    assert.equal(late.body.code, 'invalid_transition')
  })

  it('lets only the requester cancel, and anyone who sees it comment', async (t) => {
    const s = await startApiServer(t)
    const request = await open(s)
    const notHers = await act(s, 'bob', request.id, 'cancel')
    assert.equal(notHers.status, 404, 'bob cannot see alice’s request')
    const notRequester = await act(s, 'frank', request.id, 'cancel')
    assert.equal(notRequester.status, 403)
    assert.equal(notRequester.body.code, 'not_requester')
    const noted = await act(s, 'carol', request.id, 'comments', { text: 'which ticket?' })
    assert.equal(noted.status, 200)
    const answered = await act(s, 'alice', request.id, 'comments', { text: 'INC-4711' })
    assert.deepEqual(
      answered.body.comments.map((c) => [c.by, c.text]),
      [
        ['carol', 'which ticket?'],
        ['alice', 'INC-4711'],
      ],
    )
    const canceled = await act(s, 'alice', request.id, 'cancel')
    assert.equal(canceled.status, 200)
    assert.equal(canceled.body.state, 'canceled')
    assert.equal((await act(s, 'alice', request.id, 'cancel')).status, 200, 'canceling twice changes nothing')
    assert.equal((await act(s, 'bob', request.id, 'comments', { text: 'hi' })).status, 404)
  })
})

describe('who sees which requests', () => {
  it('shows requesters their own (404 for others’), approvers and auditors all', async (t) => {
    const s = await startApiServer(t)
    const alices = await open(s, 'alice')
    const bobs = await open(s, 'bob')
    const other = await s.json<Problem>('bob', 'GET', `/v1/requests/${alices.id}`)
    assert.equal(other.status, 404)
    assert.equal(other.body.code, 'request_not_found')
    const missing = await s.json<Problem>('bob', 'GET', '/v1/requests/01a00000-0000-7000-8000-000000000000')
    assert.deepEqual(
      { status: missing.status, code: missing.body.code },
      { status: other.status, code: other.body.code },
    )
    const ids = async (as: User, query = '') =>
      (await s.json<{ items: RequestView[] }>(as, 'GET', `/v1/requests${query}`)).body.items.map((r) => r.id)
    assert.deepEqual(await ids('alice'), [alices.id])
    assert.deepEqual(await ids('bob'), [bobs.id])
    assert.deepEqual(await ids('bob', '?requester=alice'), [])
    assert.deepEqual(await ids('carol'), [bobs.id, alices.id])
    assert.deepEqual(await ids('erin', '?requester=alice'), [alices.id])
    assert.equal((await s.json('erin', 'GET', `/v1/requests/${bobs.id}`)).status, 200)
  })

  it('pages newest first with opaque cursors, filtered by state', async (t) => {
    const s = await startApiServer(t)
    const made: string[] = []
    for (let i = 0; i < 5; i++) made.push((await open(s, i % 2 === 0 ? 'alice' : 'bob')).id)
    await act(s, 'alice', made[0] ?? '', 'cancel')
    const seen: string[] = []
    let cursor: string | null = null
    let pages = 0
    do {
      const query: string = `?limit=2${cursor === null ? '' : `&cursor=${cursor}`}`
      const page = await s.json<{ items: RequestView[]; nextCursor: string | null }>(
        'erin',
        'GET',
        `/v1/requests${query}`,
      )
      assert.equal(page.status, 200)
      seen.push(...page.body.items.map((r) => r.id))
      cursor = page.body.nextCursor
      pages++
    } while (cursor !== null)
    assert.deepEqual(seen, [...made].reverse())
    assert.equal(pages, 3)
    const pending = await s.json<{ items: RequestView[] }>('erin', 'GET', '/v1/requests?state=pending')
    assert.deepEqual(
      pending.body.items.map((r) => r.id),
      made.slice(1).reverse(),
    )
    const canceled = await s.json<{ items: RequestView[] }>('alice', 'GET', '/v1/requests?state=canceled')
    assert.deepEqual(
      canceled.body.items.map((r) => r.id),
      [made[0]],
    )
  })
})
