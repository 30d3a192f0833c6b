// Durations as people write them in policies and configuration: `90s`, `15m`, `1h30m`, `2d`.

const UNIT_SECONDS: Readonly<Record<string, number>> = { s: 1, m: 60, h: 3600, d: 86400, w: 604800 }
const DURATION = /^(?:\d{1,6}[smhdw])+$/
const PART = /(\d{1,6})([smhdw])/g

/** Seconds in the duration, or undefined when the text is not a duration. */
export function parseDuration(text: string): number | undefined {
  if (!DURATION.test(text)) return undefined
  let seconds = 0
  for (const [, amount, unit] of text.matchAll(PART))
    seconds += Number(amount) * (UNIT_SECONDS[unit as string] ?? 0)
  return seconds > 0 ? seconds : undefined
}

/** The shortest way to write `seconds` back as a duration. */
export function formatDuration(seconds: number): string {
  let rest = seconds
  let out = ''
  for (const [unit, size] of [
    ['d', 86400],
    ['h', 3600],
    ['m', 60],
    ['s', 1],
  ] as const) {
    const n = Math.floor(rest / size)
    if (n > 0) {
      out += `${n}${unit}`
      rest -= n * size
    }
  }
  return out === '' ? '0s' : out
}
