// The request state machine: every (state, event) pair, the harmless repeats, and the
// time rules (expiry, escalation) at explicit instants.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { type ApprovalRequest, REQUEST_STATES, type RequestState } from './approval-request.ts'
import { ApprovalError, InvalidTransitionError } from './errors.ts'
import { REQUEST_EVENT_TYPES, type RequestEvent, type RequestEventType } from './request-event.ts'
import { allowedEvents, transition } from './request-state-machine.ts'
import { at, BOB, ERIN, LEE, MAX, newRequest, requestIn } from './test-fixtures.ts'

/** One event of each type, with the time it is sent at (expire and escalate when due). */
const EVENTS: Record<RequestEventType, [RequestEvent, Date]> = {
  approve: [{ type: 'approve', approver: MAX, stepUpVerified: true }, at(600)],
  reject: [{ type: 'reject', approver: MAX, reason: 'not needed' }, at(600)],
  cancel: [{ type: 'cancel', by: BOB.id }, at(600)],
  expire: [{ type: 'expire' }, at(3600)],
  escalate: [{ type: 'escalate' }, at(1800)],
  comment: [{ type: 'comment', by: ERIN.id, text: 'looks fine' }, at(600)],
  start_execution: [{ type: 'start_execution' }, at(600)],
  finish_execution: [{ type: 'finish_execution', outcome: 'ok' }, at(600)],
  auto_approve: [{ type: 'auto_approve' }, at(600)],
}

const ALLOWED: Record<RequestState, string> = {
  pending: 'approve, reject, cancel, expire, escalate, comment, auto_approve',
  approved: 'start_execution, comment',
  executing: 'finish_execution, comment',
  rejected: 'comment',
  expired: 'comment',
  canceled: 'comment',
  executed: 'comment',
  failed: 'comment',
}

/** The next state, `same` (a repeat: the very same object comes back), or the error code. */
type Outcome = RequestState | 'same' | 'invalid_transition' | 'auto_approve_not_allowed'
const X = 'invalid_transition'

// biome-ignore format: a table reads best as a table
const TABLE: Record<RequestState, Record<RequestEventType, Outcome>> = {
  pending:   { approve: 'pending', reject: 'rejected', cancel: 'canceled', expire: 'expired', escalate: 'pending', comment: 'pending', start_execution: X, finish_execution: X, auto_approve: 'auto_approve_not_allowed' },
  approved:  { approve: X, reject: X, cancel: X, expire: X, escalate: X, comment: 'approved', start_execution: 'executing', finish_execution: X, auto_approve: X },
  rejected:  { approve: X, reject: X, cancel: X, expire: X, escalate: X, comment: 'rejected', start_execution: X, finish_execution: X, auto_approve: X },
  expired:   { approve: X, reject: X, cancel: X, expire: 'same', escalate: X, comment: 'expired', start_execution: X, finish_execution: X, auto_approve: X },
  canceled:  { approve: X, reject: X, cancel: 'same', expire: X, escalate: X, comment: 'canceled', start_execution: X, finish_execution: X, auto_approve: X },
  executing: { approve: X, reject: X, cancel: X, expire: X, escalate: X, comment: 'executing', start_execution: X, finish_execution: 'executed', auto_approve: X },
  executed:  { approve: X, reject: X, cancel: X, expire: X, escalate: X, comment: 'executed', start_execution: X, finish_execution: 'same', auto_approve: X },
  failed:    { approve: X, reject: X, cancel: X, expire: X, escalate: X, comment: 'failed', start_execution: X, finish_execution: X, auto_approve: X },
}

function expectedMessage(state: RequestState, event: RequestEventType, outcome: Outcome): string {
  if (outcome === 'auto_approve_not_allowed')
    return "the decision did not auto-approve this request (the policy's auto_approve condition did not hold): approvers must decide"
  return `cannot '${event}' a request in state '${state}'; allowed events: ${ALLOWED[state]}`
}

describe('transition: every state × event', () => {
  for (const state of REQUEST_STATES) {
    for (const type of REQUEST_EVENT_TYPES) {
      const outcome = TABLE[state][type]
      it(`${state} + ${type} → ${outcome}`, () => {
        const request = requestIn(state)
        assert.equal(request.state, state)
        const [event, now] = EVENTS[type]
        if (outcome === 'same') return assert.equal(transition(request, event, now), request)
        if (outcome === 'invalid_transition' || outcome === 'auto_approve_not_allowed') {
          return assert.throws(
            () => transition(request, event, now),
            (err: unknown) =>
              err instanceof (outcome === 'invalid_transition' ? InvalidTransitionError : ApprovalError) &&
              err.code === outcome &&
              err.status === 409 &&
              err.message === expectedMessage(state, type, outcome),
          )
        }
        const next = transition(request, event, now)
        assert.equal(next.state, outcome)
        assert.deepEqual(next.history.at(-1), {
          at: now.toISOString(),
          event: type,
          ...('by' in event ? { by: event.by } : 'approver' in event ? { by: event.approver.id } : {}),
          from: state,
          to: outcome,
        })
      })
    }
  }

  it('lists the allowed events of each state', () => {
    for (const state of REQUEST_STATES) assert.equal(allowedEvents(state).join(', '), ALLOWED[state])
  })
})

