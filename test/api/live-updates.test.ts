// Long polls and server-sent events on a real server and SQLite store: answered at once,
// on a change, or on timeout; let go when the client leaves or the server closes; events
// only about requests the caller may see.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { RequestView } from '../../src/approvals/index.ts'
import { parseApiKey } from '../../src/auth/index.ts'
import { WRITE } from './api-fixtures.ts'
import { type ApiServer, startApiServer, type User } from './api-harness.ts'
import { openEvents, startWait, until } from './live-clients.ts'

async function open(s: ApiServer, as: User = 'alice'): Promise<RequestView> {
  const res = await s.json<{ request: RequestView }>(as, 'POST', '/v1/requests', WRITE)
  assert.equal(res.status, 201)
  return res.body.request
}

const approve = async (s: ApiServer, as: User, id: string) =>
  assert.equal((await s.json(as, 'POST', `/v1/requests/${id}/approve`)).status, 200)

describe('GET /v1/requests/{id}/wait', () => {
  it('answers at once when the state already differs from the one given', async (t) => {
    const s = await startApiServer(t)
    const request = await open(s)
    await approve(s, 'carol', request.id)
    await approve(s, 'dave', request.id)
    const given = await startWait(s, 'alice', request.id, '?state=pending&timeout=60s').result
    assert.equal(given.status, 200)
    assert.equal(given.body.changed, true)
    assert.equal(given.body.request.state, 'approved')
    const implicit = await startWait(s, 'alice', request.id, '').result
    assert.equal(implicit.body.changed, true, 'without state: no longer pending')
    assert.ok(given.ms < 30_000 && implicit.ms < 30_000)
    assert.equal(s.waiters.size.watches, 0)
  })

  it('answers unchanged when the timeout passes', async (t) => {
    const s = await startApiServer(t)
    const request = await open(s)
    const waited = await startWait(s, 'alice', request.id, '?state=pending&timeout=1s').result
    assert.equal(waited.status, 200)
    assert.equal(waited.body.changed, false)
    assert.equal(waited.body.request.state, 'pending')
    assert.ok(waited.ms >= 900, `waited ${waited.ms} ms`)
    assert.equal(s.waiters.size.watches, 0)
  })

  it('wakes when the request is decided, not on a vote that leaves it pending', async (t) => {
    const s = await startApiServer(t)
    const request = await open(s)
    const wait = startWait(s, 'alice', request.id, '?timeout=60s')
    await until(() => s.waiters.size.watches === 1, 'the long poll watches the request')
    await approve(s, 'carol', request.id)
    await s.json('bob', 'GET', '/v1/requests')
    assert.equal(s.waiters.size.watches, 1, 'one approval of two: still waiting')
    await approve(s, 'dave', request.id)
    const woken = await wait.result
    assert.equal(woken.status, 200)
    assert.equal(woken.body.changed, true)
    assert.equal(woken.body.request.state, 'approved')
    assert.equal(woken.body.request.grant?.status, 'active')
    assert.ok(woken.ms < 30_000, `answered after ${woken.ms} ms, not at the timeout`)
  })

  it('answers 404 for a request the caller may not see, and lets go of the watch', async (t) => {
    const s = await startApiServer(t)
    const request = await open(s, 'alice')
    const res = await startWait(s, 'bob', request.id, '?timeout=60s').result
    assert.equal(res.status, 404)
    assert.equal(res.body.code, 'request_not_found')
    assert.equal(s.waiters.size.watches, 0)
  })

  it('lets go of the watch when the client disconnects', async (t) => {
    const s = await startApiServer(t)
    const request = await open(s)
    const wait = startWait(s, 'alice', request.id, '?timeout=60s')
    await until(() => s.waiters.size.watches === 1, 'the long poll watches the request')
    wait.abort()
    await assert.rejects(wait.result, { name: 'AbortError' })
    await until(() => s.waiters.size.watches === 0, 'the watch is released')
  })
})

