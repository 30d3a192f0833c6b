// Grant changes for whoever caches grant facts (the PostgreSQL gateway's policy gate): the
// node's subscription to GRANT_CHANNEL, on which a grant's use and revocation are announced
// (LISTEN/NOTIFY across nodes on PostgreSQL), fanned out in process. New grants are made by
// approvals, which announce only the request (REQUEST_CHANNEL): an approved request is
// passed on as "any grant may have changed", as is a lost store connection.
import {
  type ApprovalService,
  GRANT_CHANNEL,
  type RequestNotifier,
  type RequestWaiters,
} from '../approvals/index.ts'

/** A grant's id, or null: any grant may have changed (drop every cached grant fact). */
export type GrantChangeListener = (grantId: string | null) => void

export interface GrantChangesDeps {
  readonly notifier: RequestNotifier
  /** The node's request changes (started by the caller), for grants made by approvals. */
  readonly requests: Pick<RequestWaiters, 'listen'>
  readonly approvals: Pick<ApprovalService, 'get'>
  readonly log: { warn(details: object, message: string): void }
}

export class GrantChanges {
  readonly #listeners = new Set<GrantChangeListener>()
  #unsubscribe: (() => Promise<void>) | undefined
  #unlisten: (() => void) | undefined

  constructor(private readonly deps: GrantChangesDeps) {}

  /** Subscribes once; resolves when changes are being received. */
  async start(): Promise<void> {
    this.#unsubscribe ??= await this.deps.notifier.subscribe(GRANT_CHANNEL, (payload) =>
      this.#deliver(payload === '' ? null : payload),
    )
    this.#unlisten ??= this.deps.requests.listen((id) => {
      if (this.#listeners.size === 0) return
      if (id === null) return this.#deliver(null)
      this.#approved(id).then(
        (approved) => approved && this.#deliver(null),
        // Unreadable now: assume the worst, a cache dropped once too often costs a read.
        (error: unknown) => {
          this.deps.log.warn({ err: error, requestId: id }, 'a request change could not be read')
          this.#deliver(null)
        },
      )
    })
  }

  /** Hears every change until the returned function is called. */
  listen(listener: GrantChangeListener): () => void {
    this.#listeners.add(listener)
    return () => void this.#listeners.delete(listener)
  }

  async stop(): Promise<void> {
    this.#listeners.clear()
    this.#unlisten?.()
    this.#unlisten = undefined
    const unsubscribe = this.#unsubscribe
    this.#unsubscribe = undefined
    await unsubscribe?.()
  }

  async #approved(id: string): Promise<boolean> {
    return (await this.deps.approvals.get(id)).state === 'approved'
  }

  #deliver(grantId: string | null): void {
    for (const listener of [...this.#listeners]) {
      try {
        listener(grantId)
      } catch (error) {
        this.deps.log.warn({ err: error }, 'a grant change listener failed')
      }
    }
  }
}
