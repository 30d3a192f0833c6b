// Wake-ups between nodes: "something changed, look again" (a request was decided, an
// execution slot freed). A notification carries a hint, never the data: handlers read the
// store. On SQLite there is one node, so an in-process notifier is enough; PostgreSQL uses
// LISTEN/NOTIFY (postgres-notifier.ts). Sent inside a transaction, a notification goes out
// when it commits and never when it rolls back, on both dialects.
import type { Transaction } from 'kysely'
import { JitgateError } from '../shared/index.ts'
import type { Database } from './schema.ts'
import { afterCommit } from './transaction.ts'

/**
 * Called with the payload, or with null when the connection was lost and is back:
 * notifications may have been missed meanwhile, so look at the store again.
 */
export type NotificationHandler = (payload: string | null) => void

export type Unsubscribe = () => Promise<void>

export interface Notifier {
  /** Sends now, or when `trx` (opened by withTransaction) commits; never if it rolls back. */
  notify(channel: string, payload?: string, trx?: Transaction<Database>): Promise<void>
  /** Resolves once notifications on `channel` are being received. */
  subscribe(channel: string, handler: NotificationHandler): Promise<Unsubscribe>
  close(): Promise<void>
}

/** The part of a pino logger the notifiers need. */
export interface NotifierLogger {
  warn(obj: object, msg: string): void
}

const CHANNEL = /^[a-z][a-z0-9_]{0,62}$/
// PostgreSQL's NOTIFY payload limit; enforced on SQLite too so both behave alike.
const MAX_PAYLOAD_BYTES = 7999

/** Throws `store_channel_invalid` or `store_payload_too_large`. */
export function checkNotification(channel: string, payload: string): void {
  if (!CHANNEL.test(channel)) {
    throw new JitgateError('store_channel_invalid', `channel '${channel.slice(0, 80)}' is not a valid name`, {
      details: [{ path: 'channel', message: 'must match [a-z][a-z0-9_]*, at most 63 characters' }],
    })
  }
  if (Buffer.byteLength(payload) > MAX_PAYLOAD_BYTES) {
    throw new JitgateError(
      'store_payload_too_large',
      `the payload on '${channel}' is over ${MAX_PAYLOAD_BYTES} bytes`,
      {
        details: [{ path: 'payload', message: 'send an id and let the handler read the store' }],
      },
    )
  }
}

/** Handlers by channel; calls each on its own, so one that throws does not silence the others. */
export class Subscriptions {
  readonly #handlers = new Map<string, Set<NotificationHandler>>()

  constructor(private readonly log: NotifierLogger) {}

  /** Adds the handler; true when it is the channel's first. */
  add(channel: string, handler: NotificationHandler): boolean {
    const set = this.#handlers.get(channel) ?? new Set()
    set.add(handler)
    this.#handlers.set(channel, set)
    return set.size === 1
  }

  /** Removes the handler; true when the channel has none left. */
  remove(channel: string, handler: NotificationHandler): boolean {
    const set = this.#handlers.get(channel)
    if (set === undefined || !set.delete(handler)) return false
    if (set.size > 0) return false
    this.#handlers.delete(channel)
    return true
  }

  has(channel: string): boolean {
    return this.#handlers.has(channel)
  }

  channels(): string[] {
    return [...this.#handlers.keys()]
  }

  deliver(channel: string, payload: string | null): void {
    for (const handler of this.#handlers.get(channel) ?? []) {
      try {
        handler(payload)
      } catch (error) {
        this.log.warn({ err: error, channel }, 'notification handler failed')
      }
    }
  }

  clear(): void {
    this.#handlers.clear()
  }
}

/** The notifier of a single node (SQLite): delivery in this process only. */
export class LocalNotifier implements Notifier {
  readonly #subscriptions: Subscriptions

  constructor(log: NotifierLogger) {
    this.#subscriptions = new Subscriptions(log)
  }

  async notify(channel: string, payload = '', trx?: Transaction<Database>): Promise<void> {
    checkNotification(channel, payload)
    // Delivered after the committing call's own code, never inside it, as a notification
    // from PostgreSQL would be; but as a microtask, not on a later turn of the event loop, so
    // a client waiting on the change is answered alongside the one that made it, not after.
    const send = () => queueMicrotask(() => this.#subscriptions.deliver(channel, payload))
    if (trx === undefined) send()
    else afterCommit(trx, send)
  }

  async subscribe(channel: string, handler: NotificationHandler): Promise<Unsubscribe> {
    checkNotification(channel, '')
    this.#subscriptions.add(channel, handler)
    return async () => {
      this.#subscriptions.remove(channel, handler)
    }
  }

  async close(): Promise<void> {
    this.#subscriptions.clear()
  }
}
