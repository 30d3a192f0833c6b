// An execution of an approved request as plain data: the queue entry a worker claims,
// holds under a lease and finishes, with the limits it counts against. The store keeps it
// as is; the functions of execution-lease.ts are the only way it changes.

/** queued → running → done | failed; a running execution whose lease ran out is resumed or failed. */
export type ExecutionState = 'queued' | 'running' | 'done' | 'failed'

/** One budget an execution draws on, from the decision's concurrency and rate limits. */
export interface ExecutionLimit {
  /** Names the budget: executions with the same key share it (see execution-limits.ts). */
  readonly key: string
  readonly kind: 'concurrency' | 'rate'
  readonly max: number
  /** The window of a rate limit; absent for a concurrency limit. */
  readonly perSeconds?: number
}

export interface ExecutionRecord {
  readonly id: string
  readonly requestId: string
  readonly state: ExecutionState
  /** Executions with the same limits share a key and start in FIFO order of `queuedAt`. */
  readonly queueKey: string
  readonly queuedAt: string
  readonly leaseOwner?: string
  readonly leaseExpiresAt?: string
  /** Leases taken so far: more than one means an executor died holding it. */
  readonly attempts: number
  /** Running the action again is harmless (the endpoint de-duplicates by idempotency key). */
  readonly idempotent: boolean
  /** Sent with every attempt, so that a resumed execution is recognised as the same one. */
  readonly idempotencyKey: string
  /** What the executor reported, e.g. the HTTP status; never a response body. */
  readonly resultStatus?: number
  /** Why it failed: a short, non-personal summary. */
  readonly error?: string
  readonly startedAt?: string
  readonly finishedAt?: string
  readonly updatedAt: string
  readonly limits: readonly ExecutionLimit[]
}

/** What an executor reports: `ok`, or `failed` with a reason; `resultStatus` e.g. an HTTP status. */
export interface ExecutionResult {
  readonly status: 'ok' | 'failed'
  readonly resultStatus?: number
  readonly detail?: string
}
