// Issue 4's "Done when", walked end to end on the real services and a real store, run on
// SQLite and on PostgreSQL: a reset that needs one peer AND one manager is refused to its
// requester, approved by two others, executed exactly once over HTTP; its grant is honoured
// inside the window and not after; a new grant revoked early stops at once; a second
// request expires, a third is rejected; `jitgate audit verify` passes, then names the event
// after a row is changed, deleted or swapped; every state change left its audit event.
// The steps share one database and one clock, in order: each builds on the one before.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { readDetails, type StoredAuditEvent, verifyChain } from '../../src/audit/index.ts'
import { type DatabaseHandle, migrateToLatest, openDatabase } from '../../src/store/index.ts'
import { auditRows, FakeClock } from '../approvals/approval-fixtures.ts'
import { type CountingEndpoint, startEndpoint } from '../executions/execution-fixtures.ts'
import { TAMPERING, verifyRun } from './audit-tampering.ts'
import {
  BOB,
  decide,
  ERIN,
  executors,
  MIA,
  policySet,
  rejectsWith,
  request,
  type Services,
  services,
  TIMEOUT_SECONDS,
  WINDOW_SECONDS,
} from './walkthrough-fixtures.ts'

export interface WalkthroughTarget {
  readonly dialect: 'sqlite' | 'postgres'
  /** A new, empty database's URL (migrated here). */
  newDatabase(): Promise<string>
  /** A copy of the database at `url`, whose connections have all been closed. */
  copyDatabase(url: string): Promise<string>
}

interface World {
  readonly url: string
  readonly handle: DatabaseHandle
  readonly endpoint: CountingEndpoint
  readonly s: Services
}

const plus = (at: Date, seconds: number): string => new Date(at.getTime() + seconds * 1000).toISOString()

/** The events about `requestId`: its own, and those of the grants it produced. */
function eventsOf(rows: readonly StoredAuditEvent[], requestId: string): StoredAuditEvent[] {
  return rows.filter(
    (e) =>
      e.subject.id === requestId || (e.subject.type === 'grant' && readDetails(e)?.requestId === requestId),
  )
}

