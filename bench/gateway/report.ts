// The gateway bench's results for people (a table, then each target of issue 7 and whether
// it is met) and for machines (one JSON object, printed last). Of the runs of a
// configuration the one with the most transactions per second is kept: another process on
// the machine can only ever take throughput away.
import { fmt, table } from '../policy/report.ts'
import type { PgbenchResult } from './pgbench.ts'
import { type QueryMode, SCENARIOS, type Scenario, scenarioKey, type TargetId, targetsOf } from './plan.ts'

/** Every run's figures, by scenario key, then target. */
export type Results = ReadonlyMap<string, ReadonlyMap<TargetId, readonly PgbenchResult[]>>

export interface ReportContext {
  readonly secondsPerRun: number
  readonly rounds: number
  readonly scale: number
  readonly maskingLabel: string
  readonly loadAverage: { readonly start: number; readonly end: number }
}

const MODES: readonly QueryMode[] = ['simple', 'prepared']
const TARGET_NAMES: Readonly<Record<TargetId, string>> = {
  direct: 'direct',
  pgbouncer: 'pgbouncer',
  pipe: 'bare Node pipe',
  jitgate: 'jitgate (plain gate)',
  jitgate_masked: 'jitgate (masking gate)',
}

export function best(results: Results, scenario: Scenario, target: TargetId): PgbenchResult | undefined {
  const runs = results.get(scenarioKey(scenario))?.get(target) ?? []
  return runs.reduce<PgbenchResult | undefined>(
    (kept, run) => (kept === undefined || run.tps > kept.tps ? run : kept),
    undefined,
  )
}

/** The human table: one row per configuration, with every run's TPS. */
export function resultTable(results: Results): string {
  const rows: string[][] = []
  for (const scenario of SCENARIOS) {
    const direct = best(results, scenario, 'direct')
    const pipe = best(results, scenario, 'pipe')
    for (const target of targetsOf(scenario.workload)) {
      const kept = best(results, scenario, target)
      if (kept === undefined) continue
      const runs = results.get(scenarioKey(scenario))?.get(target) ?? []
      rows.push([
        scenarioKey(scenario),
        TARGET_NAMES[target],
        fmt(kept.tps, 0),
        fmt(kept.latencyMs, 3),
        direct === undefined ? '-' : fmt(kept.tps / direct.tps, 2),
        pipe === undefined ? '-' : fmt(kept.tps / pipe.tps, 2),
        runs.map((run) => fmt(run.tps, 0)).join(' / '),
        fmt(
          runs.reduce((sum, run) => sum + run.failed, 0),
          0,
        ),
      ])
    }
  }
  const header = [
    'scenario',
    'target',
    'tps',
    'latency ms',
    'x direct',
    'x pipe',
    'tps of each run',
    'failed',
  ]
  return table(header, rows)
}

// The worse of the two protocols: a target is met only if it holds for both.
function worstRatio(results: Results, workload: 'select' | 'masked', of: TargetId, to: TargetId) {
  const ratios = MODES.map((mode) => {
    const scenario: Scenario = { workload, mode, clients: 4 }
    const a = best(results, scenario, of)
    const b = best(results, scenario, to)
    return a === undefined || b === undefined ? Number.NaN : a.tps / b.tps
  })
  return ratios.some(Number.isNaN) ? undefined : Math.min(...ratios)
}

function worstAddedLatency(results: Results, of: TargetId): number | undefined {
  const added = MODES.map((mode) => {
    const scenario: Scenario = { workload: 'select', mode, clients: 1 }
    const a = best(results, scenario, of)
    const b = best(results, scenario, 'direct')
    return a === undefined || b === undefined ? Number.NaN : a.latencyMs - b.latencyMs
  })
  return added.some(Number.isNaN) ? undefined : Math.max(...added)
}

export interface Headline {
  readonly ratio_vs_pipe: number | null
  readonly ratio_vs_pgbouncer: number | null
  readonly ratio_vs_direct: number | null
  readonly masked_ratio_vs_pipe: number | null
  readonly added_latency_ms_c1: number | null
  readonly pgbouncer_ratio_vs_direct: number | null
  readonly pipe_ratio_vs_direct: number | null
  readonly pgbouncer_added_latency_ms_c1: number | null
  readonly pipe_added_latency_ms_c1: number | null
}

