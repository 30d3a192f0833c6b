// Prints the benchmark results as an aligned text table for people; the JSON
// line for machines is printed by the benchmark itself.
import type { Summary } from './measure.ts'

export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const all = [header, ...rows]
  const widths = header.map((_, c) => Math.max(...all.map((r) => (r[c] ?? '').length)))
  // Left-align the first column (names), right-align the rest (numbers).
  const line = (r: readonly string[]) =>
    r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c] ?? 0) : cell.padStart(widths[c] ?? 0))).join('  ')
  const rule = widths.map((w) => '-'.repeat(w)).join('  ')
  return [line(header), rule, ...rows.map(line)].join('\n')
}

export const fmt = (n: number, digits = 1): string =>
  n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })

export function engineRow(name: string, s: Summary): string[] {
  return [name, fmt(s.count, 0), fmt(s.perSecond, 0), fmt(s.meanUs, 2), fmt(s.p50Us, 2), fmt(s.p99Us, 2)]
}

export const ENGINE_HEADER = ['engine', 'decisions', 'decisions/s', 'mean µs', 'p50 µs', 'p99 µs'] as const

/** Counts of each value, most frequent first, as "value n (x%)". */
export function distribution(values: readonly string[]): string {
  const counts = new Map<string, number>()
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1)
  return [...counts]
    .sort((a, b) => b[1] - a[1])
    .map(([v, n]) => `${v} ${n} (${fmt((100 * n) / values.length)}%)`)
    .join(', ')
}
