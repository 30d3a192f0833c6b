// The approval service contract, run on SQLite and on PostgreSQL: the walk through
// every state (execution aside), step-up, auto-approval, sweeping, and the audit chain.
import assert from 'node:assert/strict'
import { describe, it, type TestContext } from 'node:test'
import { ApprovalService } from '../../src/approvals/approval-service.ts'
import { ApprovalSweeper } from '../../src/approvals/approval-sweeper.ts'
import { GrantService } from '../../src/approvals/grant-service.ts'
import { StepUpService } from '../../src/approvals/step-up-service.ts'
import { verifyChain } from '../../src/audit/index.ts'
import { SqlApprovalStore } from '../../src/store/approval-store.ts'
import type { DatabaseHandle } from '../../src/store/index.ts'
import {
  action,
  auditRows,
  BOB,
  ERIN,
  FakeClock,
  MAX,
  MIA,
  newId,
  openMigrated,
  policySet,
  secureBytes,
  totpCode,
} from './approval-fixtures.ts'

export interface ApprovalSuiteTarget {
  readonly dialect: 'sqlite' | 'postgres'
  /** A new, empty database's URL (migrated by the suite). */
  newDatabase(): Promise<string>
}

export function services(handle: DatabaseHandle, clock: FakeClock) {
  const store = new SqlApprovalStore(handle, { now: () => clock.now(), newId })
  return {
    store,
    approvals: new ApprovalService({ store, clock, newId }),
    grants: new GrantService({ store, clock }),
    stepUp: new StepUpService({ store, clock, randomBytes: secureBytes }),
    sweeper: new ApprovalSweeper({ store }),
  }
}

export async function setUp(t: TestContext, target: ApprovalSuiteTarget) {
  const url = await target.newDatabase()
  const handle = await openMigrated(t, url)
  const clock = new FakeClock()
  return { url, handle, clock, set: policySet(), ...services(handle, clock) }
}

type Setup = Awaited<ReturnType<typeof setUp>>

/** A new request for `resource`, from the decision the policy set gives now. */
export async function ask(s: Setup, resource: string, context: Record<string, unknown> = {}) {
  const input = action(resource, s.clock.now(), context)
  const decision = s.set.evaluate(input)
  assert.equal(decision.effect, 'require_approval')
  return s.approvals.createRequest({
    requester: BOB,
    input,
    decision,
    groups: s.set.groups,
    reason: 'INC-2291',
  })
}

/** The effect of bob's unmasked read of prod now, with the grants the store holds as facts. */
async function effectNow(s: Setup): Promise<string> {
  const facts = { grants: await s.grants.activeGrantFacts(BOB.id, s.clock.now()) }
  return s.set.evaluate({ ...action('pg://prod/public.customers', s.clock.now()), facts }).effect
}

async function rejects(promise: Promise<unknown>, code: string, message?: RegExp): Promise<void> {
  await assert.rejects(promise, (error: Error & { code?: string }) => {
    assert.equal(error.code, code)
    if (message !== undefined) assert.match(error.message, message)
    return true
  })
}