/** Ratios at 4 clients and added latency at 1, each the worse of simple and prepared. */
export function headline(results: Results): Headline {
  const r = (n: number | undefined) => (n === undefined ? null : Math.round(n * 1000) / 1000)
  return {
    ratio_vs_pipe: r(worstRatio(results, 'select', 'jitgate', 'pipe')),
    ratio_vs_pgbouncer: r(worstRatio(results, 'select', 'jitgate', 'pgbouncer')),
    ratio_vs_direct: r(worstRatio(results, 'select', 'jitgate', 'direct')),
    masked_ratio_vs_pipe: r(worstRatio(results, 'masked', 'jitgate_masked', 'pipe')),
    added_latency_ms_c1: r(worstAddedLatency(results, 'jitgate')),
    pgbouncer_ratio_vs_direct: r(worstRatio(results, 'select', 'pgbouncer', 'direct')),
    pipe_ratio_vs_direct: r(worstRatio(results, 'select', 'pipe', 'direct')),
    pgbouncer_added_latency_ms_c1: r(worstAddedLatency(results, 'pgbouncer')),
    pipe_added_latency_ms_c1: r(worstAddedLatency(results, 'pipe')),
  }
}

/**
 * One line per target of the issue, met or MISSED (each the worse of simple and prepared),
 * then the baselines beside the figures the issue measured for them.
 */
export function targetLines(h: Headline, maskingLabel: string): string[] {
  const x = (n: number | null) => (n === null ? 'n/a' : `${fmt(n, 2)}x`)
  const ms = (n: number | null) => (n === null ? 'n/a' : `${fmt(n, 3)} ms`)
  const verdict = (n: number | null, met: (n: number) => boolean) =>
    n === null ? 'not measured' : met(n) ? 'met' : 'MISSED'
  const pipe = h.ratio_vs_pipe
  const masked = h.masked_ratio_vs_pipe
  const added = h.added_latency_ms_c1
  return [
    `jitgate / bare pipe TPS, -S at 4 clients: ${x(pipe)} (target >= 0.8x): ${verdict(pipe, (n) => n >= 0.8)}`,
    `jitgate masked / bare pipe TPS, masked SELECT at 4 clients: ${x(masked)} (target >= 0.6x): ` +
      `${verdict(masked, (n) => n >= 0.6)}; masking: ${maskingLabel}`,
    `jitgate added latency per statement, -S at 1 client: ${ms(added)} (target <= 0.1 ms): ` +
      verdict(added, (n) => n <= 0.1),
    `jitgate / pgbouncer TPS at 4 clients: ${x(h.ratio_vs_pgbouncer)}; jitgate / direct: ${x(h.ratio_vs_direct)}`,
    `pgbouncer / direct at 4 clients: ${x(h.pgbouncer_ratio_vs_direct)} (issue 7: 0.49x); ` +
      `bare pipe / direct: ${x(h.pipe_ratio_vs_direct)} (issue 7: 0.40x)`,
    `added latency at 1 client: pgbouncer ${ms(h.pgbouncer_added_latency_ms_c1)} (issue 7: 0.025 ms); ` +
      `bare pipe ${ms(h.pipe_added_latency_ms_c1)} (issue 7: 0.04 ms)`,
  ]
}

/** The last line: the headline figures, the setup, and every kept TPS and latency. */
export function summaryJson(results: Results, context: ReportContext): string {
  const tps: Record<string, Partial<Record<TargetId, number>>> = {}
  const latency: Record<string, Partial<Record<TargetId, number>>> = {}
  for (const scenario of SCENARIOS) {
    const key = scenarioKey(scenario)
    tps[key] = {}
    latency[key] = {}
    for (const target of targetsOf(scenario.workload)) {
      const kept = best(results, scenario, target)
      if (kept === undefined) continue
      tps[key][target] = Math.round(kept.tps)
      latency[key][target] = kept.latencyMs
    }
  }
  return JSON.stringify({
    bench: 'gateway',
    ...headline(results),
    seconds_per_run: context.secondsPerRun,
    rounds: context.rounds,
    kept: 'best tps of the rounds',
    scale: context.scale,
    tls: false,
    masking: context.maskingLabel,
    load_average_1m: { start: context.loadAverage.start, end: context.loadAverage.end },
    tps,
    latency_ms: latency,
  })
}