function throwsCode(fn: () => unknown, code: string, message: string): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof ApprovalError || err instanceof InvalidTransitionError)
    assert.equal(err.code, code)
    assert.equal(err.message, message)
    return true
  })
}

describe('transition: harmless repeats return the same request', () => {
  const approveBy = (approver: typeof ERIN): RequestEvent => ({
    type: 'approve',
    approver,
    stepUpVerified: true,
  })

  it('the same approver approving twice adds no second vote, pending or approved', () => {
    const once = transition(newRequest(), approveBy(ERIN), at(60))
    assert.equal(transition(once, approveBy(ERIN), at(70)), once)
    const approved = requestIn('approved')
    assert.equal(transition(approved, approveBy(ERIN), at(300)), approved)
    assert.equal(approved.votes.length, 2)
  })

  it('an earlier approver approving a rejected request is refused: it did not go through', () => {
    const voted = transition(newRequest(), approveBy(ERIN), at(60))
    const rejected = transition(voted, { type: 'reject', approver: MAX, reason: 'no' }, at(70))
    throwsCode(
      () => transition(rejected, approveBy(ERIN), at(80)),
      'invalid_transition',
      "cannot 'approve' a request in state 'rejected'; allowed events: comment",
    )
  })

  it('the rejecter rejecting again, escalating twice, finishing twice the same way', () => {
    const rejected = requestIn('rejected')
    assert.equal(transition(rejected, { type: 'reject', approver: ERIN, reason: 'again' }, at(90)), rejected)
    const escalated = transition(newRequest(), { type: 'escalate' }, at(1800))
    assert.equal(escalated.escalatedAt, at(1800).toISOString())
    assert.equal(transition(escalated, { type: 'escalate' }, at(1900)), escalated)
    const failed = requestIn('failed')
    assert.equal(transition(failed, { type: 'finish_execution', outcome: 'failed' }, at(300)), failed)
    throwsCode(
      () => transition(requestIn('executed'), { type: 'finish_execution', outcome: 'failed' }, at(300)),
      'invalid_transition',
      "cannot 'finish_execution' a request in state 'executed'; allowed events: comment",
    )
  })

  it('auto-approval once, then again: the same request', () => {
    const auto = transition(newRequest({ approval: { autoApprove: true } }), { type: 'auto_approve' }, at(1))
    assert.equal(auto.state, 'approved')
    assert.equal(auto.autoApproved, true)
    assert.deepEqual(auto.history.at(-1), {
      at: at(1).toISOString(),
      event: 'auto_approve',
      from: 'pending',
      to: 'approved',
    })
    assert.equal(transition(auto, { type: 'auto_approve' }, at(2)), auto)
  })

  it('a second start_execution is refused: that is how a double execution would begin', () => {
    throwsCode(
      () => transition(requestIn('executing'), { type: 'start_execution' }, at(300)),
      'invalid_transition',
      "cannot 'start_execution' a request in state 'executing'; allowed events: finish_execution, comment",
    )
  })
})

