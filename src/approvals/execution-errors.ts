// The refusals of execution: a request that is not approved, a verb no executor runs, an
// execution that does not exist, and a change to an execution its state does not allow.
import { type ErrorDetail, JitgateError } from '../shared/index.ts'

const STATUS = {
  execution_not_found: 404,
  no_executor: 409,
  not_approved: 409,
  invalid_execution_transition: 409,
} as const

export type ExecutionErrorCode = keyof typeof STATUS

export class ExecutionError extends JitgateError {
  declare readonly code: ExecutionErrorCode

  constructor(code: ExecutionErrorCode, message: string, details: readonly ErrorDetail[] = []) {
    super(code, message, { status: STATUS[code], details })
  }
}

export function executionNotFound(id: string): ExecutionError {
  return new ExecutionError('execution_not_found', `there is no execution with id '${id}'`, [
    { path: 'id', message: 'names no execution' },
  ])
}
