// Instants as the approval records keep them: RFC 3339 strings in UTC with milliseconds,
// so a request or grant stays plain JSON for the store and the audit log. Time always
// comes in from the caller.

/** `now` as stored; an invalid Date is a bug in the caller, and comparing with NaN would pass checks. */
export function isoOf(now: Date): string {
  if (!(now instanceof Date) || Number.isNaN(now.getTime())) throw new RangeError('now must be a valid Date')
  return now.toISOString()
}

/** Milliseconds since the epoch of a stored instant. */
export function msOf(instant: string): number {
  return Date.parse(instant)
}

/** The stored instant `seconds` after `instant`. */
export function plusSeconds(instant: string, seconds: number): string {
  return new Date(msOf(instant) + seconds * 1000).toISOString()
}

/** True when `now` is at or after `instant`: deadlines take effect at their exact instant. */
export function reached(now: Date, instant: string): boolean {
  return now.getTime() >= msOf(instant)
}
