// Counts failed authentications per client address over a sliding window, so that a client
// past the limit is refused before its credentials are even checked. Time is passed in.
//
// In memory, per node: with N nodes a client gets at most N × the limit, which is still a
// bound on guessing (and 256-bit key secrets are not guessable anyway: the limit is against
// noise in the logs and load). A shared count would cost a store write per failure, which
// an attacker could then cause at will. Successes are not counted, so a busy honest client
// is never limited. Memory is bounded: past `maxClients`, the client that failed least
// recently is forgotten.

export interface FailureLimit {
  /** Failures allowed per window; the next attempt is refused. */
  readonly maxFailures: number
  readonly windowMs: number
  /** Clients remembered at most (default 10,000). */
  readonly maxClients?: number
}

const DEFAULT_MAX_CLIENTS = 10_000

export class FailureLimiter {
  // The times (ms) of each client's latest failures, oldest first, at most maxFailures.
  readonly #failures = new Map<string, number[]>()
  readonly #maxClients: number

  constructor(private readonly limit: FailureLimit) {
    if (!Number.isInteger(limit.maxFailures) || limit.maxFailures < 1)
      throw new RangeError('maxFailures must be a whole number of at least 1')
    if (!Number.isFinite(limit.windowMs) || limit.windowMs <= 0)
      throw new RangeError('windowMs must be positive')
    this.#maxClients = limit.maxClients ?? DEFAULT_MAX_CLIENTS
  }

  /** Whole seconds until `client` may try again (at least 1), or 0 when it may now. */
  retryAfterSeconds(client: string, nowMs: number): number {
    const times = this.#recent(client, nowMs)
    const oldest = times[0]
    if (oldest === undefined || times.length < this.limit.maxFailures) return 0
    return Math.max(1, Math.ceil((oldest + this.limit.windowMs - nowMs) / 1000))
  }

  /** Counts one failure of `client` at `nowMs`. */
  recordFailure(client: string, nowMs: number): void {
    const times = this.#recent(client, nowMs)
    times.push(nowMs)
    if (times.length > this.limit.maxFailures) times.shift()
    // Re-inserted last, so the first key is always the client that failed least recently.
    this.#failures.delete(client)
    this.#failures.set(client, times)
    while (this.#failures.size > this.#maxClients) {
      const first = this.#failures.keys().next()
      if (first.done === true) break
      this.#failures.delete(first.value)
    }
  }

  /** Clients currently remembered (for tests and metrics). */
  get size(): number {
    return this.#failures.size
  }

  #recent(client: string, nowMs: number): number[] {
    const times = this.#failures.get(client)
    if (times === undefined) return []
    const since = nowMs - this.limit.windowMs
    while (times.length > 0 && (times[0] ?? 0) <= since) times.shift()
    if (times.length === 0) this.#failures.delete(client)
    return times
  }
}
