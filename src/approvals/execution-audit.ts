// The audit events of executions: the request's own events (execution.started, .finished,
// .failed from its history) with the execution's id, attempt and result status added, and
// `execution.queued` when an approved request joins the queue. Never a response body.
import type { AuditDraft, JsonObject } from '../audit/index.ts'
import { requestDrafts, SYSTEM_ACTOR } from './approval-audit.ts'
import type { ApprovalRequest } from './approval-request.ts'
import type { ExecutionRecord } from './execution-record.ts'

function executionDetails(execution: ExecutionRecord): JsonObject {
  return {
    executionId: execution.id,
    attempt: execution.attempts,
    idempotent: execution.idempotent,
    ...(execution.resultStatus === undefined ? {} : { resultStatus: execution.resultStatus }),
  }
}

/** The request's new events between `before` and `next`, each with the execution's details. */
export function executionDrafts(
  before: ApprovalRequest,
  next: ApprovalRequest,
  execution: ExecutionRecord,
): AuditDraft[] {
  return requestDrafts(before, next).map((draft) => ({
    ...draft,
    details: { ...draft.details, ...executionDetails(execution) },
  }))
}

export function queuedDraft(request: ApprovalRequest, execution: ExecutionRecord): AuditDraft {
  return {
    actor: SYSTEM_ACTOR,
    type: 'execution.queued',
    subject: { type: 'request', id: request.id },
    details: { executionId: execution.id, idempotent: execution.idempotent, limits: execution.limits.length },
    policyVersion: request.policyVersion,
  }
}

/** A lease that ran out, taken over by another worker: the same action, the same idempotency key. */
export function resumedDraft(request: ApprovalRequest, execution: ExecutionRecord): AuditDraft {
  return {
    actor: SYSTEM_ACTOR,
    type: 'execution.resumed',
    subject: { type: 'request', id: request.id },
    details: executionDetails(execution),
    policyVersion: request.policyVersion,
  }
}
