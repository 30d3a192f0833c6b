// Starts and stops the two notification workers of a node together, and wires their
// wake-ups: new audit events (PostgreSQL notifies on every append) and request changes wake
// the dispatcher; queued deliveries wake the senders of every node. Polling covers the rest
// (SQLite's audit appends notify nobody, and a lost notification connection misses some).
import { REQUEST_CHANNEL } from '../approvals/index.ts'
import { coalescedCall } from '../shared/index.ts'
import type { DeliverySender } from './delivery-sender.ts'
import type { NotifyDispatcher } from './notify-dispatcher.ts'
import { DELIVERY_CHANNEL } from './notify-ports.ts'

/** The store's notifier, as far as the workers need it. */
export interface WakeUps {
  subscribe(channel: string, handler: (payload: string | null) => void): Promise<() => Promise<void>>
}

export interface NotifyWorkersDeps {
  readonly dispatcher: Pick<NotifyDispatcher, 'start' | 'stop' | 'wake'>
  readonly sender: Pick<DeliverySender, 'start' | 'stop' | 'wake'>
  readonly wakeUps: WakeUps
  /** The channel audit appends notify (the store's AUDIT_CHANNEL). */
  readonly auditChannel: string
  /**
   * How long a wake-up of the dispatcher waits (default 20 ms), so that the readers of a change
   * (a client waiting on the request) go first, and a burst of changes is one pass.
   */
  readonly deferMs?: number
}

export class NotifyWorkers {
  #unsubscribe: (() => Promise<void>)[] = []
  #cancel: () => void = () => undefined

  constructor(private readonly deps: NotifyWorkersDeps) {}

  async start(): Promise<void> {
    const { dispatcher, sender, wakeUps } = this.deps
    const wakeDispatcher = coalescedCall(() => dispatcher.wake(), this.deps.deferMs ?? 20)
    this.#cancel = wakeDispatcher.cancel
    for (const channel of [this.deps.auditChannel, REQUEST_CHANNEL])
      this.#unsubscribe.push(await wakeUps.subscribe(channel, wakeDispatcher))
    this.#unsubscribe.push(await wakeUps.subscribe(DELIVERY_CHANNEL, () => sender.wake()))
    dispatcher.start()
    sender.start()
  }

  /** Stops listening, then lets both workers finish what they hold. */
  async stop(): Promise<void> {
    const unsubscribe = this.#unsubscribe
    this.#unsubscribe = []
    await Promise.all(unsubscribe.map((fn) => fn()))
    this.#cancel()
    await Promise.all([this.deps.dispatcher.stop(), this.deps.sender.stop()])
  }
}