export function describeApprovalService(target: ApprovalSuiteTarget): void {
  describe(`approval service on ${target.dialect}`, () => {
    it('walks a request needing a peer AND a manager to a grant the engine honours', async (t) => {
      const s = await setUp(t, target)
      const request = await ask(s, 'pg://prod/public.customers')
      assert.equal(request.state, 'pending')
      await rejects(
        s.approvals.approve(request.id, { id: BOB.id, groups: ['engineering'] }),
        'self_approval',
        /^the requester cannot approve their own request \(separation of duties\)/,
      )
      s.clock.advance(60)
      const afterPeer = await s.approvals.approve(request.id, ERIN)
      assert.equal(afterPeer.state, 'pending')
      const outlook = await s.approvals.whoCanApprove(request.id)
      assert.deepEqual(
        outlook.steps.map((step) => [step.name, step.missing, step.knownUsers]),
        [['manager', 1, ['mia']]],
      )
      assert.deepEqual(outlook.excluded, ['bob', 'erin'])
      await s.approvals.comment(request.id, MIA.id, 'looking at it')
      s.clock.advance(60)
      const approved = await s.approvals.approve(request.id, MIA)
      assert.equal(approved.state, 'approved')
      assert.deepEqual(await s.approvals.get(request.id), approved)
      assert.equal(approved.comments[0]?.text, 'looking at it')

      assert.equal(await effectNow(s), 'allow')
      s.clock.advance(15 * 60 - 1)
      assert.equal(await effectNow(s), 'allow')
      s.clock.advance(1)
      assert.equal(await effectNow(s), 'require_approval')
    })

    it('stops honouring a grant revoked early, on the next decision', async (t) => {
      const s = await setUp(t, target)
      const request = await ask(s, 'pg://prod/public.customers')
      await s.approvals.approve(request.id, ERIN)
      await s.approvals.approve(request.id, MAX)
      const [fact] = await s.grants.activeGrantFacts(BOB.id)
      assert.ok(fact !== undefined)
      assert.equal(await effectNow(s), 'allow')
      s.clock.advance(60)
      const revoked = await s.grants.revoke(fact.id, MIA.id, 'no longer needed')
      assert.equal(revoked.state, 'revoked')
      assert.equal(revoked.revocationReason, 'no longer needed')
      assert.deepEqual(await s.grants.get(fact.id), revoked)
      assert.equal(await effectNow(s), 'require_approval')
      assert.deepEqual(await s.grants.revoke(fact.id, MIA.id), revoked)
    })

    it('expires a pending request by sweep, after escalating it', async (t) => {
      const s = await setUp(t, target)
      const request = await ask(s, 'pg://prod/public.customers')
      s.clock.advance(30 * 60)
      assert.deepEqual(await s.sweeper.sweep(s.clock.now()), { expired: [], escalated: [request.id] })
      assert.deepEqual(await s.sweeper.sweep(s.clock.now()), { expired: [], escalated: [] })
      s.clock.advance(30 * 60)
      await rejects(s.approvals.approve(request.id, ERIN), 'request_expired')
      assert.deepEqual(await s.sweeper.sweep(s.clock.now()), { expired: [request.id], escalated: [] })
      const expired = await s.approvals.get(request.id)
      assert.equal(expired.state, 'expired')
      assert.deepEqual(
        expired.history.map((h) => h.event),
        ['create', 'escalate', 'expire'],
      )
      await rejects(s.approvals.cancel(request.id, BOB.id), 'invalid_transition')
    })

    it('rejects with a reason; one rejection rejects', async (t) => {
      const s = await setUp(t, target)
      const request = await ask(s, 'pg://prod/public.customers')
      await s.approvals.approve(request.id, ERIN)
      await rejects(s.approvals.reject(request.id, MIA, '  '), 'reason_required')
      const rejected = await s.approvals.reject(request.id, MIA, 'too broad')
      assert.equal(rejected.state, 'rejected')
      assert.equal(
        (await s.approvals.get(request.id)).votes.find((v) => v.approverId === 'mia')?.reason,
        'too broad',
      )
      await rejects(
        s.approvals.approve(request.id, MAX),
        'invalid_transition',
        /^cannot 'approve' a request in state 'rejected'/,
      )
      assert.equal((await s.grants.activeGrantFacts(BOB.id)).length, 0)
    })

    it('lets the requester cancel, and nobody else', async (t) => {
      const s = await setUp(t, target)
      const request = await ask(s, 'pg://prod/public.customers')
      await rejects(s.approvals.cancel(request.id, ERIN.id), 'not_requester')
      assert.equal((await s.approvals.cancel(request.id, BOB.id)).state, 'canceled')
      await rejects(
        s.approvals.get('nope'),
        'request_not_found',
        /^there is no approval request with id 'nope'$/,
      )
    })

    it('requires step-up by TOTP and refuses a replayed code', async (t) => {
      const s = await setUp(t, target)
      const { uri, secret } = await s.stepUp.enroll(MIA.id)
      assert.match(uri, /^otpauth:\/\/totp\/jitgate:mia\?/)
      const first = await ask(s, 'pg://staging/app.users')
      await rejects(s.approvals.approve(first.id, MIA, { stepUpCode: '123456' }), 'step_up_not_enrolled')
      await s.stepUp.confirm(MIA.id, totpCode(secret, s.clock.now()))
      s.clock.advance(30)
      await rejects(s.approvals.approve(first.id, MIA), 'step_up_required')
      const code = totpCode(secret, s.clock.now())
      const approved = await s.approvals.approve(first.id, MIA, { stepUpCode: code })
      assert.equal(approved.state, 'approved')
      assert.equal(approved.votes[0]?.stepUp, true)
      const second = await ask(s, 'pg://staging/app.users')
      await rejects(s.approvals.approve(second.id, MIA, { stepUpCode: code }), 'step_up_replayed')
      const [grant] = await s.grants.activeGrantFacts(BOB.id)
      assert.ok(grant !== undefined)
      assert.equal((await s.grants.use(grant.id, BOB.id)).state, 'consumed')
      await rejects(s.grants.use(grant.id, BOB.id), 'grant_not_active')
    })

    it('auto-approves when the policy says so, and records that jitgate did', async (t) => {
      const s = await setUp(t, target)
      const request = await ask(s, 'pg://sandbox/db', { ticket: 'ok' })
      assert.equal(request.state, 'approved')
      assert.equal(request.autoApproved, true)
      assert.deepEqual(await s.approvals.get(request.id), request)
      const events = (await auditRows(s.handle)).map((e) => [e.type, e.actor.type])
      assert.deepEqual(events, [
        ['request.created', 'user'],
        ['request.auto_approved', 'system'],
        ['grant.created', 'system'],
      ])
    })

    it('leaves one audit event per state change, none for repeats, and a chain that verifies', async (t) => {
      const s = await setUp(t, target)
      const request = await ask(s, 'pg://prod/public.customers')
      await s.approvals.approve(request.id, ERIN)
      const again = await s.approvals.approve(request.id, ERIN)
      assert.equal(again.votes.length, 1)
      await s.approvals.comment(request.id, ERIN.id, 'please hurry')
      await s.approvals.approve(request.id, MIA)
      const [fact] = await s.grants.activeGrantFacts(BOB.id)
      assert.ok(fact !== undefined)
      await s.grants.use(fact.id, BOB.id)
      await s.grants.revoke(fact.id, MIA.id)
      await s.grants.revoke(fact.id, MIA.id)
      const events = await auditRows(s.handle)
      assert.deepEqual(
        events.map((e) => `${e.type} ${e.actor.id}`),
        [
          'request.created bob',
          'request.vote erin',
          'request.commented erin',
          'request.approved mia',
          'grant.created jitgate',
          'grant.used bob',
          'grant.revoked mia',
        ],
      )
      assert.ok(!events.some((e) => e.detailsJson.includes('please hurry')))
      assert.deepEqual(verifyChain(events), {
        ok: true,
        count: 7,
        lastSeq: 7,
        lastHash: events[6]?.hash,
      })
    })

    it('refuses a save over a row version that moved (request_conflict)', async (t) => {
      const s = await setUp(t, target)
      const request = await ask(s, 'pg://prod/public.customers')
      const stale = await s.store.transact(async (tx) => tx.requests.load(request.id))
      assert.ok(stale !== undefined)
      await s.approvals.comment(request.id, ERIN.id, 'first')
      const next = { ...stale.request, reason: 'changed' }
      await rejects(
        s.store.transact((tx) => tx.requests.update(stale, next)),
        'request_conflict',
        /^request .* was changed by someone else at the same time; try again$/,
      )
    })

    it('tells subscribers of every change after the commit', async (t) => {
      const s = await setUp(t, target)
      const heard: (string | null)[] = []
      const unsubscribe = await s.handle.notifier.subscribe('request_changed', (id) => heard.push(id))
      t.after(unsubscribe)
      const request = await ask(s, 'pg://prod/public.customers')
      await s.approvals.reject(request.id, ERIN, 'no')
      for (let i = 0; i < 100 && heard.length < 2; i++) await new Promise((r) => setTimeout(r, 20))
      assert.deepEqual(heard, [request.id, request.id])
    })
  })
}
