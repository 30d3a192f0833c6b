// The errors of approvals and grants: one class for refused transitions (409, with the
// events that would have been allowed) and one for every other refusal, each with a
// stable code. Messages name the rule and the fix, never personal data or reasons.
import { type ErrorDetail, JitgateError } from '../shared/index.ts'

/** What a state machine can be asked about: an approval request or a grant. */
export type TransitionSubject = 'request' | 'grant'

/** An event the current state does not accept; `allowed` lists those it does. */
export class InvalidTransitionError extends JitgateError {
  readonly subject: TransitionSubject
  readonly state: string
  readonly event: string
  readonly allowed: readonly string[]

  constructor(subject: TransitionSubject, state: string, event: string, allowed: readonly string[]) {
    const list = allowed.length === 0 ? 'none' : allowed.join(', ')
    super(
      'invalid_transition',
      `cannot '${event}' a ${subject} in state '${state}'; allowed events: ${list}`,
      {
        status: 409,
        details: [{ path: 'type', message: `'${event}' is not allowed in state '${state}'` }],
      },
    )
    this.subject = subject
    this.state = state
    this.event = event
    this.allowed = allowed
  }
}

/** HTTP status per code: 400 bad input, 403 not this person or not now, 409 not in this state. */
const STATUS = {
  approval_not_required: 409,
  reason_required: 400,
  invalid_event: 400,
  text_too_long: 400,
  invalid_grant_request: 400,
  self_approval: 403,
  not_eligible: 403,
  not_requester: 403,
  step_up_required: 403,
  step_up_failed: 403,
  step_up_replayed: 403,
  invalid_totp_secret: 400,
  request_expired: 409,
  too_early: 409,
  no_escalation: 409,
  auto_approve_not_allowed: 409,
  not_approved: 409,
  grant_not_active: 403,
} as const

export type ApprovalErrorCode = keyof typeof STATUS

/** Every refusal of approvals and grants other than an invalid transition. */
export class ApprovalError extends JitgateError {
  declare readonly code: ApprovalErrorCode

  constructor(code: ApprovalErrorCode, message: string, details: readonly ErrorDetail[] = []) {
    super(code, message, { status: STATUS[code], details })
  }
}
