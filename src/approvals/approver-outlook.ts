// "Who can still approve this?", for everyone involved: the steps that still need
// someone, the principals who may fill them (escalation included once due), the people
// who cannot or need not (requester, those who already voted), and for one person
// whether their approval would be accepted and would count.
import { JitgateError } from '../shared/index.ts'
import type { ApprovalRequest } from './approval-request.ts'
import { reached } from './instant.ts'
import { knownUsers } from './principals.ts'
import { escalationDueAt, quorumStatus } from './quorum.ts'
import type { Approver } from './request-event.ts'
import { transition } from './request-state-machine.ts'

export interface OpenStep {
  readonly name: string
  /** How many more approvers eligible for this step would still count. */
  readonly missing: number
  readonly principals: readonly string[]
  /** People the principals list by id, minus the excluded: a hint, since IdP groups list nobody. */
  readonly knownUsers: readonly string[]
}

export interface ApproverOutlook {
  /** True while approvals are still taken: pending and not past its expiry. */
  readonly open: boolean
  /** Approvals still needed in total. */
  readonly missing: number
  readonly steps: readonly OpenStep[]
  /** Ids whose approval would not count: the requester (under separation of duties) and those who voted. */
  readonly excluded: readonly string[]
  readonly escalation?: { readonly dueAt: string; readonly due: boolean; readonly to: readonly string[] }
}

export function whoCanApprove(request: ApprovalRequest, now: Date): ApproverOutlook {
  const status = quorumStatus(request, now)
  const excluded = [
    ...new Set([
      ...(request.approval.separationOfDuties ? [request.requester.id] : []),
      ...request.votes.map((v) => v.approverId),
    ]),
  ]
  const open = request.state === 'pending' && !reached(now, request.expiresAt)
  const steps = status.steps
    .filter((s) => open && s.missing > 0)
    .map((s) => ({
      name: s.name,
      missing: s.missing,
      principals: s.principals,
      knownUsers: [...new Set(s.principals.flatMap((p) => knownUsers(p, request.groups)))].filter(
        (id) => !excluded.includes(id),
      ),
    }))
  const dueAt = escalationDueAt(request)
  const escalation =
    dueAt === undefined
      ? undefined
      : { dueAt, due: reached(now, dueAt), to: request.approval.escalation?.to ?? [] }
  return {
    open,
    missing: open ? status.missing : 0,
    steps,
    excluded,
    ...(escalation === undefined ? {} : { escalation }),
  }
}

export type ApproveCheck =
  /** `counts`: the approval would fill a seat now (false: accepted, but the steps it fits are full). */
  | { readonly ok: true; readonly counts: boolean }
  /** `code`: the error the approval would get (or `already_voted`); `message` says why. */
  | { readonly ok: false; readonly code: string; readonly message: string }

/**
 * Whether `approver` may approve `request` at `now`, by the same rules `transition`
 * applies (step-up aside: that is proven at the moment of approval).
 */
export function canApprove(request: ApprovalRequest, approver: Approver, now: Date): ApproveCheck {
  let next: ApprovalRequest
  try {
    next = transition(request, { type: 'approve', approver, stepUpVerified: true }, now)
  } catch (err) {
    // A refusal by rule is the answer; anything else is a bug and stays an exception.
    if (!(err instanceof JitgateError)) throw err
    return { ok: false, code: err.code, message: err.message }
  }
  if (next === request)
    return { ok: false, code: 'already_voted', message: 'this approver has already approved the request' }
  const counts = quorumStatus(next, now).missing < quorumStatus(request, now).missing
  return { ok: true, counts }
}