export function describeWalkthrough(target: WalkthroughTarget): void {
  describe(`issue 4 walk-through on ${target.dialect}`, () => {
    const set = policySet()
    const clock = new FakeClock()
    const ids = { first: '', grant: '', second: '', third: '', fourth: '' }
    let w: World

    before(async () => {
      const endpoint = await startEndpoint()
      const url = await target.newDatabase()
      const handle = await openDatabase(url)
      await migrateToLatest(handle)
      w = { url, handle, endpoint, s: services(handle, clock, executors(endpoint.url)) }
    })
    after(async () => {
      await w?.handle.close()
      await w?.endpoint.close()
    })

    const effectOnCus1 = async (): Promise<string> => (await decide(w.s, set, clock, 'cus_1')).decision.effect

    it('1. request 1: refused to its requester, approved by a peer AND a manager, executed exactly once', async () => {
      const { s, endpoint } = w
      const first = await request(s, set, clock, 'cus_1', 'customer locked out, TICKET-1')
      ids.first = first.id
      await rejectsWith(
        s.approvals.approve(first.id, { id: BOB.id, groups: ['support'] }),
        'self_approval',
        /^the requester cannot approve their own request \(separation of duties\)/,
      )
      clock.advance(60)
      const afterPeer = await s.approvals.approve(first.id, ERIN)
      assert.equal(afterPeer.state, 'pending')
      const outlook = await s.approvals.whoCanApprove(first.id)
      assert.deepEqual(
        outlook.steps.map((step) => [step.name, step.missing]),
        [['manager', 1]],
      )
      assert.deepEqual(await s.grants.activeGrantFacts(BOB.id), [])
      clock.advance(60)
      const approved = await s.approvals.approve(first.id, MIA)
      assert.equal(approved.state, 'approved')
      assert.deepEqual(
        approved.votes.map((v) => [v.approverId, v.verdict]),
        [
          ['erin', 'approve'],
          ['mia', 'approve'],
        ],
      )

      const [fact, ...others] = await s.grants.activeGrantFacts(BOB.id)
      assert.ok(fact !== undefined)
      assert.equal(others.length, 0)
      ids.grant = fact.id
      const grant = await s.grants.get(fact.id)
      assert.deepEqual(
        [grant.requestId, grant.mode, grant.verb, grant.resource, grant.startsAt, grant.expiresAt],
        [
          first.id,
          'window',
          'http.call',
          'http://accounts/cus_1/reset',
          plus(clock.now(), 0),
          plus(clock.now(), WINDOW_SECONDS),
        ],
      )

      const queued = await s.executions.enqueue(first.id)
      assert.equal(queued.state, 'queued')
      assert.equal(await s.worker('node-a').runOnce(), true)
      assert.equal(await s.worker('node-b').runOnce(), false)
      assert.equal(await s.worker('node-a').runOnce(), false)
      assert.notEqual(queued.idempotencyKey, '')
      assert.deepEqual([...endpoint.calls.entries()], [[queued.idempotencyKey, 1]])
      assert.deepEqual(endpoint.order, ['/accounts/cus_1/reset'])
      const done = await s.executions.get(queued.id)
      assert.deepEqual([done.state, done.resultStatus, done.attempts], ['done', 200, 1])
      assert.equal((await s.approvals.get(first.id)).state, 'executed')
      assert.deepEqual(await s.executions.enqueue(first.id), { ...queued, ...done })
    })

    it('2. the grant is used again inside the window, refused after it; a new grant revoked early stops at once', async () => {
      const { s } = w
      // Inside the window the same action is allowed by `has_grant()`: no second approval.
      clock.advance(5 * 60)
      const again = await decide(s, set, clock, 'cus_1')
      assert.equal(again.decision.effect, 'allow')
      assert.deepEqual(
        again.input.facts?.grants?.map((g) => g.id),
        [ids.grant],
      )
      assert.equal((await s.grants.use(ids.grant, BOB.id)).state, 'issued')
      // The grant covers this action only, not another customer's account.
      assert.equal((await decide(s, set, clock, 'cus_2')).decision.effect, 'require_approval')
      clock.advance(WINDOW_SECONDS - 5 * 60 - 1)
      assert.equal(await effectOnCus1(), 'allow')
      clock.advance(1)
      assert.equal(await effectOnCus1(), 'require_approval')
      await rejectsWith(s.grants.use(ids.grant, BOB.id), 'grant_not_active')

      // A new request, approved: its grant is honoured until it is revoked, then at once not.
      const fourth = await request(s, set, clock, 'cus_1', 'locked out again, TICKET-4')
      ids.fourth = fourth.id
      await s.approvals.approve(fourth.id, MIA)
      assert.equal((await s.approvals.approve(fourth.id, ERIN)).state, 'approved')
      const [fact] = await s.grants.activeGrantFacts(BOB.id)
      assert.ok(fact !== undefined)
      assert.equal(await effectOnCus1(), 'allow')
      clock.advance(60)
      const revoked = await s.grants.revoke(fact.id, MIA.id, 'ticket closed')
      assert.deepEqual([revoked.state, revoked.revokedBy], ['revoked', 'mia'])
      assert.equal(await effectOnCus1(), 'require_approval')
      assert.deepEqual(await s.grants.activeGrantFacts(BOB.id), [])
    })

    it('3. request 2 expires after its timeout, request 3 is rejected with a reason; both stay readable', async () => {
      const { s } = w
      const second = await request(s, set, clock, 'cus_2', 'customer locked out, TICKET-2')
      const third = await request(s, set, clock, 'cus_3', 'customer locked out, TICKET-3')
      ids.second = second.id
      ids.third = third.id
      await s.approvals.approve(second.id, ERIN)
      await rejectsWith(s.approvals.reject(third.id, MIA, ' '), 'reason_required')
      const rejected = await s.approvals.reject(third.id, MIA, 'wrong customer')
      assert.equal(rejected.state, 'rejected')

      clock.advance(TIMEOUT_SECONDS - 1)
      assert.deepEqual(await s.sweeper.sweep(clock.now()), { expired: [], escalated: [] })
      clock.advance(1)
      await rejectsWith(s.approvals.approve(second.id, MIA), 'request_expired')
      assert.deepEqual(await s.sweeper.sweep(clock.now()), { expired: [second.id], escalated: [] })
      assert.deepEqual(await s.sweeper.sweep(clock.now()), { expired: [], escalated: [] })

      clock.advance(24 * 60 * 60)
      const expired = await s.approvals.get(second.id)
      assert.equal(expired.state, 'expired')
      assert.equal(expired.reason, 'customer locked out, TICKET-2')
      assert.deepEqual(
        expired.history.map((h) => [h.event, h.by ?? 'jitgate', h.to]),
        [
          ['create', 'bob', 'pending'],
          ['approve', 'erin', 'pending'],
          ['expire', 'jitgate', 'expired'],
        ],
      )
      const stillRejected = await s.approvals.get(third.id)
      assert.equal(stillRejected.state, 'rejected')
      assert.deepEqual(
        stillRejected.votes.map((v) => [v.approverId, v.verdict, v.reason]),
        [['mia', 'reject', 'wrong customer']],
      )
      assert.deepEqual(
        stillRejected.history.map((h) => [h.event, h.to]),
        [
          ['create', 'pending'],
          ['reject', 'rejected'],
        ],
      )
      assert.deepEqual(await s.grants.activeGrantFacts(BOB.id), [])
    })

    it('3b. an approved action whose grant was revoked, or whose window closed, before its turn never runs', async () => {
      const { s, endpoint } = w
      const approved = async (customer: string) => {
        const created = await request(s, set, clock, customer, 'needs a reset')
        await s.approvals.approve(created.id, ERIN)
        await s.approvals.approve(created.id, MIA)
        return created
      }
      const revokedFirst = await approved('cus_7')
      const [fact] = await s.grants.activeGrantFacts(BOB.id)
      assert.ok(fact !== undefined)
      await s.grants.revoke(fact.id, MIA.id, 'changed my mind')
      const lateOne = await approved('cus_8')
      clock.advance(WINDOW_SECONDS + 1)
      for (const id of [revokedFirst.id, lateOne.id]) await s.executions.enqueue(id)
      while (await s.worker('node-a').runOnce()) {}
      assert.equal(endpoint.order.includes('/accounts/cus_7/reset'), false)
      assert.equal(endpoint.order.includes('/accounts/cus_8/reset'), false)
      for (const [id, why] of [
        [revokedFirst.id, /^not run: the grant is revoked/],
        [lateOne.id, /^not run: the grant is expired/],
      ] as const) {
        assert.equal((await s.approvals.get(id)).state, 'failed')
        const execution = await s.executions.forRequest(id)
        assert.equal(execution?.state, 'failed')
        assert.match(execution?.error ?? '', why)
      }
    })

    it('4. every state change left its audit event, in order, read from the store', async () => {
      const rows = await auditRows(w.handle)
      assert.equal(verifyChain(rows).ok, true)
      assert.deepEqual(
        eventsOf(rows, ids.first).map((e) => e.type),
        [
          'request.created',
          'request.vote',
          'request.approved',
          'grant.created',
          'execution.queued',
          'execution.started',
          // Running the approved action uses its grant; the second use is the same call
          // again inside the window, without a second approval.
          'grant.used',
          'execution.finished',
          'grant.used',
        ],
      )
      assert.deepEqual(
        eventsOf(rows, ids.fourth).map((e) => e.type),
        ['request.created', 'request.vote', 'request.approved', 'grant.created', 'grant.revoked'],
      )
      assert.deepEqual(
        eventsOf(rows, ids.second).map((e) => [e.type, e.actor.id]),
        [
          ['request.created', 'bob'],
          ['request.vote', 'erin'],
          ['request.expired', 'jitgate'],
        ],
      )
      assert.deepEqual(
        eventsOf(rows, ids.third).map((e) => [e.type, e.actor.id]),
        [
          ['request.created', 'bob'],
          ['request.rejected', 'mia'],
        ],
      )
      // One event per history entry of every request, plus its execution.queued.
      for (const id of Object.values(ids).filter((v) => v !== ids.grant)) {
        const history = (await w.s.approvals.get(id)).history
        const own = rows.filter((e) => e.subject.type === 'request' && e.subject.id === id)
        assert.equal(own.filter((e) => e.type !== 'execution.queued').length, history.length, id)
      }
      // Free text people typed (reasons) never reaches the log.
      assert.doesNotMatch(JSON.stringify(rows), /TICKET-|wrong customer|ticket closed/)
    })

    it('5. `jitgate audit verify` passes, then names the event after a row is changed, deleted or swapped', async () => {
      const rows = await auditRows(w.handle)
      const approvedSeq = eventsOf(rows, ids.first).find((e) => e.type === 'request.approved')?.seq
      assert.ok(approvedSeq !== undefined)
      // Copies need every connection to the original closed (a PostgreSQL template, a WAL file).
      await w.handle.close()
      const ok = await verifyRun(w.url)
      assert.deepEqual(ok, {
        code: 0,
        stdout: `ok ${rows.length} events verified, head ${rows.length} ${rows.at(-1)?.hash}\n`,
        stderr: '',
      })
      for (const tampering of TAMPERING) {
        const copy = await target.copyDatabase(w.url)
        await tampering.apply(copy, approvedSeq)
        const run = await verifyRun(copy)
        assert.equal(run.code, 1, `${tampering.what}: ${run.stdout}${run.stderr}`)
        assert.equal(run.stdout, '')
        assert.match(run.stderr, tampering.message(approvedSeq), tampering.what)
      }
      assert.equal((await verifyRun(w.url)).code, 0, 'the original was left alone')
    })
  })
}
