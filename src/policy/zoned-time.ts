// Local time of day and weekday of an instant in an IANA time zone, for rules
// such as "only during office hours in Berlin". Formatters are costly to build,
// so one is kept per zone.

export class TimeZoneError extends Error {
  constructor(zone: string) {
    super(`'${zone}' is not a known IANA time zone (e.g. Europe/Berlin, America/New_York, UTC)`)
    this.name = 'TimeZoneError'
  }
}

const WEEKDAYS: Readonly<Record<string, string>> = {
  Mon: 'mon',
  Tue: 'tue',
  Wed: 'wed',
  Thu: 'thu',
  Fri: 'fri',
  Sat: 'sat',
  Sun: 'sun',
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

export class ZonedClock {
  readonly #formatters = new Map<string, Intl.DateTimeFormat>()
  /** The last answer per zone, by epoch minute: decisions made in the same minute share it. */
  readonly #last = new Map<string, { minute: number; time: LocalTime }>()

  localTime(instant: Date, zone: string): LocalTime {
    const minute = Math.floor(instant.getTime() / 60000)
    const last = this.#last.get(zone)
    if (last !== undefined && last.minute === minute) return last.time
    const time = this.#compute(instant, zone)
    if (this.#last.size > 256) this.#last.clear()
    this.#last.set(zone, { minute, time })
    return time
  }

  #compute(instant: Date, zone: string): LocalTime {
    let formatter = this.#formatters.get(zone)
    if (formatter === undefined) {
      if (!isTimeZone(zone)) throw new TimeZoneError(zone)
      formatter = new Intl.DateTimeFormat('en-US', {
        timeZone: zone,
        hourCycle: 'h23',
        hour: '2-digit',
        minute: '2-digit',
        weekday: 'short',
      })
      this.#formatters.set(zone, formatter)
    }
    let hour = 0
    let minute = 0
    let weekday = ''
    for (const part of formatter.formatToParts(instant)) {
      if (part.type === 'hour') hour = Number(part.value)
      else if (part.type === 'minute') minute = Number(part.value)
      else if (part.type === 'weekday') weekday = WEEKDAYS[part.value] ?? ''
    }
    return { minutes: hour * 60 + minute, weekday }
  }
}

/** True when `minutes` falls in [from, to); a range whose end is before its start wraps past midnight. */
export function inClockRange(minutes: number, from: number, to: number): boolean {
  return from <= to ? minutes >= from && minutes < to : minutes >= from || minutes < to
}
