// Bounds on what a client holds open: long polls and event streams cost a socket, a watch
// and memory each for as long as they last, so one principal may keep only so many at once,
// and a stream is checked against its credential now and then, so a revoked or expired key
// does not keep receiving request changes on a stream opened before.
import { JitgateError } from '../shared/index.ts'

export interface LiveLimits {
  /** Long polls one principal may have open at once on this node. */
  readonly maxWaitsPerPrincipal: number
  /** Event streams one principal may have open at once on this node. */
  readonly maxStreamsPerPrincipal: number
  /** How often an open stream's credentials are checked again. */
  readonly credentialRecheckMs: number
}

export const DEFAULT_LIVE_LIMITS: LiveLimits = {
  maxWaitsPerPrincipal: 32,
  maxStreamsPerPrincipal: 8,
  credentialRecheckMs: 60_000,
}

/** 429: the principal holds as many long polls or streams as allowed. */
export class LiveLimitError extends JitgateError {
  readonly retryAfterSeconds = 1

  constructor(what: 'long polls' | 'event streams', max: number) {
    super('too_many_open', `at most ${max} ${what} may be open at once per caller`, {
      status: 429,
      details: [
        {
          path: what === 'long polls' ? 'wait' : 'events',
          message: `${max} are open already`,
          hint:
            what === 'long polls'
              ? 'wait on fewer requests at once, or follow them all on one GET /v1/events stream'
              : 'share one stream between the tabs or processes of one caller',
        },
      ],
    })
  }
}

/** Counts what each principal holds open; take() before opening, the release it returns after. */
export class OpenCounter {
  readonly #open = new Map<string, number>()

  constructor(
    private readonly max: number,
    private readonly what: 'long polls' | 'event streams',
  ) {}

  /** Counts one more for `principalId`, or throws LiveLimitError; the function releases it (once). */
  take(principalId: string): () => void {
    const open = this.#open.get(principalId) ?? 0
    if (open >= this.max) throw new LiveLimitError(this.what, this.max)
    this.#open.set(principalId, open + 1)
    let released = false
    return () => {
      if (released) return
      released = true
      const left = (this.#open.get(principalId) ?? 1) - 1
      if (left === 0) this.#open.delete(principalId)
      else this.#open.set(principalId, left)
    }
  }

  /** Open now, for `principalId`. */
  count(principalId: string): number {
    return this.#open.get(principalId) ?? 0
  }
}
