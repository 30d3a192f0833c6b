// What a message says about an approval request, and who it goes to: the people the open
// steps name, the escalation's people, or the requester. Plain data from the request as
// the approvals core keeps it; IdP groups list nobody here (Slack reaches those).
import { type ApprovalRequest, whoCanApprove } from '../approvals/index.ts'

export interface RequestSummary {
  readonly id: string
  readonly requester: string
  readonly verb: string
  readonly resource: string
  readonly purpose?: string
  readonly reason?: string
  readonly state: ApprovalRequest['state']
  readonly createdAt: string
  readonly expiresAt: string
  /** Approvals still needed, in total and per open step. */
  readonly missing: number
  readonly steps: readonly { readonly name: string; readonly missing: number }[]
  /** Approvers confirm with a TOTP code: Slack cannot collect it, so approving happens in jitgate. */
  readonly stepUp: boolean
  /** Who moved it to its state (approver, rejecter, canceler), absent when jitgate did. */
  readonly decidedBy?: string
  /** The rejection's reason, for the requester only. */
  readonly rejectionReason?: string
}

export function summarize(request: ApprovalRequest, now: Date): RequestSummary {
  const outlook = whoCanApprove(request, now)
  const last = request.history[request.history.length - 1]
  const decided = request.state !== 'pending' && last !== undefined && last.to === request.state
  const rejection = request.votes.find((v) => v.verdict === 'reject' && v.approverId === last?.by)
  return {
    id: request.id,
    requester: request.requester.id,
    verb: request.action.action,
    resource: request.action.resource,
    ...(request.action.purpose === undefined ? {} : { purpose: request.action.purpose }),
    ...(request.reason === undefined ? {} : { reason: request.reason }),
    state: request.state,
    createdAt: request.createdAt,
    expiresAt: request.expiresAt,
    missing: outlook.missing,
    steps: outlook.steps.map((s) => ({ name: s.name, missing: s.missing })),
    stepUp: request.approval.stepUp,
    ...(decided && last.by !== undefined ? { decidedBy: last.by } : {}),
    ...(request.state === 'rejected' && rejection?.reason !== undefined
      ? { rejectionReason: rejection.reason }
      : {}),
  }
}

/** The people who may approve now and whose approval would count: those the open steps name. */
export function approversToTell(request: ApprovalRequest, now: Date): string[] {
  const outlook = whoCanApprove(request, now)
  return [...new Set(outlook.steps.flatMap((s) => s.knownUsers))].sort()
}

/** The people the escalation names (minus the requester and those who voted). */
export function escalationToTell(request: ApprovalRequest, now: Date): string[] {
  const outlook = whoCanApprove(request, now)
  if (!outlook.open) return []
  const excluded = new Set(outlook.excluded)
  const named = (request.approval.escalation?.to ?? []).flatMap((p) => usersNamedBy(p, request))
  return [...new Set(named)].filter((id) => !excluded.has(id)).sort()
}

// As approvals' knownUsers: `user:ID` names ID, `group:NAME` the policy group's listed users.
function usersNamedBy(principal: string, request: ApprovalRequest): string[] {
  if (principal.startsWith('user:')) return [principal.slice('user:'.length)]
  if (!principal.startsWith('group:')) return []
  const name = principal.slice('group:'.length)
  return Object.hasOwn(request.groups, name) ? [...(request.groups[name]?.users ?? [])] : []
}
