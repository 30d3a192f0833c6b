// Approvals and rejections of a pending request: who may vote (separation of duties,
// eligibility, step-up) and what a vote does (one rejection rejects; approvals approve
// once every step has its quorum).
import type { ApprovalRequest, Vote } from './approval-request.ts'
import { ApprovalError } from './errors.ts'
import type { Identity } from './principals.ts'
import { eligibleSteps, quorumStatus } from './quorum.ts'
import type { Approver, RequestEventOf } from './request-event.ts'
import { recordEvent, requireText } from './request-history.ts'

function identityOf(approver: Approver): Identity {
  return { id: approver.id, groups: approver.groups ?? [] }
}

/** Refuses the requester (under separation of duties) and anyone no step names, at `now`. */
function checkVoter(request: ApprovalRequest, who: Identity, verb: 'approve' | 'reject', now: Date): void {
  if (request.approval.separationOfDuties && who.id === request.requester.id) {
    const fix = verb === 'approve' ? 'another eligible approver must approve it' : 'cancel it instead'
    throw new ApprovalError(
      'self_approval',
      `the requester cannot ${verb} their own request (separation of duties); ${fix}`,
      [{ path: 'approver.id', message: 'is the requester' }],
    )
  }
  if (eligibleSteps(request, who, now).length === 0) {
    const steps = request.approval.steps.map((s) => s.name).join(', ')
    throw new ApprovalError(
      'not_eligible',
      `the approver is not eligible for any step of this request (${steps}), so cannot ${verb} it`,
      [{ path: 'approver', message: 'is named by no step of the request' }],
    )
  }
}

/** Records an approval; the request is approved when the approvals now satisfy every step. */
export function applyApprove(
  request: ApprovalRequest,
  event: RequestEventOf<'approve'>,
  now: Date,
  at: string,
): ApprovalRequest {
  const who = identityOf(event.approver)
  checkVoter(request, who, 'approve', now)
  // Step-up is checked last so that a refused approver is not asked for a code first.
  if (request.approval.stepUp && !event.stepUpVerified)
    throw new ApprovalError(
      'step_up_required',
      'this request requires step-up: confirm the approval with a TOTP code from your authenticator',
      [{ path: 'stepUpVerified', message: 'must be true: verify a TOTP code first' }],
    )
  const vote: Vote = {
    approverId: who.id,
    approverGroups: who.groups,
    verdict: 'approve',
    stepUp: event.stepUpVerified,
    at,
  }
  const voted: ApprovalRequest = { ...request, votes: [...request.votes, vote] }
  const approved = quorumStatus(voted, now).satisfied
  return recordEvent(voted, approved ? { state: 'approved', decidedAt: at } : {}, {
    at,
    event: 'approve',
    by: who.id,
  })
}

/**
 * Records a rejection, which rejects the request at once. It needs a reason but no
 * step-up: refusing is the safe direction, and a stolen session can only block.
 */
export function applyReject(
  request: ApprovalRequest,
  event: RequestEventOf<'reject'>,
  now: Date,
  at: string,
): ApprovalRequest {
  const who = identityOf(event.approver)
  checkVoter(request, who, 'reject', now)
  const reason = requireText(
    event.reason,
    'reason',
    'reason_required',
    'a rejection needs a reason: say why in `reason`',
  )
  const vote: Vote = {
    approverId: who.id,
    approverGroups: who.groups,
    verdict: 'reject',
    stepUp: false,
    at,
    reason,
  }
  return recordEvent(
    { ...request, votes: [...request.votes, vote] },
    { state: 'rejected', decidedAt: at },
    { at, event: 'reject', by: who.id },
  )
}
