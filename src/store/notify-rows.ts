// Between the notification core's plain types and the rows of webhook_subscriptions and
// notify_deliveries: JSON as text, nulls as absent fields, 64-bit integers as numbers.
import type { Delivery, NewDelivery, WebhookSubscription } from '../notify/index.ts'
import type { NewNotifyDelivery, NotifyDeliveryRow, WebhookSubscriptionRow } from './schema.ts'

export function toSubscriptionRow(subscription: WebhookSubscription, secret: string): WebhookSubscriptionRow {
  return {
    id: subscription.id,
    url: subscription.url,
    events: JSON.stringify(subscription.events),
    secret,
    description: subscription.description ?? null,
    created_by: subscription.createdBy,
    created_at: subscription.createdAt,
    updated_at: subscription.updatedAt,
    start_seq: subscription.startSeq,
    consecutive_failures: subscription.consecutiveFailures,
    disabled_at: subscription.disabledAt ?? null,
    disabled_reason: subscription.disabledReason ?? null,
  }
}

export function fromSubscriptionRow(row: Omit<WebhookSubscriptionRow, 'secret'>): WebhookSubscription {
  return {
    id: row.id,
    url: row.url,
    events: JSON.parse(row.events) as string[],
    ...(row.description === null ? {} : { description: row.description }),
    createdBy: row.created_by,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    startSeq: Number(row.start_seq),
    consecutiveFailures: Number(row.consecutive_failures),
    ...(row.disabled_at === null ? {} : { disabledAt: row.disabled_at }),
    ...(row.disabled_reason === null ? {} : { disabledReason: row.disabled_reason }),
  }
}

/** A new delivery: pending, due at once. */
export function toDeliveryRow(delivery: NewDelivery): NewNotifyDelivery {
  return {
    id: delivery.id,
    channel: delivery.channel,
    kind: delivery.kind,
    target: delivery.target,
    subscription_id: delivery.subscriptionId ?? null,
    recipient: delivery.recipient ?? null,
    event_seq: delivery.eventSeq,
    event_id: delivery.eventId,
    event_type: delivery.eventType,
    subject_id: delivery.subjectId,
    payload: delivery.payload,
    next_attempt_at: delivery.createdAt,
    last_status: null,
    last_error: null,
    external_ref: null,
    created_at: delivery.createdAt,
    updated_at: delivery.createdAt,
    delivered_at: null,
  }
}

export function fromDeliveryRow(row: NotifyDeliveryRow): Delivery {
  return {
    id: row.id,
    channel: row.channel,
    kind: row.kind,
    target: row.target,
    ...(row.subscription_id === null ? {} : { subscriptionId: row.subscription_id }),
    ...(row.recipient === null ? {} : { recipient: row.recipient }),
    eventSeq: Number(row.event_seq),
    eventId: row.event_id,
    eventType: row.event_type,
    subjectId: row.subject_id,
    payload: row.payload,
    state: row.state,
    attempts: Number(row.attempts),
    nextAttemptAt: row.next_attempt_at,
    ...(row.last_status === null ? {} : { lastStatus: Number(row.last_status) }),
    ...(row.last_error === null ? {} : { lastError: row.last_error }),
    ...(row.external_ref === null ? {} : { externalRef: row.external_ref }),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    ...(row.delivered_at === null ? {} : { deliveredAt: row.delivered_at }),
  }
}
