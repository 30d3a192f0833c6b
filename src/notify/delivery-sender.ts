// The outbox's sender, on every node: claims due deliveries (SKIP LOCKED, so nodes take
// different ones), sends them outside any transaction, and records each outcome: delivered,
// failed with its next attempt (backoff with jitter), or dead once the schedule is spent. A
// webhook subscription whose deliveries keep dying is disabled, with an audit event.

import { PollingLoop } from '../shared/index.ts'
import type { ClaimedDelivery, DeliveryChannel, DeliveryChannelSender, SendResult } from './delivery.ts'
import { shortError } from './delivery.ts'
import type { NotifyClock, NotifyLogger, NotifyStore, NotifyTransaction } from './notify-ports.ts'
import { healthAfter, type RetryPolicy, type Settlement, settleAttempt } from './retry-policy.ts'

export interface DeliverySenderDeps {
  readonly store: NotifyStore
  readonly channels: Partial<Record<DeliveryChannel, DeliveryChannelSender>>
  readonly clock: NotifyClock
  readonly retry: RetryPolicy
  /** [0, 1), for the jitter; injected for tests. */
  readonly random: () => number
  /** Dead deliveries in a row that disable a webhook subscription. */
  readonly disableAfterFailures: number
  /** Deliveries claimed and sent at once (default 8). */
  readonly concurrency?: number
  /** Each call a channel makes times out after this (default 10 s); a whole send after three times it. */
  readonly sendTimeoutMs?: number
  readonly pollMs?: number
  /** Finished deliveries are deleted this long after they finished (default 30 days). */
  readonly keepMs?: number
  readonly log?: NotifyLogger
}

const SILENT: NotifyLogger = { warn: () => undefined }
const SYSTEM = { type: 'system', id: 'jitgate' } as const
const PRUNE_EVERY_MS = 60 * 60 * 1000
const LEASE_MARGIN_MS = 10_000

export class DeliverySender {
  readonly #loop: PollingLoop
  #prunedAt = 0

  constructor(private readonly deps: DeliverySenderDeps) {
    this.#loop = new PollingLoop(
      () => this.sendDue(),
      deps.pollMs ?? 1_000,
      deps.log ?? SILENT,
      'sending notifications',
    )
  }

  /** Claims and sends one round of due deliveries; true when the round was full (more may be due). */
  async sendDue(): Promise<boolean> {
    const now = this.deps.clock.now()
    const limit = this.deps.concurrency ?? 8
    // Nobody else sends it while this node may still be at it: the lease outlasts the deadline.
    const leaseUntil = new Date(now.getTime() + this.#deadlineMs() + LEASE_MARGIN_MS)
    const claimed = await this.deps.store.transact((tx) => tx.deliveries.claimDue(now, limit, leaseUntil))
    await Promise.all(claimed.map((delivery) => this.#deliver(delivery)))
    await this.#pruneNow(now)
    return claimed.length === limit
  }

  start(): void {
    this.#loop.start()
  }

  stop(): Promise<void> {
    return this.#loop.stop()
  }

  /** Deliveries were queued (a notification): look now. */
  wake(): void {
    this.#loop.wake()
  }

  async #deliver(delivery: ClaimedDelivery): Promise<void> {
    const result = await this.#send(delivery)
    const now = this.deps.clock.now()
    const settlement = settleAttempt(delivery.attempts, result, now, this.deps.retry, this.deps.random)
    try {
      await this.deps.store.transact((tx) => this.#record(tx, delivery, result, settlement, now))
    } catch (error) {
      // The claim runs out and the delivery is sent again: at least once.
      this.#log().warn({ err: error, delivery: delivery.id }, 'recording a delivery failed')
    }
  }

  async #send(delivery: ClaimedDelivery): Promise<SendResult> {
    const channel = this.deps.channels[delivery.channel]
    if (channel === undefined)
      return { ok: false, error: `${delivery.channel} is not configured`, permanent: true }
    let timer: NodeJS.Timeout | undefined
    const deadline = new Promise<SendResult>((resolve) => {
      timer = setTimeout(
        () => resolve({ ok: false, error: 'no outcome within the send deadline' }),
        this.#deadlineMs(),
      )
    })
    try {
      return await Promise.race([channel.send(delivery), deadline])
    } catch (error) {
      this.#log().warn({ err: error, delivery: delivery.id }, 'a notification channel threw')
      return { ok: false, error: 'the channel failed unexpectedly' }
    } finally {
      clearTimeout(timer)
    }
  }

  // Channels time out each call; a send may make a few (SMTP connect, greeting, data; several
  // Slack updates), so the backstop allows three.
  #deadlineMs(): number {
    return (this.deps.sendTimeoutMs ?? 10_000) * 3
  }

  async #record(
    tx: NotifyTransaction,
    delivery: ClaimedDelivery,
    result: SendResult,
    settlement: Settlement,
    now: Date,
  ): Promise<void> {
    const settled = await tx.deliveries.settle(delivery.id, delivery.attempts, {
      state: settlement.state,
      at: now.toISOString(),
      ...(settlement.nextAttemptAt === undefined ? {} : { nextAttemptAt: settlement.nextAttemptAt }),
      ...('status' in result && result.status !== undefined ? { lastStatus: result.status } : {}),
      ...(!result.ok ? { lastError: shortError(result.error) } : {}),
      ...('skipped' in result ? { lastError: shortError(result.skipped) } : {}),
      ...('externalRef' in result && result.externalRef !== undefined
        ? { externalRef: result.externalRef }
        : {}),
    })
    if (!settled || delivery.subscriptionId === undefined) return
    const subscription = await tx.subscriptions.load(delivery.subscriptionId, { lock: true })
    if (subscription === undefined) return
    const change = healthAfter(subscription, settlement.state, this.deps.disableAfterFailures)
    if (change.kind === 'unchanged') return
    const at = now.toISOString()
    const consecutiveFailures = change.kind === 'reset' ? 0 : change.consecutiveFailures
    const disabled = change.kind === 'disabled' ? { disabledAt: at, disabledReason: change.reason } : {}
    await tx.subscriptions.update({ ...subscription, consecutiveFailures, updatedAt: at, ...disabled })
    if (change.kind !== 'disabled') return
    await tx.audit([
      {
        actor: SYSTEM,
        type: 'webhook.disabled',
        subject: { type: 'webhook', id: subscription.id },
        details: { reason: change.reason, consecutiveFailures },
      },
    ])
  }

  async #pruneNow(now: Date): Promise<void> {
    if (now.getTime() - this.#prunedAt < PRUNE_EVERY_MS) return
    this.#prunedAt = now.getTime()
    const before = new Date(now.getTime() - (this.deps.keepMs ?? 30 * 86_400_000)).toISOString()
    await this.deps.store.transact((tx) => tx.deliveries.prune(before))
  }

  #log(): NotifyLogger {
    return this.deps.log ?? SILENT
  }
}
