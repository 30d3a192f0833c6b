// The ports notifications need: one store transaction at a time (the dispatcher's cursor,
// the audit events after it, subscriptions, the deliveries outbox, the audit append) and a
// few reads outside any transaction. src/store/notify-repository.ts implements them.
import type { ApprovalRequest, AuditedTransaction, TransactionalStore } from '../approvals/index.ts'
import type { StoredAuditEvent } from '../audit/index.ts'
import type { ClaimedDelivery, Delivery, DeliveryDraft, DeliveryState } from './delivery.ts'
import type { EventHeading, WebhookTarget } from './plan-deliveries.ts'

/** Notified when deliveries were queued: senders on every node look at once. */
export const DELIVERY_CHANNEL = 'notify_deliveries'

export interface WebhookSubscription {
  readonly id: string
  readonly url: string
  readonly events: readonly string[]
  readonly description?: string
  readonly createdBy: string
  readonly createdAt: string
  readonly updatedAt: string
  /** The audit head at creation: earlier events are never sent to it. */
  readonly startSeq: number
  readonly consecutiveFailures: number
  readonly disabledAt?: string
  readonly disabledReason?: string
}

export interface SubscriptionRepository {
  /** The secret is written once and never read back through this port. */
  insert(subscription: WebhookSubscription, secret: string): Promise<void>
  /** `lock`: hold the row until the transaction ends (FOR UPDATE on PostgreSQL). */
  load(id: string, options?: { readonly lock?: boolean }): Promise<WebhookSubscription | undefined>
  list(): Promise<readonly WebhookSubscription[]>
  /** The subscriptions that are not disabled, as the dispatcher matches them. */
  enabled(): Promise<readonly WebhookTarget[]>
  /** Writes the health and disabled fields and `updatedAt`. */
  update(subscription: WebhookSubscription): Promise<void>
  /** Deletes it with its delivery log; false when there was none. */
  delete(id: string): Promise<boolean>
}

export interface NewDelivery extends DeliveryDraft {
  readonly id: string
  readonly createdAt: string
}

/** How an attempt ended, as written back. */
export interface DeliveryOutcome {
  readonly state: DeliveryState
  readonly at: string
  /** When `failed`: the next attempt. */
  readonly nextAttemptAt?: string
  readonly lastStatus?: number
  readonly lastError?: string
  readonly externalRef?: string
}

export interface DeliveryPageQuery {
  /** Only deliveries of events before this seq (the previous page's cursor). */
  readonly beforeSeq?: number
  readonly limit: number
}

export interface DeliveryRepository {
  /** Inserts what is not there yet (event and target unique); returns how many were new. */
  insert(deliveries: readonly NewDelivery[]): Promise<number>
  /**
   * Up to `limit` pending or failed deliveries due at `now`, skipping those of disabled
   * subscriptions and rows other nodes hold (SKIP LOCKED); each is counted as an attempt and
   * not due again before `leaseUntil`, so a node that dies mid-send only delays it.
   */
  claimDue(now: Date, limit: number, leaseUntil: Date): Promise<readonly ClaimedDelivery[]>
  /** Records the outcome unless another claim took the delivery since (`attempts` moved): then false. */
  settle(id: string, attempts: number, outcome: DeliveryOutcome): Promise<boolean>
  /** A subscription's deliveries, newest event first. */
  page(subscriptionId: string, query: DeliveryPageQuery): Promise<readonly Delivery[]>
  /** Deletes finished deliveries last changed before `before`; returns how many. */
  prune(before: string): Promise<number>
}

export interface RequestReader {
  load(id: string): Promise<ApprovalRequest | undefined>
}

export interface NotifyTransaction extends AuditedTransaction {
  readonly cursor: {
    /** The last seq dispatched, locked; undefined while another node's dispatcher holds it. */
    lock(): Promise<number | undefined>
    move(seq: number): Promise<void>
  }
  readonly events: {
    /** What says whether an event is for anyone: seq, type and subject, after `seq`, in order. */
    headingsAfter(seq: number, limit: number): Promise<readonly EventHeading[]>
    /** The events at `seqs`, whole, in seq order. */
    load(seqs: readonly number[]): Promise<readonly StoredAuditEvent[]>
    /** The seq of the audit head (0 for an empty log). */
    headSeq(): Promise<number>
  }
  readonly requests: RequestReader
  readonly subscriptions: SubscriptionRepository
  readonly deliveries: DeliveryRepository
}

export interface NotifyStore extends TransactionalStore<NotifyTransaction> {
  /** Reads a request outside any transaction (senders render messages from it). */
  readonly requests: RequestReader
  /** `channel:ts` of the Slack messages posted for a request, oldest first. */
  slackMessages(requestId: string): Promise<readonly string[]>
}

/** Where the services learn the time. */
export interface NotifyClock {
  now(): Date
}

/** The part of a pino logger the workers use. */
export interface NotifyLogger {
  warn(obj: object, msg: string): void
}
