// When a failed delivery is tried again, when it is given up, and when a webhook endpoint
// that keeps failing is disabled: pure decisions, with time and randomness passed in.
import type { DeliveryState, SendResult } from './delivery.ts'

export interface RetryPolicy {
  /** The wait before each retry: the first entry after the first failure, and so on. */
  readonly scheduleMs: readonly number[]
  /** ± this share of each wait, so that deliveries that failed together spread out. */
  readonly jitter: number
}

/** 5 s, 30 s, 2 min, 10 min, 30 min, 1 h, 2 h, 4 h, 8 h: ten attempts over about 16 hours. */
export const DEFAULT_RETRY_SCHEDULE_MS: readonly number[] = [
  5_000, 30_000, 120_000, 600_000, 1_800_000, 3_600_000, 7_200_000, 14_400_000, 28_800_000,
]
export const DEFAULT_JITTER = 0.2

/** The first attempt plus one per entry of the schedule. */
export function maxAttempts(policy: RetryPolicy): number {
  return policy.scheduleMs.length + 1
}

/**
 * The wait after failed attempt `attempts` (1-based), or undefined once the schedule is
 * spent. `random` returns [0, 1), like Math.random, injected for tests.
 */
export function retryDelayMs(
  attempts: number,
  policy: RetryPolicy,
  random: () => number,
): number | undefined {
  const base = policy.scheduleMs[attempts - 1]
  if (base === undefined) return undefined
  const spread = base * policy.jitter * (2 * random() - 1)
  return Math.max(0, Math.round(base + spread))
}

export type Settlement =
  | { readonly state: 'delivered' | 'skipped' | 'dead'; readonly nextAttemptAt?: undefined }
  | { readonly state: 'failed'; readonly nextAttemptAt: string }

/** Where a delivery goes after attempt number `attempts` ended in `result`. */
export function settleAttempt(
  attempts: number,
  result: SendResult,
  now: Date,
  policy: RetryPolicy,
  random: () => number,
): Settlement {
  if (result.ok) return { state: 'skipped' in result ? 'skipped' : 'delivered' }
  if (result.permanent === true) return { state: 'dead' }
  const delay = retryDelayMs(attempts, policy, random)
  if (delay === undefined) return { state: 'dead' }
  return { state: 'failed', nextAttemptAt: new Date(now.getTime() + delay).toISOString() }
}

export interface SubscriptionHealth {
  readonly consecutiveFailures: number
  readonly disabledAt?: string
}

export type HealthChange =
  | { readonly kind: 'unchanged' }
  | { readonly kind: 'reset' }
  | { readonly kind: 'counted'; readonly consecutiveFailures: number }
  | { readonly kind: 'disabled'; readonly consecutiveFailures: number; readonly reason: string }

/**
 * A success resets the count; a delivery given up counts one more, and the M-th in a row
 * disables the subscription. Retries in between do not count: an endpoint down for a minute
 * fails many attempts, but only one that stays down past a whole schedule is disabled.
 */
export function healthAfter(
  health: SubscriptionHealth,
  state: DeliveryState,
  disableAfter: number,
): HealthChange {
  if (state === 'delivered')
    return health.consecutiveFailures === 0 ? { kind: 'unchanged' } : { kind: 'reset' }
  if (state !== 'dead' || health.disabledAt !== undefined) return { kind: 'unchanged' }
  const consecutiveFailures = health.consecutiveFailures + 1
  if (consecutiveFailures < disableAfter) return { kind: 'counted', consecutiveFailures }
  return {
    kind: 'disabled',
    consecutiveFailures,
    reason: `${consecutiveFailures} deliveries in a row failed every attempt`,
  }
}
