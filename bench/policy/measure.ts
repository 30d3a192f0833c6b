// Times decisions one by one with process.hrtime.bigint(), so the report can give
// latency percentiles and not just an average, and summarizes the samples.

export interface Timing {
  /** Decisions timed. */
  readonly count: number
  /** Wall time of the whole timed loop, timer calls included. */
  readonly wallNs: number
  /** Per-decision time in nanoseconds, `count` of them. */
  readonly samples: Float64Array
}

export interface Summary {
  readonly count: number
  readonly perSecond: number
  readonly p50Us: number
  readonly p99Us: number
  readonly meanUs: number
}

export interface TimeOptions {
  /** Stop after this much wall time, once at least `minCount` decisions are done. */
  readonly budgetMs?: number
  readonly minCount?: number
}

/** Runs `decide` on each item, timing each call; results go to `out` at the item's index. */
export function timeEach<T, R>(
  items: readonly T[],
  decide: (item: T) => R,
  out: R[],
  options: TimeOptions = {},
): Timing {
  const samples = new Float64Array(items.length)
  const limited = options.budgetMs !== undefined
  const budgetNs = BigInt(Math.round((options.budgetMs ?? 0) * 1e6))
  const minCount = options.minCount ?? items.length
  const start = process.hrtime.bigint()
  let count = 0
  while (count < items.length) {
    const t0 = process.hrtime.bigint()
    out[count] = decide(items[count] as T)
    samples[count] = Number(process.hrtime.bigint() - t0)
    count++
    // Checking the clock every 1,000 decisions keeps the budget check out of the figures.
    if (limited && count >= minCount && count % 1000 === 0 && process.hrtime.bigint() - start > budgetNs)
      break
  }
  const wallNs = Number(process.hrtime.bigint() - start)
  return { count, wallNs, samples: samples.subarray(0, count) }
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN
  const at = Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))
  return sorted[at] as number
}

export function summarize(timing: Timing): Summary {
  const sorted = Float64Array.from(timing.samples).sort()
  let total = 0
  for (const ns of sorted) total += ns
  return {
    count: timing.count,
    perSecond: timing.count / (timing.wallNs / 1e9),
    p50Us: percentile(sorted, 0.5) / 1000,
    p99Us: percentile(sorted, 0.99) / 1000,
    meanUs: total / timing.count / 1000,
  }
}
