// The audit events of approvals and grants: one per applied event of a request (each new
// history entry) and one per change to a grant. Details name what happened, never the
// free text people typed (reasons and comments may hold personal data).
import type { AuditActor, AuditDraft, AuditEventType, JsonObject } from '../audit/index.ts'
import type { ApprovalRequest, HistoryEntry } from './approval-request.ts'
import type { Grant } from './grant.ts'

/** jitgate itself: expiry, escalation and auto-approval. */
export const SYSTEM_ACTOR: AuditActor = { type: 'system', id: 'jitgate' }

function actorOf(by: string | undefined): AuditActor {
  return by === undefined ? SYSTEM_ACTOR : { type: 'user', id: by }
}

function typeOf(entry: HistoryEntry): AuditEventType {
  switch (entry.event) {
    case 'create':
      return 'request.created'
    case 'approve':
      // An approval that completes the quorum approves the request; others are votes.
      return entry.to === 'approved' ? 'request.approved' : 'request.vote'
    case 'reject':
      return 'request.rejected'
    case 'cancel':
      return 'request.canceled'
    case 'expire':
      return 'request.expired'
    case 'escalate':
      return 'request.escalated'
    case 'comment':
      return 'request.commented'
    case 'auto_approve':
      return 'request.auto_approved'
    case 'start_execution':
      return 'execution.started'
    case 'finish_execution':
      return entry.to === 'executed' ? 'execution.finished' : 'execution.failed'
  }
}

function detailsOf(request: ApprovalRequest, entry: HistoryEntry): JsonObject {
  const base: JsonObject = { from: entry.from, to: entry.to }
  if (entry.event === 'create')
    return {
      ...base,
      verb: request.action.action,
      resource: request.action.resource,
      expiresAt: request.expiresAt,
      steps: request.approval.steps.map((s) => s.name),
    }
  if (entry.event === 'escalate') return { ...base, to: [...(request.approval.escalation?.to ?? [])] }
  return base
}

/** One draft per history entry `next` has beyond `before` (all of them for a new request). */
export function requestDrafts(before: ApprovalRequest | undefined, next: ApprovalRequest): AuditDraft[] {
  return next.history.slice(before?.history.length ?? 0).map((entry) => ({
    actor: actorOf(entry.by),
    type: typeOf(entry),
    subject: { type: 'request', id: next.id },
    details: detailsOf(next, entry),
    policyVersion: next.policyVersion,
  }))
}

/** The draft for a change to `grant` (`by` absent: jitgate did it). */
export function grantDraft(
  type: 'grant.created' | 'grant.used' | 'grant.revoked',
  grant: Grant,
  by?: string,
): AuditDraft {
  return {
    actor: actorOf(by),
    type,
    subject: { type: 'grant', id: grant.id },
    details: {
      requestId: grant.requestId,
      mode: grant.mode,
      state: grant.state,
      startsAt: grant.startsAt,
      expiresAt: grant.expiresAt,
    },
    policyVersion: grant.policyVersion,
  }
}
