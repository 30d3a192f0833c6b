// The node's one subscription to REQUEST_CHANNEL, fanned out in process: long polls watch
// one request id, event streams hear every id. On PostgreSQL the channel is LISTEN/NOTIFY,
// so an approval committed on another node wakes the waiters here at once; nobody polls
// the store. A wake-up is a hint: whoever wakes reads the request again.
import { REQUEST_CHANNEL } from './approval-ports.ts'

/** The store's notifier as far as this needs it (src/store/notifier.ts). */
export interface RequestNotifier {
  /** `handler` gets the payload, or null after a lost connection (anything may have changed). */
  subscribe(channel: string, handler: (payload: string | null) => void): Promise<() => Promise<void>>
}

/** Told of a changed request id, or of null: look again at everything. */
export type ChangeListener = (id: string | null) => void

/** One waiter's view of one request: changes are remembered until `next` takes them. */
export class RequestWatch {
  #missed = false
  #ended = false
  #wake: ((changed: boolean) => void) | undefined

  constructor(private readonly release: (watch: RequestWatch) => void) {}

  /** True once the request changed since the last call (at once when it already had); false once ended. */
  next(): Promise<boolean> {
    if (this.#ended) return Promise.resolve(false)
    if (this.#missed) {
      this.#missed = false
      return Promise.resolve(true)
    }
    return new Promise((resolve) => {
      this.#wake = resolve
    })
  }

  /** Called by the fan-out. */
  changed(): void {
    if (this.#wake === undefined) this.#missed = true
    else this.#settle(true)
  }

  /** Stops waiting (timeout, client gone, server closing): `next` resolves false. Idempotent. */
  end(): void {
    if (this.#ended) return
    this.#ended = true
    this.release(this)
    this.#settle(false)
  }

  #settle(changed: boolean): void {
    const wake = this.#wake
    this.#wake = undefined
    wake?.(changed)
  }
}

export class RequestWaiters {
  readonly #watches = new Map<string, Set<RequestWatch>>()
  readonly #listeners = new Set<ChangeListener>()
  #unsubscribe: (() => Promise<void>) | undefined

  /** Subscribes once; resolves when notifications are being received. */
  async start(notifier: RequestNotifier): Promise<void> {
    this.#unsubscribe ??= await notifier.subscribe(REQUEST_CHANNEL, (payload) => this.#deliver(payload))
  }

  /** Ends every watch (their long polls answer now) and drops the subscription. */
  async stop(): Promise<void> {
    for (const set of [...this.#watches.values()]) for (const watch of [...set]) watch.end()
    this.#listeners.clear()
    const unsubscribe = this.#unsubscribe
    this.#unsubscribe = undefined
    await unsubscribe?.()
  }

  /** Watches request `id` until the watch is ended; take one before reading the request, so no change slips by. */
  watch(id: string): RequestWatch {
    const watch = new RequestWatch((w) => this.#release(id, w))
    const set = this.#watches.get(id) ?? new Set()
    set.add(watch)
    this.#watches.set(id, set)
    return watch
  }

  /** Hears every change until the returned function is called. */
  listen(listener: ChangeListener): () => void {
    this.#listeners.add(listener)
    return () => void this.#listeners.delete(listener)
  }

  /** Watches and listeners currently held (for tests and metrics). */
  get size(): { readonly watches: number; readonly listeners: number } {
    let watches = 0
    for (const set of this.#watches.values()) watches += set.size
    return { watches, listeners: this.#listeners.size }
  }

  #release(id: string, watch: RequestWatch): void {
    const set = this.#watches.get(id)
    if (set === undefined) return
    set.delete(watch)
    if (set.size === 0) this.#watches.delete(id)
  }

  #deliver(payload: string | null): void {
    const sets = payload === null ? [...this.#watches.values()] : [this.#watches.get(payload) ?? new Set()]
    for (const set of sets) for (const watch of set) watch.changed()
    for (const listener of this.#listeners) listener(payload)
  }
}
