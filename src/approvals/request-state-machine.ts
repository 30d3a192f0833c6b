// The approval request's state machine: `transition(request, event, now)` returns the
// next request or throws. It is pure: the store applies the result and the audit event
// in one transaction, and time comes in as `now`.
//
// Repeats that change nothing return the very same object (callers can test with
// `===` and skip the write and the audit event):
//   approve          by someone whose approval is already recorded, unless the request
//                    was rejected, canceled or expired (then pretending success would mislead)
//   reject           by the person who rejected it
//   cancel           by the requester, once canceled
//   expire           once expired
//   escalate         once escalated, while pending
//   auto_approve     once auto-approved
//   finish_execution with the outcome already recorded (a different one is refused)
// `comment` always adds a comment; `start_execution` is never a repeat: a second start
// is how a double execution would begin, so it is refused.
import type { ApprovalRequest, HistoryEntry, RequestState } from './approval-request.ts'
import { ApprovalError, InvalidTransitionError } from './errors.ts'
import { isoOf, reached } from './instant.ts'
import { escalationDueAt } from './quorum.ts'
import type { RequestEvent, RequestEventOf, RequestEventType } from './request-event.ts'
import { recordEvent, requireText } from './request-history.ts'
import { applyApprove, applyReject } from './request-votes.ts'

/** The events each state accepts; repeats (above) are answered before this table is consulted. */
const ACCEPTS: Readonly<Record<RequestState, readonly RequestEventType[]>> = {
  pending: ['approve', 'reject', 'cancel', 'expire', 'escalate', 'comment', 'auto_approve'],
  approved: ['start_execution', 'comment'],
  executing: ['finish_execution', 'comment'],
  rejected: ['comment'],
  expired: ['comment'],
  canceled: ['comment'],
  executed: ['comment'],
  failed: ['comment'],
}

/** The events `state` accepts (besides harmless repeats). */
export function allowedEvents(state: RequestState): readonly RequestEventType[] {
  return ACCEPTS[state]
}

/** States in which the request did not go through: a repeated approval there is not harmless. */
const NOT_THROUGH: ReadonlySet<RequestState> = new Set(['rejected', 'expired', 'canceled'])

function isRepeat(request: ApprovalRequest, event: RequestEvent): boolean {
  const { state } = request
  switch (event.type) {
    case 'approve':
      return (
        !NOT_THROUGH.has(state) &&
        request.votes.some((v) => v.verdict === 'approve' && v.approverId === event.approver.id)
      )
    case 'reject':
      return (
        state === 'rejected' &&
        request.votes.some((v) => v.verdict === 'reject' && v.approverId === event.approver.id)
      )
    case 'cancel':
      return state === 'canceled' && event.by === request.requester.id
    case 'expire':
      return state === 'expired'
    case 'escalate':
      return state === 'pending' && request.escalatedAt !== undefined
    case 'auto_approve':
      return !NOT_THROUGH.has(state) && request.autoApproved === true
    case 'finish_execution':
      return (
        (state === 'executed' && event.outcome === 'ok') || (state === 'failed' && event.outcome === 'failed')
      )
    default:
      return false
  }
}

/**
 * Applies `event` to `request` at `now`. Throws InvalidTransitionError (409) when the
 * state does not accept the event, and ApprovalError for a refusal by rule (who may do
 * it, when, with what).
 */
export function transition(request: ApprovalRequest, event: RequestEvent, now: Date): ApprovalRequest {
  const at = isoOf(now)
  if (isRepeat(request, event)) return request
  const accepted = ACCEPTS[request.state]
  if (!accepted.includes(event.type))
    throw new InvalidTransitionError('request', request.state, event.type, accepted)
  // No sweeper is needed for correctness: past its expiry a pending request takes no
  // decision, whether or not `expire` has been recorded yet.
  if (
    request.state === 'pending' &&
    event.type !== 'expire' &&
    event.type !== 'comment' &&
    reached(now, request.expiresAt)
  ) {
    throw new ApprovalError(
      'request_expired',
      `the request expired at ${request.expiresAt}, so '${event.type}' is no longer possible; ask again with a new request`,
    )
  }
  return apply(request, event, now, at)
}

