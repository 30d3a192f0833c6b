// Slack's button clicks, checked and turned into a decision: the request is Slack's only if
// `X-Slack-Signature` is `v0=` + hex HMAC-SHA256(signing secret, `v0:${timestamp}:${raw body}`)
// and the timestamp is within five minutes (replays); the clicking Slack user must be mapped
// to a jitgate user in the configuration. Pure: the time is passed in.
import { createHmac, timingSafeEqual } from 'node:crypto'
import { NotifyError } from './notify-errors.ts'
import { APPROVE_ACTION, REJECT_ACTION } from './slack-blocks.ts'

const TOLERANCE_SECONDS = 5 * 60

export interface SlackSignedRequest {
  readonly rawBody: string
  readonly signature: string | undefined
  readonly timestamp: string | undefined
}

/** Throws `slack_signature_invalid` (401) saying which check failed. */
export function verifySlackSignature(signingSecret: string, request: SlackSignedRequest, now: Date): void {
  const { signature, timestamp, rawBody } = request
  if (signature === undefined || timestamp === undefined)
    throw badSignature('the X-Slack-Signature or X-Slack-Request-Timestamp header is missing')
  if (!/^\d{1,12}$/.test(timestamp)) throw badSignature('X-Slack-Request-Timestamp is not unix seconds')
  if (Math.abs(now.getTime() / 1000 - Number(timestamp)) > TOLERANCE_SECONDS)
    throw badSignature('X-Slack-Request-Timestamp is more than 5 minutes away (a replay?)')
  const expected = createHmac('sha256', signingSecret).update(`v0:${timestamp}:${rawBody}`).digest()
  const given = /^v0=[0-9a-f]{64}$/.test(signature) ? Buffer.from(signature.slice(3), 'hex') : Buffer.alloc(0)
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    throw badSignature('X-Slack-Signature does not match')
}

function badSignature(why: string): NotifyError {
  return new NotifyError('slack_signature_invalid', `the request is not from Slack: ${why}`)
}

/** What a click asks jitgate to do. */
export interface SlackDecision {
  readonly action: 'approve' | 'reject'
  readonly requestId: string
  /** The jitgate user the Slack user is mapped to. */
  readonly userId: string
  /** Where to answer the clicker privately. */
  readonly slackUserId: string
  readonly channelId?: string
}

/** A click that asks nothing of jitgate (the link button): acknowledge it and do nothing. */
export interface SlackIgnored {
  readonly action: 'none'
}

/**
 * The decision in a verified `block_actions` payload (the form field `payload`). Throws
 * `slack_payload_invalid` for anything else and `slack_user_unmapped` (403) for a Slack user
 * the configuration does not map.
 */
export function parseSlackInteraction(
  rawBody: string,
  users: Readonly<Record<string, string>>,
): SlackDecision | SlackIgnored {
  const payload = jsonPayload(rawBody)
  if (payload.type !== 'block_actions')
    throw badPayload(`interactions of type '${String(payload.type).slice(0, 40)}' are not handled`)
  const action = Array.isArray(payload.actions)
    ? (payload.actions[0] as Record<string, unknown> | undefined)
    : undefined
  const actionId = action?.action_id
  if (actionId !== APPROVE_ACTION && actionId !== REJECT_ACTION) return { action: 'none' }
  const requestId = action?.value
  if (typeof requestId !== 'string' || requestId === '' || requestId.length > 256)
    throw badPayload('the button carries no request id')
  const slackUserId = (payload.user as Record<string, unknown> | undefined)?.id
  if (typeof slackUserId !== 'string') throw badPayload('the payload names no user')
  const userId = Object.hasOwn(users, slackUserId) ? users[slackUserId] : undefined
  if (userId === undefined) {
    throw new NotifyError('slack_user_unmapped', 'this Slack user is not linked to a jitgate user', [
      {
        path: 'slack.users',
        message: 'has no entry for the Slack user',
        hint: 'add their Slack user id to slack.users',
      },
    ])
  }
  const channelId = (payload.channel as Record<string, unknown> | undefined)?.id
  return {
    action: actionId === APPROVE_ACTION ? 'approve' : 'reject',
    requestId,
    userId,
    slackUserId,
    ...(typeof channelId === 'string' ? { channelId } : {}),
  }
}

function jsonPayload(rawBody: string): Record<string, unknown> {
  const text = new URLSearchParams(rawBody).get('payload')
  if (text === null) throw badPayload('the form has no payload field')
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    throw badPayload('the payload field is not JSON')
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw badPayload('the payload is not an object')
  return parsed as Record<string, unknown>
}

function badPayload(why: string): NotifyError {
  return new NotifyError('slack_payload_invalid', `the Slack interaction is invalid: ${why}`)
}
