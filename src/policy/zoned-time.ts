// Local time of day and weekday of an instant in an IANA time zone, for rules
// such as "only during office hours in Berlin". Formatters are costly to build,
// so one is kept per zone.

export class TimeZoneError extends Error {
  constructor(zone: string) {
    super(`'${zone}' is not a known IANA time zone (e.g. Europe/Berlin, America/New_York, UTC)`)
    this.name = 'TimeZoneError'
  }
}

export interface LocalTime {
  /** Minutes since local midnight. */
  readonly minutes: number
  /** `mon` … `sun`. */
  readonly weekday: string
}

export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone })
    return true
  } catch {
    return false
  }
}

/** `HH:MM` (24-hour) to minutes since midnight, or undefined. */
export function parseClock(text: string): number | undefined {
  const m = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(text)
  return m === null ? undefined : Number(m[1]) * 60 + Number(m[2])
}

const MINUTE = 60_000
const DAY = 86_400_000
/** Offsets change only at transitions, which fall on quarter hours (UTC) in every zone in use. */
const BUCKET = 15 * MINUTE
const BUCKETS_PER_ZONE = 100_000
/** Day 0 of the epoch, 1970-01-01, was a Thursday. */
const EPOCH_WEEKDAYS = ['thu', 'fri', 'sat', 'sun', 'mon', 'tue', 'wed'] as const

/**
 * Local time from the zone's UTC offset, which is looked up with Intl once per zone and
 * quarter hour and cached: formatting a date costs microseconds, adding an offset nothing.
 */
export class ZonedClock {
  readonly #formatters = new Map<string, Intl.DateTimeFormat>()
  readonly #offsets = new Map<string, Map<number, number>>()

  localTime(instant: Date, zone: string): LocalTime {
    const t = instant.getTime()
    const local = t + this.#offsetMinutes(t, zone) * MINUTE
    const minutes = (((Math.floor(local / MINUTE) % 1440) + 1440) % 1440) as number
    const day = Math.floor(local / DAY)
    return { minutes, weekday: EPOCH_WEEKDAYS[((day % 7) + 7) % 7] as string }
  }

  #offsetMinutes(t: number, zone: string): number {
    let offsets = this.#offsets.get(zone)
    if (offsets === undefined) {
      offsets = new Map()
      this.#offsets.set(zone, offsets)
    }
    const bucket = Math.floor(t / BUCKET)
    const cached = offsets.get(bucket)
    if (cached !== undefined) return cached
    const start = this.#exactOffset(bucket * BUCKET, zone)
    // A transition inside the bucket (a zone off the quarter-hour grid): no caching.
    if (this.#exactOffset(bucket * BUCKET + BUCKET - 1, zone) !== start) return this.#exactOffset(t, zone)
    if (offsets.size >= BUCKETS_PER_ZONE) offsets.clear()
    offsets.set(bucket, start)
    return start
  }

  /** The zone's offset from UTC at `t`, in minutes, as Intl reports the local wall clock. */
  #exactOffset(t: number, zone: string): number {
    let formatter = this.#formatters.get(zone)
    if (formatter === undefined) {
      if (!isTimeZone(zone)) throw new TimeZoneError(zone)
      formatter = new Intl.DateTimeFormat('en-US', {
        timeZone: zone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
      })
      this.#formatters.set(zone, formatter)
    }
    const f: Record<string, number> = {}
    for (const part of formatter.formatToParts(t))
      if (part.type !== 'literal') f[part.type] = Number(part.value)
    const wall = Date.UTC(f.year ?? 1970, (f.month ?? 1) - 1, f.day ?? 1, f.hour ?? 0, f.minute ?? 0)
    return Math.round((wall - Math.floor(t / MINUTE) * MINUTE) / MINUTE)
  }
}

/** True when `minutes` falls in [from, to); a range whose end is before its start wraps past midnight. */
export function inClockRange(minutes: number, from: number, to: number): boolean {
  return from <= to ? minutes >= from && minutes < to : minutes >= from || minutes < to
}
