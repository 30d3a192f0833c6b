// Quorum over steps (one peer AND one manager), one person counting toward one step only,
// the requester never counting, escalation, and who can still approve.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { ApprovalRequest, Vote } from './approval-request.ts'
import { canApprove, whoCanApprove } from './approver-outlook.ts'
import { principalIncludes } from './principals.ts'
import { countedApprovers, quorumStatus } from './quorum.ts'
import type { Approver } from './request-event.ts'
import { transition } from './request-state-machine.ts'
import { at, BOB, DANA, ED, ERIN, LEE, MAX, MIA, newRequest, ZOE } from './test-fixtures.ts'

function approvedBy(request: ApprovalRequest, ...approvers: Approver[]): ApprovalRequest {
  return approvers.reduce(
    (r, approver, i) => transition(r, { type: 'approve', approver, stepUpVerified: true }, at(60 + i)),
    request,
  )
}

/** A vote as the store might hold it, bypassing the checks of `transition`. */
function rawVote(approver: Approver): Vote {
  const { id, groups = [] } = approver
  return {
    approverId: id,
    approverGroups: groups,
    verdict: 'approve',
    stepUp: false,
    at: at(1).toISOString(),
  }
}

describe('quorum: one peer AND one manager', () => {
  it('needs both steps', () => {
    const peer = approvedBy(newRequest(), ERIN)
    assert.equal(peer.state, 'pending')
    const status = quorumStatus(peer, at(100))
    assert.equal(status.satisfied, false)
    assert.equal(status.missing, 1)
    assert.deepEqual(
      status.steps.map((s) => [s.name, s.approvedBy, s.missing]),
      [
        ['peer', ['erin'], 0],
        ['manager', [], 1],
      ],
    )
    assert.equal(approvedBy(newRequest(), ERIN, MIA).state, 'approved')
    assert.equal(approvedBy(newRequest(), MAX, ED).state, 'approved')
  })

  it('two peers do not make a manager', () => {
    assert.equal(approvedBy(newRequest(), ERIN, ED).state, 'pending')
  })

  it('counts a person in both groups once, on whichever step helps', () => {
    const dana = approvedBy(newRequest(), DANA)
    assert.equal(dana.state, 'pending')
    const status = quorumStatus(dana, at(100))
    assert.equal(status.missing, 1)
    // Either step could still take one more person: dana may sit on the other.
    assert.deepEqual(
      status.steps.map((s) => s.missing),
      [1, 1],
    )
    assert.equal(approvedBy(newRequest(), DANA, ERIN).state, 'approved')
    assert.equal(approvedBy(newRequest(), DANA, MAX).state, 'approved')
    assert.equal(approvedBy(newRequest(), ERIN, DANA).state, 'approved')
  })

  it('never counts the requester, and counts a repeated vote once', () => {
    const stored: ApprovalRequest = { ...newRequest(), votes: [rawVote(BOB), rawVote(MAX), rawVote(MAX)] }
    assert.deepEqual(
      countedApprovers(stored).map((a) => a.id),
      ['max'],
    )
    assert.equal(quorumStatus(stored, at(100)).satisfied, false)
    const twoPeers = newRequest({
      approval: { steps: [{ name: 'peers', anyOf: ['group:engineers'], quorum: 2 }] },
    })
    const doubled: ApprovalRequest = { ...twoPeers, votes: [rawVote(ERIN), rawVote(ERIN)] }
    assert.equal(quorumStatus(doubled, at(100)).missing, 1)
  })

  it('lets escalation principals fill an open step only once the escalation is due', () => {
    const stored: ApprovalRequest = { ...newRequest(), votes: [rawVote(ERIN), rawVote(LEE)] }
    assert.equal(quorumStatus(stored, at(1799.999)).satisfied, false)
    const due = quorumStatus(stored, at(1800))
    assert.equal(due.satisfied, true)
    assert.equal(due.escalationDue, true)
    assert.deepEqual(due.steps[1]?.principals, ['group:eng-managers', 'idp:engineering-leads'])
  })

  it('is never satisfied without steps', () => {
    const none = newRequest({ approval: { steps: [] } })
    assert.equal(quorumStatus(none, at(1)).satisfied, false)
  })
})

describe('principals', () => {
  const groups = { engineers: { users: ['ann'], idpGroups: ['engineering'] } }
  const cases: [string, Approver, boolean][] = [
    ['user:ann', { id: 'ann' }, true],
    ['user:ann', { id: 'anna' }, false],
    ['group:engineers', { id: 'ann' }, true],
    ['group:engineers', { id: 'erin', groups: ['engineering'] }, true],
    ['group:engineers', { id: 'zoe', groups: ['marketing'] }, false],
    ['group:constructor', { id: 'ann' }, false],
    ['group:unknown', { id: 'ann' }, false],
    ['idp:engineering', { id: 'erin', groups: ['engineering'] }, true],
    ['idp:engineering', { id: 'engineering' }, false],
    ['role:admin', { id: 'ann' }, false],
    ['user:', { id: '' }, false],
    ['ann', { id: 'ann' }, false],
  ]
  for (const [principal, who, expected] of cases) {
    it(`${principal} ${expected ? 'includes' : 'excludes'} ${who.id || '(empty id)'}`, () => {
      assert.equal(principalIncludes(principal, { id: who.id, groups: who.groups ?? [] }, groups), expected)
    })
  }
})

describe('who can approve', () => {
  it('shows the open steps, their principals, known users and who is excluded', () => {
    const request = approvedBy(newRequest(), ERIN)
    assert.deepEqual(whoCanApprove(request, at(100)), {
      open: true,
      missing: 1,
      steps: [{ name: 'manager', missing: 1, principals: ['group:eng-managers'], knownUsers: ['mia'] }],
      excluded: ['bob', 'erin'],
      escalation: { dueAt: '2026-03-03T09:30:00.000Z', due: false, to: ['idp:engineering-leads'] },
    })
    const escalated = whoCanApprove(request, at(1800))
    assert.deepEqual(escalated.steps[0]?.principals, ['group:eng-managers', 'idp:engineering-leads'])
    assert.equal(escalated.escalation?.due, true)
  })

  it('shows nothing open once decided or expired', () => {
    const approved = approvedBy(newRequest(), ERIN, MIA)
    assert.deepEqual(
      [whoCanApprove(approved, at(200)).open, whoCanApprove(approved, at(200)).steps],
      [false, []],
    )
    assert.equal(whoCanApprove(newRequest(), at(3600)).open, false)
  })

  it('tells one person whether they may approve and whether it would count', () => {
    const request = approvedBy(newRequest(), ERIN)
    assert.deepEqual(canApprove(request, MAX, at(100)), { ok: true, counts: true })
    assert.deepEqual(canApprove(request, ED, at(100)), { ok: true, counts: false })
    assert.deepEqual(canApprove(request, ERIN, at(100)), {
      ok: false,
      code: 'already_voted',
      message: 'this approver has already approved the request',
    })
    assert.deepEqual(canApprove(request, BOB, at(100)), {
      ok: false,
      code: 'self_approval',
      message:
        'the requester cannot approve their own request (separation of duties); another eligible approver must approve it',
    })
    assert.deepEqual(canApprove(request, ZOE, at(100)), {
      ok: false,
      code: 'not_eligible',
      message:
        'the approver is not eligible for any step of this request (peer, manager), so cannot approve it',
    })
    assert.equal(canApprove(request, LEE, at(1800)).ok, true)
  })
})
