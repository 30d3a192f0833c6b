// The refusals of the approval services that the pure core cannot know of: a request or
// grant that does not exist, a row another node changed twice while we worked, a step-up
// asked of someone who has not enrolled, an action the policy denies or that needs consent
// first (no request to wait for), and a listing cursor this API did not make.
import { type ErrorDetail, JitgateError } from '../shared/index.ts'

const STATUS = {
  request_not_found: 404,
  grant_not_found: 404,
  request_conflict: 409,
  step_up_not_enrolled: 403,
  action_denied: 403,
  consent_required: 403,
  invalid_cursor: 400,
} as const

export type ApprovalServiceErrorCode = keyof typeof STATUS

export class ApprovalServiceError extends JitgateError {
  declare readonly code: ApprovalServiceErrorCode

  constructor(code: ApprovalServiceErrorCode, message: string, details: readonly ErrorDetail[] = []) {
    super(code, message, { status: STATUS[code], details })
  }
}

/** The row version a command read is gone: another command changed the request first. */
export class RequestConflictError extends ApprovalServiceError {
  constructor(id: string) {
    super('request_conflict', `request ${id} was changed by someone else at the same time; try again`, [
      { path: 'id', message: 'changed concurrently' },
    ])
  }
}

export function requestNotFound(id: string): ApprovalServiceError {
  return new ApprovalServiceError('request_not_found', `there is no approval request with id '${id}'`, [
    { path: 'id', message: 'names no request' },
  ])
}

export function grantNotFound(id: string): ApprovalServiceError {
  return new ApprovalServiceError('grant_not_found', `there is no grant with id '${id}'`, [
    { path: 'id', message: 'names no grant' },
  ])
}
