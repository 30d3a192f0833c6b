// What one audit event turns into: a webhook delivery per subscription whose filter matches,
// and for approval requests a Slack message and emails to the people concerned. Pure: the
// dispatcher passes in the subscriptions, the request as it is now and the time.
import type { ApprovalRequest } from '../approvals/index.ts'
import { readDetails, type StoredAuditEvent } from '../audit/index.ts'
import type { DeliveryDraft, MessageKind } from './delivery.ts'
import { matchesFilter } from './event-filter.ts'
import { approversToTell, escalationToTell } from './request-summary.ts'

/** A subscription as the dispatcher sees it: enabled ones only. */
export interface WebhookTarget {
  readonly id: string
  readonly events: readonly string[]
  /** The audit head when it was created: it receives the events after it only. */
  readonly startSeq: number
}

/** An audit event without its details: enough to know whether anyone is to hear of it. */
export type EventHeading = Pick<StoredAuditEvent, 'seq' | 'type' | 'subject'>

/** Which channels besides webhooks are configured. */
export interface Routing {
  readonly slack: boolean
  readonly email: boolean
}

export interface PlanInput {
  readonly event: StoredAuditEvent
  readonly subscriptions: readonly WebhookTarget[]
  readonly routing: Routing
  /** The request the event is about, as it is now; absent when not needed or gone. */
  readonly request?: ApprovalRequest
  readonly now: Date
}

const OUTCOMES = new Set(['request.approved', 'request.rejected', 'request.expired', 'request.canceled'])

/** The message an event about a request calls for, if any. */
export function messageKindOf(type: string): Exclude<MessageKind, 'event'> | undefined {
  if (type === 'request.created') return 'approval_needed'
  if (type === 'request.escalated') return 'escalated'
  return OUTCOMES.has(type) ? 'outcome' : undefined
}

/** Whether planning `event` needs its request loaded. */
export function needsRequest(event: EventHeading, routing: Routing): boolean {
  return (
    (routing.slack || routing.email) &&
    event.subject.type === 'request' &&
    messageKindOf(event.type) !== undefined
  )
}

/**
 * Whether anything is to be sent for the event with `heading`: a webhook subscription wants
 * it, or it is about a request and Slack or email is configured. What is not wanted is never
 * read whole.
 */
export function isWanted(
  heading: EventHeading,
  subscriptions: readonly WebhookTarget[],
  routing: Routing,
): boolean {
  return needsRequest(heading, routing) || subscriptions.some((s) => wants(s, heading))
}

function wants(subscription: WebhookTarget, event: EventHeading): boolean {
  return event.seq > subscription.startSeq && matchesFilter(subscription.events, event.type)
}

export function planDeliveries(input: PlanInput): DeliveryDraft[] {
  return [...webhookDrafts(input), ...requestDrafts(input)]
}

function webhookDrafts({ event, subscriptions }: PlanInput): DeliveryDraft[] {
  const matching = subscriptions.filter((s) => wants(s, event))
  if (matching.length === 0) return []
  const payload = webhookPayload(event)
  return matching.map((s) => ({
    ...base(event, 'webhook', 'event', `webhook:${s.id}`),
    subscriptionId: s.id,
    payload,
  }))
}

function requestDrafts({ event, routing, request, now }: PlanInput): DeliveryDraft[] {
  const kind = messageKindOf(event.type)
  if (kind === undefined || request === undefined || event.subject.type !== 'request') return []
  // Asking for approval of a request that was decided meanwhile would only confuse.
  if (kind !== 'outcome' && request.state !== 'pending') return []
  const drafts: DeliveryDraft[] = []
  if (routing.slack) drafts.push(base(event, 'slack', kind, 'slack'))
  if (routing.email) {
    for (const user of recipients(kind, event, request, now)) {
      drafts.push({ ...base(event, 'email', kind, `email:${user}`), recipient: user })
    }
  }
  return drafts
}

function recipients(
  kind: Exclude<MessageKind, 'event'>,
  event: StoredAuditEvent,
  request: ApprovalRequest,
  now: Date,
): string[] {
  if (kind === 'approval_needed') return approversToTell(request, now)
  if (kind === 'escalated') return escalationToTell(request, now)
  // Requesters who canceled their own request know.
  return event.actor.id === request.requester.id ? [] : [request.requester.id]
}

function base(
  event: StoredAuditEvent,
  channel: DeliveryDraft['channel'],
  kind: MessageKind,
  target: string,
): DeliveryDraft {
  return {
    channel,
    kind,
    target,
    eventSeq: event.seq,
    eventId: event.id,
    eventType: event.type,
    subjectId: event.subject.id,
    payload: '{}',
  }
}

/**
 * The Standard Webhooks body: `{ type, timestamp, data }` with the audit event as stored. Its
 * details were redacted before they were chained; nothing else (no request body) is added.
 */
export function webhookPayload(event: StoredAuditEvent): string {
  return JSON.stringify({
    type: event.type,
    timestamp: event.time,
    data: {
      seq: event.seq,
      id: event.id,
      time: event.time,
      actor: event.actor,
      subject: event.subject,
      details: readDetails(event) ?? {},
      ...(event.policyVersion === undefined ? {} : { policyVersion: event.policyVersion }),
    },
  })
}
