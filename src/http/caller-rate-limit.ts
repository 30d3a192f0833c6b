// At most `max` calls of one kind per caller within a sliding window, refused with 429 and
// Retry-After beyond. For calls that each decide an action and write to the audit log
// (creating a request, asking for a decision): a client in a loop must not flood either.
// In memory, per node, with the failed-login limit's sliding window: with N nodes a caller
// gets at most N × max.
import type { FastifyReply } from 'fastify'
import { FailureLimiter } from '../auth/index.ts'
import { JitgateError } from '../shared/index.ts'

export interface CallerLimit {
  /** Calls allowed per window; the next one is refused with 429. */
  readonly max: number
  readonly windowMs: number
}

/** 429: too many calls of one kind by one caller; `retryAfterSeconds` goes into Retry-After. */
export class CallerRateLimitedError extends JitgateError {
  readonly retryAfterSeconds: number

  constructor(code: string, what: string, retryAfterSeconds: number, limit: CallerLimit) {
    super(
      code,
      `at most ${limit.max} ${what} per ${Math.round(limit.windowMs / 1000)} s; try again in ${retryAfterSeconds} s`,
      { status: 429 },
    )
    this.retryAfterSeconds = retryAfterSeconds
  }
}

export class CallerRateLimit {
  readonly #window: FailureLimiter

  /** `code` is the error's stable code; `what` reads after "at most N", e.g. "requests may be created". */
  constructor(
    private readonly limit: CallerLimit,
    private readonly code: string,
    private readonly what: string,
  ) {
    this.#window = new FailureLimiter({ maxFailures: limit.max, windowMs: limit.windowMs })
  }

  /** Counts one call by `callerId`; over the limit, sets Retry-After on `reply` and throws the 429. */
  take(callerId: string, nowMs: number, reply?: FastifyReply): void {
    const wait = this.#window.retryAfterSeconds(callerId, nowMs)
    if (wait > 0) {
      reply?.header('retry-after', String(wait))
      throw new CallerRateLimitedError(this.code, this.what, wait, this.limit)
    }
    this.#window.recordFailure(callerId, nowMs)
  }
}
