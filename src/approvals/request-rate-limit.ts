// The limit on request creation: at most `max` creations per principal within a sliding
// window (the HTTP layer's caller limit). Each creation decides an action and writes to the
// audit log, so a client in a loop must not flood either.
import { type CallerLimit, CallerRateLimit } from '../http/index.ts'

export type CreationLimit = CallerLimit

export const DEFAULT_CREATION_LIMIT: CreationLimit = { max: 30, windowMs: 60_000 }

/** Refuses a principal's creations past `limit` with 429 `request_rate_limited`. */
export function creationLimiter(limit: CreationLimit): CallerRateLimit {
  return new CallerRateLimit(limit, 'request_rate_limited', 'requests may be created')
}