describe('GET /v1/events', () => {
  it('streams changes of the requests each caller may see', async (t) => {
    const s = await startApiServer(t)
    const alice = await openEvents(s, 'alice')
    const carol = await openEvents(s, 'carol')
    t.after(() => {
      alice.close()
      carol.close()
    })
    assert.equal(alice.status, 200)
    assert.equal(alice.contentType, 'text/event-stream; charset=utf-8')
    const bobs = await open(s, 'bob')
    const alices = await open(s, 'alice')
    const isEvent = (id: string, state: string) => (e: { event: string; data: unknown }) =>
      e.event === 'request' && JSON.stringify(e.data) === JSON.stringify({ id, state })
    await carol.next(isEvent(bobs.id, 'pending'))
    await carol.next(isEvent(alices.id, 'pending'))
    await alice.next(isEvent(alices.id, 'pending'))
    await approve(s, 'carol', alices.id)
    await approve(s, 'dave', alices.id)
    await alice.next(isEvent(alices.id, 'approved'))
    await carol.next(isEvent(alices.id, 'approved'))
    assert.match(alice.text(), /^retry: \d+\n\n/)
    assert.ok(!alice.text().includes(bobs.id), 'alice hears nothing of bob’s request')
  })

  it('ends streams and long polls when the server closes', async (t) => {
    const s = await startApiServer(t)
    const request = await open(s)
    const events = await openEvents(s, 'carol')
    const wait = startWait(s, 'alice', request.id, '?timeout=60s')
    await until(() => s.waiters.size.watches === 1, 'the long poll watches the request')
    const started = Date.now()
    await s.close()
    assert.ok(Date.now() - started < 30_000, 'closing does not wait for the long poll to time out')
    const answered = await wait.result
    assert.equal(answered.body.changed, false)
    await assert.rejects(
      events.next(() => true, 5_000),
      /the stream ended/,
    )
  })
})

describe('limits on what a caller holds open', () => {
  const limits = { maxWaitsPerPrincipal: 2, maxStreamsPerPrincipal: 1, credentialRecheckMs: 100 }

  it('refuses a long poll past the per-caller limit with 429, and counts each caller apart', async (t) => {
    const s = await startApiServer(t, { liveLimits: limits })
    const request = await open(s)
    const waits = [
      startWait(s, 'alice', request.id, '?timeout=60s'),
      startWait(s, 'alice', request.id, '?timeout=60s'),
    ]
    await until(() => s.waiters.size.watches === 2, 'both long polls watch the request')
    const refused = await startWait(s, 'alice', request.id, '?timeout=60s').result
    assert.equal(refused.status, 429)
    assert.equal(refused.headers.get('retry-after'), '1')
    assert.equal(refused.body.code, 'too_many_open')
    const carols = await startWait(s, 'carol', request.id, '?timeout=1s').result
    assert.equal(carols.status, 200, 'another caller has a budget of its own')
    await approve(s, 'carol', request.id)
    await approve(s, 'dave', request.id)
    for (const wait of waits) assert.equal((await wait.result).status, 200)
    const again = await startWait(s, 'alice', request.id, '?timeout=1s').result
    assert.equal(again.status, 200, 'finished long polls give their place back')
  })

  it('refuses a second stream with 429, and gives the place back when a stream ends', async (t) => {
    const s = await startApiServer(t, { liveLimits: { ...limits, credentialRecheckMs: 60_000 } })
    const first = await openEvents(s, 'carol')
    const second = await s.call('carol', 'GET', '/v1/events')
    assert.equal(second.status, 429)
    assert.equal(second.headers.get('retry-after'), '1')
    first.close()
    let reopened: Response | undefined
    const deadline = Date.now() + 5_000
    while (Date.now() < deadline) {
      reopened = await s.call('carol', 'GET', '/v1/events', undefined, { signal: AbortSignal.timeout(2_000) })
      if (reopened.status === 200) break
      await reopened.body?.cancel()
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
    assert.equal(reopened?.status, 200)
    await reopened?.body?.cancel()
  })

  it('ends a stream once its key is revoked', async (t) => {
    const s = await startApiServer(t, { liveLimits: limits })
    const events = await openEvents(s, 'carol')
    const keyId = parseApiKey(s.tokens.carol)?.keyId
    assert.ok(keyId !== undefined)
    await s.node.apiKeys.revoke(keyId, { type: 'system', id: 'test' })
    const end = await events.next((e) => e.event === 'end', 5_000)
    assert.deepEqual(end.data, { reason: 'credentials_no_longer_valid' })
    await assert.rejects(
      events.next(() => true, 5_000),
      /the stream ended/,
    )
  })
})
