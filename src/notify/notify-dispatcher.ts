// The outbox's dispatcher. The audit log already records every change, in the transaction of
// the change, in seq order: it is the outbox. The dispatcher keeps a cursor (the last seq it
// handled) and, in one transaction, locks the cursor, reads the next events, turns them into
// deliveries, inserts them and moves the cursor: a crash loses nothing and repeats nothing,
// and nothing of this runs on the request's path. One node at a time holds the cursor; the
// others skip it (SKIP LOCKED) rather than wait.
import type { ApprovalRequest } from '../approvals/index.ts'
import { PollingLoop } from '../shared/index.ts'
import type { DeliveryDraft } from './delivery.ts'
import { DELIVERY_CHANNEL, type NotifyClock, type NotifyLogger, type NotifyStore } from './notify-ports.ts'
import { isWanted, needsRequest, planDeliveries, type Routing } from './plan-deliveries.ts'

export interface NotifyDispatcherDeps {
  readonly store: NotifyStore
  readonly clock: NotifyClock
  readonly newId: () => string
  readonly routing: Routing
  /** Audit events per transaction (default 100). */
  readonly batchSize?: number
  /** How long an idle dispatcher waits before looking again, unless woken (default 1 s). */
  readonly pollMs?: number
  readonly log?: NotifyLogger
}

export interface DispatchResult {
  /** Audit events handled; 0 when there were none or another node holds the cursor. */
  readonly events: number
  readonly deliveries: number
}

const SILENT: NotifyLogger = { warn: () => undefined }

export class NotifyDispatcher {
  readonly #loop: PollingLoop
  readonly #batchSize: number

  constructor(private readonly deps: NotifyDispatcherDeps) {
    this.#batchSize = deps.batchSize ?? 100
    this.#loop = new PollingLoop(
      async () => (await this.dispatchOnce()).events === this.#batchSize,
      deps.pollMs ?? 1_000,
      deps.log ?? SILENT,
      'dispatching notifications',
    )
  }

  /** Handles the next batch of audit events after the cursor, in one transaction. */
  dispatchOnce(): Promise<DispatchResult> {
    return this.deps.store.transact(async (tx) => {
      const cursor = await tx.cursor.lock()
      if (cursor === undefined) return { events: 0, deliveries: 0 }
      const headings = await tx.events.headingsAfter(cursor, this.#batchSize)
      const last = headings[headings.length - 1]
      if (last === undefined) return { events: 0, deliveries: 0 }
      const now = this.deps.clock.now()
      const subscriptions = await tx.subscriptions.enabled()
      const { routing } = this.deps
      const wanted = headings.filter((heading) => isWanted(heading, subscriptions, routing))
      const events = await tx.events.load(wanted.map((heading) => heading.seq))
      const requests = new Map<string, ApprovalRequest | undefined>()
      const drafts: DeliveryDraft[] = []
      for (const event of events) {
        let request: ApprovalRequest | undefined
        if (needsRequest(event, routing)) {
          const id = event.subject.id
          if (!requests.has(id)) requests.set(id, await tx.requests.load(id))
          request = requests.get(id)
        }
        drafts.push(
          ...planDeliveries({
            event,
            subscriptions,
            routing,
            now,
            ...(request === undefined ? {} : { request }),
          }),
        )
      }
      const createdAt = now.toISOString()
      const inserted = await tx.deliveries.insert(
        drafts.map((d) => ({ ...d, id: this.deps.newId(), createdAt })),
      )
      await tx.cursor.move(last.seq)
      if (inserted > 0) await tx.notify(DELIVERY_CHANNEL, '')
      return { events: headings.length, deliveries: inserted }
    })
  }

  start(): void {
    this.#loop.start()
  }

  stop(): Promise<void> {
    return this.#loop.stop()
  }

  /** New audit events may be there (a notification): look now. */
  wake(): void {
    this.#loop.wake()
  }
}
