// Prints the audit benchmark: a table per part, the figures against issue 4's targets,
// and, last, one JSON line for scripts.
import { fmt, table } from '../policy/report.ts'
import type { LoadResult } from './load.ts'

const TARGETS = { appendsPerS: 100_000, ratio: 0.6, commitP99Ms: 10, verify1mS: 3 }

export function report(
  options: { readonly appends: number; readonly writers: number; readonly verify: number },
  load: { jitgate: LoadResult; baseline: LoadResult },
  verify: { fill: number; verify: number },
): void {
  const row = (name: string, r: LoadResult) => [name, fmt(r.perSecond, 0), fmt(r.p50Ms, 2), fmt(r.p99Ms, 2)]
  const ratio = load.jitgate.perSecond / load.baseline.perSecond
  const verify1m = verify.verify * (1_000_000 / options.verify)
  console.log('')
  console.log(
    table(
      ['writer (SQLite, WAL, synchronous=FULL)', 'appends/s', 'p50 ms', 'p99 ms'],
      [
        row('AuditWriter + SqlAuditStore (redact, RFC 8785, SHA-256 chain)', load.jitgate),
        row('baseline (same rows and batches, JSON, no hashes)', load.baseline),
      ],
    ),
  )
  console.log('')
  console.log(
    table(
      [`${fmt(options.verify, 0)} stored events`, 's', 'events/s'],
      [
        [
          'written (appendBatch, 1,000 a transaction)',
          fmt(verify.fill, 2),
          fmt(options.verify / verify.fill, 0),
        ],
        ['read back and verified (verifyLog)', fmt(verify.verify, 2), fmt(options.verify / verify.verify, 0)],
      ],
    ),
  )
  const check = (ok: boolean) => (ok ? 'met' : 'MISSED')
  console.log('')
  console.log(
    `appends/s ${fmt(load.jitgate.perSecond, 0)} (target >= 100,000): ${check(load.jitgate.perSecond >= TARGETS.appendsPerS)}`,
  )
  console.log(`ratio to baseline ${fmt(ratio, 2)}x (target >= 0.6x): ${check(ratio >= TARGETS.ratio)}`)
  console.log(
    `commit p99 ${fmt(load.jitgate.p99Ms, 2)} ms (target <= 10 ms): ${check(load.jitgate.p99Ms <= TARGETS.commitP99Ms)}`,
  )
  console.log(`verify 1M ${fmt(verify1m, 2)} s (target < 3 s): ${check(verify1m < TARGETS.verify1mS)}`)
  const round = (n: number, d = 3) => Number(n.toFixed(d))
  console.log(
    JSON.stringify({
      bench: 'audit',
      sink: 'sqlite',
      writers: options.writers,
      appends: options.appends,
      appends_per_s: Math.round(load.jitgate.perSecond),
      baseline_per_s: Math.round(load.baseline.perSecond),
      ratio: round(ratio),
      commit_p99_ms: round(load.jitgate.p99Ms),
      baseline_p99_ms: round(load.baseline.p99Ms),
      verify_events: options.verify,
      verify_1m_s: round(verify1m),
    }),
  )
}
