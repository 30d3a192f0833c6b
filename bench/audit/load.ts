// Drives a writer from many concurrent callers, each waiting for its append to be
// durable before the next (as a request handler does), and times every append.

export interface LoadResult {
  readonly appends: number
  readonly seconds: number
  readonly perSecond: number
  readonly p50Ms: number
  readonly p99Ms: number
}

/** `writers` concurrent loops appending `drafts` (split among them) through `append`. */
export async function drive<D>(
  drafts: readonly D[],
  writers: number,
  append: (draft: D) => Promise<unknown>,
): Promise<LoadResult> {
  const latencies = new Float64Array(drafts.length)
  let next = 0
  const loop = async (): Promise<void> => {
    while (next < drafts.length) {
      const i = next++
      const t0 = performance.now()
      await append(drafts[i] as D)
      latencies[i] = performance.now() - t0
    }
  }
  const start = performance.now()
  await Promise.all(Array.from({ length: writers }, loop))
  const seconds = (performance.now() - start) / 1000
  latencies.sort()
  const at = (p: number) =>
    latencies[Math.min(latencies.length - 1, Math.ceil(p * latencies.length) - 1)] ?? 0
  return {
    appends: drafts.length,
    seconds,
    perSecond: drafts.length / seconds,
    p50Ms: at(0.5),
    p99Ms: at(0.99),
  }
}
