// Between an ApprovalRequest and its rows: the request row (columns for what is queried,
// JSON text for what is only read back), one row per vote, one per comment. Loading gives
// back exactly the request that was saved.
import type {
  ApprovalRequest,
  Execution,
  FrozenGroup,
  HistoryEntry,
  RequestComment,
  RequestedAction,
  Vote,
} from '../approvals/index.ts'
import { escalationDueAt } from '../approvals/index.ts'
import type { Actor, Decision } from '../policy/index.ts'
import { JitgateError } from '../shared/index.ts'
import type { ApprovalCommentRow, ApprovalRequestRow, ApprovalVoteRow } from './schema.ts'

export type RequestRow = Omit<ApprovalRequestRow, 'row_version'>
export type VoteRow = ApprovalVoteRow

/** The request row for `request` (row_version is the update's business). */
export function toRequestRow(request: ApprovalRequest, updatedAt: string): RequestRow {
  const { action, grantRequest } = request
  return {
    id: request.id,
    state: request.state,
    requester_id: request.requester.id,
    requester: JSON.stringify(request.requester),
    verb: action.action,
    resource: action.resource,
    purpose: action.purpose ?? null,
    input: JSON.stringify(action),
    decision: JSON.stringify(request.decision),
    policy_version: request.policyVersion,
    reason: request.reason ?? null,
    grant_start_at: grantRequest.startAt ?? null,
    grant_seconds: grantRequest.durationSeconds ?? null,
    created_at: request.createdAt,
    updated_at: updatedAt,
    expires_at: request.expiresAt,
    escalate_at: escalationDueAt(request) ?? null,
    escalated_at: request.escalatedAt ?? null,
    decided_at: request.decidedAt ?? null,
    groups: JSON.stringify(request.groups),
    history: JSON.stringify(request.history),
    auto_approved: request.autoApproved === true ? 1 : 0,
    execution: request.execution === undefined ? null : JSON.stringify(request.execution),
  }
}

export function toVoteRow(requestId: string, vote: Vote): VoteRow {
  return {
    request_id: requestId,
    approver_id: vote.approverId,
    vote: vote.verdict,
    // Seats move as approvals arrive (seat-matching.ts), so no step is pinned on a vote.
    step: null,
    reason: vote.reason ?? null,
    step_up: vote.stepUp ? 1 : 0,
    created_at: vote.at,
    approver_groups: JSON.stringify(vote.approverGroups),
  }
}

/** Comment ids sort in the order the comments were made: the request id and a padded position. */
export function commentId(requestId: string, position: number): string {
  return `${requestId}#${String(position).padStart(6, '0')}`
}

export function toCommentRow(
  requestId: string,
  position: number,
  comment: RequestComment,
): ApprovalCommentRow {
  return {
    id: commentId(requestId, position),
    request_id: requestId,
    author_id: comment.by,
    body: comment.text,
    created_at: comment.at,
  }
}

/** The request the rows hold; throws `store_corrupt_row` when the decision carries no approval. */
export function fromRequestRows(
  row: RequestRow,
  votes: readonly VoteRow[],
  comments: readonly ApprovalCommentRow[],
): ApprovalRequest {
  const decision = JSON.parse(row.decision) as Decision
  const approval = decision.obligations.approval
  if (approval === undefined)
    throw new JitgateError('store_corrupt_row', `approval request ${row.id} has no approval obligation`)
  const execution = row.execution === null ? undefined : (JSON.parse(row.execution) as Execution)
  return {
    id: row.id,
    requester: JSON.parse(row.requester) as Actor,
    action: JSON.parse(row.input) as RequestedAction,
    decision,
    approval,
    policyVersion: row.policy_version,
    groups: JSON.parse(row.groups) as Record<string, FrozenGroup>,
    ...(row.reason === null ? {} : { reason: row.reason }),
    grantRequest: {
      ...(row.grant_start_at === null ? {} : { startAt: row.grant_start_at }),
      ...(row.grant_seconds === null ? {} : { durationSeconds: Number(row.grant_seconds) }),
    },
    state: row.state,
    votes: votes.map(fromVoteRow),
    comments: comments.map((c) => ({ by: c.author_id, text: c.body, at: c.created_at })),
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    ...(row.escalated_at === null ? {} : { escalatedAt: row.escalated_at }),
    ...(row.decided_at === null ? {} : { decidedAt: row.decided_at }),
    ...(Number(row.auto_approved) === 1 ? { autoApproved: true } : {}),
    ...(execution === undefined ? {} : { execution }),
    history: JSON.parse(row.history) as HistoryEntry[],
  }
}

function fromVoteRow(row: VoteRow): Vote {
  return {
    approverId: row.approver_id,
    approverGroups: JSON.parse(row.approver_groups) as string[],
    verdict: row.vote,
    stepUp: Number(row.step_up) === 1,
    at: row.created_at,
    ...(row.reason === null ? {} : { reason: row.reason }),
  }
}
