// Small helpers the request's transitions share: applying a change together with its
// history entry, and checking the free text people give (reasons, comments).
import type { ErrorDetail } from '../shared/index.ts'
import type { ApprovalRequest, HistoryEntry } from './approval-request.ts'
import { ApprovalError, type ApprovalErrorCode } from './errors.ts'

/** Longest reason, comment or detail kept: enough for a paragraph, not for a data dump. */
export const MAX_TEXT_LENGTH = 4000

/** `request` with `changes` applied and one history entry recording the move. */
export function recordEvent(
  request: ApprovalRequest,
  changes: Partial<Omit<ApprovalRequest, 'history'>>,
  entry: Omit<HistoryEntry, 'from' | 'to'>,
): ApprovalRequest {
  const to = changes.state ?? request.state
  return { ...request, ...changes, history: [...request.history, { ...entry, from: request.state, to }] }
}

/**
 * The trimmed text, or an error naming `field` when it is missing, blank or too long.
 * The message never repeats the text: reasons and comments may hold personal data.
 */
export function requireText(value: unknown, field: string, code: ApprovalErrorCode, missing: string): string {
  const text = typeof value === 'string' ? value.trim() : ''
  if (text === '') {
    const detail: ErrorDetail = { path: field, message: 'is required and must not be blank' }
    throw new ApprovalError(code, missing, [detail])
  }
  if (text.length > MAX_TEXT_LENGTH) {
    const message = `${field} is longer than ${MAX_TEXT_LENGTH} characters`
    throw new ApprovalError('text_too_long', message, [
      { path: field, message: `must be at most ${MAX_TEXT_LENGTH} characters`, hint: 'shorten it' },
    ])
  }
  return text
}
