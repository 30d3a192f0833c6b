// The limit on request creation: at most `max` creations per principal within a sliding
// window. Each creation decides an action and writes to the audit log, so a client in a
// loop must not flood either. In memory, per node, like the failed-login limit whose
// sliding window it reuses: with N nodes a principal gets at most N × max.
import { FailureLimiter } from '../auth/index.ts'
import { JitgateError } from '../shared/index.ts'

export interface CreationLimit {
  /** Creations allowed per window; the next one is refused with 429. */
  readonly max: number
  readonly windowMs: number
}

export const DEFAULT_CREATION_LIMIT: CreationLimit = { max: 30, windowMs: 60_000 }

/** 429: too many requests created by one principal; `retryAfterSeconds` goes into Retry-After. */
export class RequestRateLimitedError extends JitgateError {
  readonly retryAfterSeconds: number

  constructor(retryAfterSeconds: number, limit: CreationLimit) {
    super(
      'request_rate_limited',
      `at most ${limit.max} requests may be created per ${Math.round(limit.windowMs / 1000)} s; try again in ${retryAfterSeconds} s`,
      { status: 429 },
    )
    this.retryAfterSeconds = retryAfterSeconds
  }
}

export class CreationLimiter {
  readonly #window: FailureLimiter

  constructor(private readonly limit: CreationLimit) {
    this.#window = new FailureLimiter({ maxFailures: limit.max, windowMs: limit.windowMs })
  }

  /** Counts one creation by `principalId`; throws RequestRateLimitedError when over the limit. */
  take(principalId: string, nowMs: number): void {
    const wait = this.#window.retryAfterSeconds(principalId, nowMs)
    if (wait > 0) throw new RequestRateLimitedError(wait, this.limit)
    this.#window.recordFailure(principalId, nowMs)
  }
}