function apply(request: ApprovalRequest, event: RequestEvent, now: Date, at: string): ApprovalRequest {
  switch (event.type) {
    case 'approve':
      return applyApprove(request, event, now, at)
    case 'reject':
      return applyReject(request, event, now, at)
    case 'cancel':
      return applyCancel(request, event, at)
    case 'expire':
      return applyExpire(request, now, at)
    case 'escalate':
      return applyEscalate(request, now, at)
    case 'comment':
      return applyComment(request, event, at)
    case 'start_execution':
      return recordEvent(request, { state: 'executing', execution: { startedAt: at } }, entry(event, at))
    case 'finish_execution':
      return applyFinish(request, event, at)
    case 'auto_approve':
      return applyAutoApprove(request, at)
  }
}

function entry(event: RequestEvent, at: string, by?: string): Omit<HistoryEntry, 'from' | 'to'> {
  return by === undefined ? { at, event: event.type } : { at, event: event.type, by }
}

function applyCancel(request: ApprovalRequest, event: RequestEventOf<'cancel'>, at: string): ApprovalRequest {
  if (event.by !== request.requester.id)
    throw new ApprovalError('not_requester', 'only the requester can cancel a request', [
      { path: 'by', message: 'is not the requester' },
    ])
  return recordEvent(request, { state: 'canceled', decidedAt: at }, entry(event, at, event.by))
}

function applyExpire(request: ApprovalRequest, now: Date, at: string): ApprovalRequest {
  if (!reached(now, request.expiresAt))
    throw new ApprovalError('too_early', `the request expires at ${request.expiresAt}, not before`)
  return recordEvent(request, { state: 'expired', decidedAt: at }, { at, event: 'expire' })
}

function applyEscalate(request: ApprovalRequest, now: Date, at: string): ApprovalRequest {
  const dueAt = escalationDueAt(request)
  if (dueAt === undefined)
    throw new ApprovalError('no_escalation', 'the policy sets no escalation for this request')
  if (!reached(now, dueAt))
    throw new ApprovalError('too_early', `the request escalates at ${dueAt}, not before`)
  return recordEvent(request, { escalatedAt: at }, { at, event: 'escalate' })
}

function applyComment(
  request: ApprovalRequest,
  event: RequestEventOf<'comment'>,
  at: string,
): ApprovalRequest {
  const text = requireText(event.text, 'text', 'invalid_event', 'a comment needs text')
  return recordEvent(
    request,
    { comments: [...request.comments, { by: event.by, text, at }] },
    entry(event, at, event.by),
  )
}

function applyFinish(
  request: ApprovalRequest,
  event: RequestEventOf<'finish_execution'>,
  at: string,
): ApprovalRequest {
  const started = request.execution?.startedAt ?? at
  const detail =
    event.detail === undefined
      ? undefined
      : requireText(event.detail, 'detail', 'invalid_event', 'detail is empty')
  return recordEvent(
    request,
    {
      state: event.outcome === 'ok' ? 'executed' : 'failed',
      execution: {
        startedAt: started,
        finishedAt: at,
        outcome: event.outcome,
        ...(detail ? { detail } : {}),
      },
    },
    entry(event, at),
  )
}

function applyAutoApprove(request: ApprovalRequest, at: string): ApprovalRequest {
  if (!request.approval.autoApprove)
    throw new ApprovalError(
      'auto_approve_not_allowed',
      "the decision did not auto-approve this request (the policy's auto_approve condition did not hold): approvers must decide",
    )
  return recordEvent(
    request,
    { state: 'approved', decidedAt: at, autoApproved: true },
    { at, event: 'auto_approve' },
  )
}
