// A delivery: one message to one place for one audit event, as the outbox keeps it. The
// dispatcher drafts them from the audit log; the sender works them off with retries.

export const DELIVERY_CHANNELS = ['webhook', 'slack', 'email'] as const
export type DeliveryChannel = (typeof DELIVERY_CHANNELS)[number]

/**
 * `event`: a webhook carrying the audit event; the others are rendered from the request when
 * sent: `approval_needed` to approvers, `escalated` to the escalation group, `outcome` to the
 * requester (email) or as an update of the request's Slack messages.
 */
export const MESSAGE_KINDS = ['event', 'approval_needed', 'escalated', 'outcome'] as const
export type MessageKind = (typeof MESSAGE_KINDS)[number]

/**
 * pending → (sent) delivered | failed (retried later) | dead (given up) | skipped (nothing left
 * to say: the request was decided before its "approval needed" message went out).
 */
export const DELIVERY_STATES = ['pending', 'delivered', 'failed', 'dead', 'skipped'] as const
export type DeliveryState = (typeof DELIVERY_STATES)[number]

/** What the dispatcher decides to send for one audit event. */
export interface DeliveryDraft {
  readonly channel: DeliveryChannel
  readonly kind: MessageKind
  /** Unique per event (`webhook:<id>`, `slack`, `email:<user>`): a second draft for both is dropped. */
  readonly target: string
  readonly subscriptionId?: string
  /** Email: the jitgate user id; the address is looked up when sending, so none is stored. */
  readonly recipient?: string
  readonly eventSeq: number
  readonly eventId: string
  readonly eventType: string
  /** The audit event's subject: the request id for Slack and email. */
  readonly subjectId: string
  /** Webhooks: the exact body to sign and send (retries send the same bytes); otherwise `{}`. */
  readonly payload: string
}

export interface Delivery extends DeliveryDraft {
  readonly id: string
  readonly state: DeliveryState
  readonly attempts: number
  readonly nextAttemptAt: string
  readonly lastStatus?: number
  readonly lastError?: string
  /** Slack: `channel:ts` of the message posted, for the outcome's update. */
  readonly externalRef?: string
  readonly createdAt: string
  readonly updatedAt: string
  readonly deliveredAt?: string
}

/** What one attempt came to. Errors are short and never carry secrets, URLs or bodies. */
export type SendResult =
  | { readonly ok: true; readonly status?: number; readonly externalRef?: string }
  /** Nothing to send any more (see `skipped`). */
  | { readonly ok: true; readonly skipped: string }
  /** `permanent`: retrying cannot help (no address for the recipient, say). */
  | { readonly ok: false; readonly status?: number; readonly error: string; readonly permanent?: boolean }

/** Sends one delivery somewhere; never throws for a failed send (it returns the failure). */
export interface DeliveryChannelSender {
  send(delivery: ClaimedDelivery): Promise<SendResult>
}

/** A delivery claimed for sending, with the webhook's endpoint when it is one. */
export interface ClaimedDelivery extends Delivery {
  readonly webhook?: { readonly url: string; readonly secret: string }
}

/** At most this many characters of an error are kept: enough to act on, too short for a body. */
export const MAX_ERROR_LENGTH = 200

export function shortError(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim()
  return line.length <= MAX_ERROR_LENGTH ? line : `${line.slice(0, MAX_ERROR_LENGTH - 1)}…`
}
