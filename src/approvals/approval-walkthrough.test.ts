// The whole pure flow on a real compiled policy set: a read that needs one peer AND one
// manager is requested, the requester's own approval refused, approved by two others,
// granted, executed; the grant is seen by `has_grant()` inside its window and not after.
// A second request expires and a third is rejected with a reason.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { compilePolicySet, type PolicyInput, type PolicySet } from '../policy/index.ts'
import type { ApprovalRequest } from './approval-request.ts'
import { whoCanApprove } from './approver-outlook.ts'
import { createApprovalRequest } from './create-approval-request.ts'
import { ApprovalError, InvalidTransitionError } from './errors.ts'
import { createGrant, grantsAsFacts, useGrant } from './grant.ts'
import type { RequestEvent } from './request-event.ts'
import { transition } from './request-state-machine.ts'
import { at, BOB, ERIN, MAX, MIA } from './test-fixtures.ts'

const POLICY = `kind: Groups
groups:
  engineers: { idp_groups: [engineering] }
  eng-managers: { users: [mia], idp_groups: [eng-managers] }
---
kind: Policy
name: database-access
rules:
  - name: unmasked-reads-need-approval
    effect: require_approval
    match: { verbs: db.query, resources: "pg://prod/**" }
    when: member_of("engineers") && context.unmask == true && !has_grant()
    approval:
      steps:
        - { name: peer, any_of: [group:engineers] }
        - { name: manager, any_of: [group:eng-managers] }
      reason_required: true
      timeout: 1h
      grant: { mode: window, max: 1h, default: 15m }
  - name: reads-under-a-grant
    effect: allow
    match: { verbs: db.query, resources: "pg://prod/**" }
    when: member_of("engineers") && has_grant()
`

function policySet(): PolicySet {
  const result = compilePolicySet([{ file: 'database-access.yaml', text: POLICY }])
  assert.ok(result.ok, JSON.stringify(result.ok ? [] : result.errors))
  return result.set
}

/** bob's unmasked read at `now`, with the facts he holds. */
function read(now: Date, facts: PolicyInput['facts'] = {}): PolicyInput {
  return {
    actor: { id: BOB.id, groups: BOB.groups ?? [] },
    action: 'db.query',
    resource: 'pg://prod/public.customers',
    context: { unmask: true, time: now.toISOString() },
    facts,
  }
}

function request(set: PolicySet, id: string): ApprovalRequest {
  const decision = set.evaluate(read(at(0)))
  assert.equal(decision.effect, 'require_approval')
  const spec = {
    id,
    input: read(at(0)),
    decision,
    groups: set.groups,
    reason: 'duplicate accounts, INC-2291',
  }
  return createApprovalRequest(spec, at(0))
}

const approve = (approver: typeof BOB): RequestEvent => ({ type: 'approve', approver, stepUpVerified: false })

describe('walk-through: one peer AND one manager', () => {
  const set = policySet()

  it('goes from request to execution, and the grant works only inside its window', () => {
    let req = request(set, 'req_1')
    assert.throws(
      () => transition(req, approve(BOB), at(30)),
      (err: unknown) =>
        err instanceof ApprovalError &&
        err.code === 'self_approval' &&
        err.status === 403 &&
        err.message ===
          'the requester cannot approve their own request (separation of duties); another eligible approver must approve it',
    )
    req = transition(req, approve(ERIN), at(60))
    assert.equal(req.state, 'pending')
    assert.deepEqual(
      whoCanApprove(req, at(60)).steps.map((s) => [s.name, s.knownUsers]),
      [['manager', ['mia']]],
    )
    req = transition(req, approve(MIA), at(120))
    assert.equal(req.state, 'approved')

    let grant = createGrant({ id: 'grt_1', request: req }, at(120))
    assert.deepEqual([grant.startsAt, grant.expiresAt], [at(120).toISOString(), at(1020).toISOString()])
    req = transition(req, { type: 'start_execution' }, at(121))
    grant = useGrant(grant, at(121))
    req = transition(req, { type: 'finish_execution', outcome: 'ok' }, at(122))
    assert.equal(req.state, 'executed')
    assert.deepEqual(
      req.history.map((h) => [h.event, h.by ?? null, h.to]),
      [
        ['create', 'bob', 'pending'],
        ['approve', 'erin', 'pending'],
        ['approve', 'mia', 'approved'],
        ['start_execution', null, 'executing'],
        ['finish_execution', null, 'executed'],
      ],
    )

    // The same read again inside the window needs no second approval; at the expiry it does.
    const inside = set.evaluate(read(at(1019), { grants: grantsAsFacts([grant], at(1019), BOB.id) }))
    assert.deepEqual([inside.effect, inside.rules.map((r) => r.name)], ['allow', ['reads-under-a-grant']])
    const after = set.evaluate(read(at(1020), { grants: grantsAsFacts([grant], at(1020), BOB.id) }))
    assert.equal(after.effect, 'require_approval')
    // Even a stale fact list (built inside the window, used after it) stops at the expiry.
    const stale = set.evaluate(read(at(1020), { grants: grantsAsFacts([grant], at(1019), BOB.id) }))
    assert.equal(stale.effect, 'require_approval')
  })

  it('lets a second request expire, and keeps its history', () => {
    const req = request(set, 'req_2')
    const expired = transition(req, { type: 'expire' }, at(3600))
    assert.deepEqual([expired.state, expired.decidedAt], ['expired', at(3600).toISOString()])
    assert.throws(
      () => transition(expired, approve(ERIN), at(3601)),
      (err: unknown) =>
        err instanceof InvalidTransitionError &&
        err.code === 'invalid_transition' &&
        err.message === "cannot 'approve' a request in state 'expired'; allowed events: comment",
    )
    assert.deepEqual(
      expired.history.map((h) => h.event),
      ['create', 'expire'],
    )
  })

  it('rejects a third request with a reason', () => {
    const req = transition(request(set, 'req_3'), approve(ERIN), at(60))
    const rejected = transition(req, { type: 'reject', approver: MAX, reason: 'use the masked view' }, at(90))
    assert.equal(rejected.state, 'rejected')
    assert.deepEqual(
      rejected.votes.map((v) => [v.approverId, v.verdict, v.reason ?? null]),
      [
        ['erin', 'approve', null],
        ['max', 'reject', 'use the masked view'],
      ],
    )
    assert.throws(
      () => createGrant({ id: 'grt_3', request: rejected }, at(91)),
      (err: unknown) =>
        err instanceof ApprovalError &&
        err.code === 'not_approved' &&
        err.message === "a grant needs an approved request; this one is 'rejected'",
    )
  })
})