describe('transition: time', () => {
  const request = newRequest()
  const approve = { type: 'approve', approver: ERIN, stepUpVerified: true } as const

  it('takes approvals until just before expiresAt, none at it', () => {
    assert.equal(request.expiresAt, '2026-03-03T10:00:00.000Z')
    assert.equal(transition(request, approve, at(3599.999)).votes.length, 1)
    throwsCode(
      () => transition(request, approve, at(3600)),
      'request_expired',
      "the request expired at 2026-03-03T10:00:00.000Z, so 'approve' is no longer possible; ask again with a new request",
    )
  })

  it('expires at expiresAt, not a millisecond before', () => {
    throwsCode(
      () => transition(request, { type: 'expire' }, at(3599.999)),
      'too_early',
      'the request expires at 2026-03-03T10:00:00.000Z, not before',
    )
    const expired = transition(request, { type: 'expire' }, at(3600))
    assert.equal(expired.state, 'expired')
    assert.equal(expired.decidedAt, '2026-03-03T10:00:00.000Z')
  })

  it('still takes comments after expiry, and keeps its history', () => {
    const late = transition(request, { type: 'comment', by: BOB.id, text: 'too late?' }, at(4000))
    const expired = transition(late, { type: 'expire' }, at(4001))
    assert.deepEqual(
      expired.history.map((h) => [h.event, h.to]),
      [
        ['create', 'pending'],
        ['comment', 'pending'],
        ['expire', 'expired'],
      ],
    )
  })

  it('escalates at the configured time, not before; without an escalation, never', () => {
    throwsCode(
      () => transition(request, { type: 'escalate' }, at(1799.999)),
      'too_early',
      'the request escalates at 2026-03-03T09:30:00.000Z, not before',
    )
    const plain = newRequest({ approval: { escalation: undefined } })
    throwsCode(
      () => transition(plain, { type: 'escalate' }, at(1800)),
      'no_escalation',
      'the policy sets no escalation for this request',
    )
  })

  it('lets escalation principals approve from the escalation time on', () => {
    const byLee = { type: 'approve', approver: LEE, stepUpVerified: true } as const
    throwsCode(
      () => transition(request, byLee, at(1799)),
      'not_eligible',
      'the approver is not eligible for any step of this request (peer, manager), so cannot approve it',
    )
    const voted = transition(request, byLee, at(1800))
    assert.equal(transition(voted, approve, at(1801)).state, 'approved')
  })
})

describe('transition: who may do what', () => {
  const request = newRequest()

  it('refuses the requester approving or rejecting their own request', () => {
    throwsCode(
      () => transition(request, { type: 'approve', approver: BOB, stepUpVerified: true }, at(60)),
      'self_approval',
      'the requester cannot approve their own request (separation of duties); another eligible approver must approve it',
    )
    throwsCode(
      () => transition(request, { type: 'reject', approver: BOB, reason: 'oops' }, at(60)),
      'self_approval',
      'the requester cannot reject their own request (separation of duties); cancel it instead',
    )
  })

  it('lets the requester count when the policy turns separation of duties off', () => {
    const open = newRequest({ approval: { separationOfDuties: false } })
    const voted = transition(open, { type: 'approve', approver: BOB, stepUpVerified: true }, at(60))
    assert.equal(
      transition(voted, { type: 'approve', approver: MAX, stepUpVerified: true }, at(61)).state,
      'approved',
    )
  })

  it('needs a reason to reject, and step-up to approve when the policy says so', () => {
    throwsCode(
      () => transition(request, { type: 'reject', approver: ERIN, reason: '  ' }, at(60)),
      'reason_required',
      'a rejection needs a reason: say why in `reason`',
    )
    const strict = newRequest({ approval: { stepUp: true } })
    throwsCode(
      () => transition(strict, { type: 'approve', approver: ERIN, stepUpVerified: false }, at(60)),
      'step_up_required',
      'this request requires step-up: confirm the approval with a TOTP code from your authenticator',
    )
    const voted = transition(strict, { type: 'approve', approver: ERIN, stepUpVerified: true }, at(60))
    assert.equal(voted.votes[0]?.stepUp, true)
  })

  it('lets only the requester cancel, and comments need text', () => {
    throwsCode(
      () => transition(request, { type: 'cancel', by: ERIN.id }, at(60)),
      'not_requester',
      'only the requester can cancel a request',
    )
    throwsCode(
      () => transition(request, { type: 'comment', by: ERIN.id, text: '' }, at(60)),
      'invalid_event',
      'a comment needs text',
    )
  })

  it('records the rejection reason and the outcome of an execution', () => {
    const rejected = requestIn('rejected')
    assert.deepEqual(rejected.votes.at(-1), {
      approverId: 'erin',
      approverGroups: ['engineering'],
      verdict: 'reject',
      stepUp: false,
      at: at(60).toISOString(),
      reason: 'too broad',
    })
    const failed = transition(
      requestIn('executing'),
      { type: 'finish_execution', outcome: 'failed', detail: 'HTTP 502' },
      at(300),
    )
    assert.deepEqual(failed.execution, {
      startedAt: at(180).toISOString(),
      finishedAt: at(300).toISOString(),
      outcome: 'failed',
      detail: 'HTTP 502',
    })
  })

  it('never changes the request it was given', () => {
    const before: ApprovalRequest = structuredClone(request)
    transition(request, { type: 'approve', approver: ERIN, stepUpVerified: true }, at(60))
    transition(request, { type: 'reject', approver: ERIN, reason: 'no' }, at(60))
    assert.deepEqual(request, before)
  })
})
