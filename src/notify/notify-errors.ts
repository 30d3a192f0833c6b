// The errors of notifications, each with a stable code. Messages name the field and the rule,
// never a secret, a signature, a URL's query or a message body.
import { type ErrorDetail, JitgateError } from '../shared/index.ts'

const STATUS = {
  notify_config_invalid: 400,
  webhook_url_invalid: 400,
  webhook_events_invalid: 400,
  webhook_not_found: 404,
  webhook_cursor_invalid: 400,
  webhook_signature_invalid: 401,
  slack_signature_invalid: 401,
  slack_payload_invalid: 400,
  slack_user_unmapped: 403,
} as const

export type NotifyErrorCode = keyof typeof STATUS

export class NotifyError extends JitgateError {
  declare readonly code: NotifyErrorCode

  constructor(code: NotifyErrorCode, message: string, details: readonly ErrorDetail[] = []) {
    super(code, message, { status: STATUS[code], details })
  }
}

export function webhookNotFound(id: string): NotifyError {
  return new NotifyError('webhook_not_found', `no webhook subscription '${id.slice(0, 80)}'`, [
    { path: 'id', message: 'names no subscription', hint: 'list them with GET /v1/webhooks' },
  ])
}
