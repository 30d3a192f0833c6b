// `npm run bench -- gateway`: what jitgate's PostgreSQL gateway costs, measured with pgbench
// against four targets in one run: PostgreSQL direct, pgbouncer, a bare Node TCP pipe (the
// ceiling for any Node proxy here) and jitgate. Workloads: pgbench -S in the simple and
// prepared protocols at 1 and 4 clients, and a masked SELECT (one customer's email, phone and
// ssn) at 4 clients, direct, through the pipe and through jitgate with and without masking.
// No TLS anywhere, so that jitgate is compared like for like. Progress goes to stderr; the
// table and the targets of issue 7 to stdout, and the last line is one JSON object.
// Options (bench/gateway/options.ts): --seconds N, --rounds N, --scale N.
import { execFileSync } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { startTestPostgres } from '../test/store/postgres-harness.ts'
import { CUSTOMERS, prepareDataset } from './gateway/dataset.ts'
import { type GatewayBenchOptions, parseOptions } from './gateway/options.ts'
import {
  type Endpoint,
  type PgbenchResult,
  parsePgbenchOutput,
  pgbench,
  scenarioArgs,
} from './gateway/pgbench.ts'
import { type PlannedRun, runOrder, scenarioKey, type TargetId } from './gateway/plan.ts'
import { headline, type Results, resultTable, summaryJson, targetLines } from './gateway/report.ts'
import { directEndpoint, startTargets, upstreamOf } from './gateway/targets.ts'

export async function run(args: string[]): Promise<void> {
  await benchGateway(parseOptions(args, process.env))
}

const say = (line: string): void => console.error(line)

const MASKING_LABEL = 'the policy gate with the bench profile: email partial, phone last 4, ssn redacted'

export async function benchGateway(options: GatewayBenchOptions): Promise<void> {
  requirePgbench()
  const loadAtStart = loadavg()[0] ?? Number.NaN
  const dir = await mkdtemp(join(tmpdir(), 'jitgate-bench-gateway-'))
  say('gateway: starting embedded PostgreSQL')
  const postgres = await startTestPostgres()
  try {
    const upstreamUrl = await postgres.emptyDatabase()
    say(`gateway: pgbench -i -s ${options.scale} and ${fmtInt(CUSTOMERS)} customers`)
    const script = await prepareDataset(
      upstreamUrl,
      directEndpoint(upstreamOf(upstreamUrl)),
      options.scale,
      dir,
    )
    const targets = await startTargets(upstreamUrl, say)
    try {
      const results = await measure(options, targets.endpoints, script)
      printReport(options, results, MASKING_LABEL, loadAtStart)
    } finally {
      await targets.close()
    }
  } finally {
    await postgres.stop()
    await rm(dir, { recursive: true, force: true })
  }
}

async function measure(
  options: GatewayBenchOptions,
  endpoints: ReadonlyMap<TargetId, Endpoint>,
  script: string,
): Promise<Results> {
  // A warm-up per target: code paths compiled, buffers and the page cache filled.
  for (const [target, endpoint] of endpoints) {
    const workload = target === 'jitgate_masked' ? 'masked' : 'select'
    say(`gateway: warming up ${target}`)
    await pgbench(scenarioArgs({ workload, mode: 'prepared', clients: 4 }, 2, script), endpoint)
  }
  const plan = runOrder(options.rounds, new Set(endpoints.keys()))
  const total = plan.length * options.secondsPerRun
  say(`gateway: ${plan.length} runs of ${options.secondsPerRun} s, about ${Math.ceil(total / 60)} min`)
  const results = new Map<string, Map<TargetId, PgbenchResult[]>>()
  for (const [index, planned] of plan.entries()) {
    const result = await runOnce(planned, endpoints, options.secondsPerRun, script)
    const where = `[${index + 1}/${plan.length}] round ${planned.round + 1} ${scenarioKey(planned.scenario)} ${planned.target}`
    if (result instanceof Error) {
      say(`${where}: FAILED, left out: ${result.message}`)
      continue
    }
    say(`${where}: ${fmtInt(result.tps)} tps, ${result.latencyMs} ms, ${result.failed} failed`)
    const byTarget = results.get(scenarioKey(planned.scenario)) ?? new Map<TargetId, PgbenchResult[]>()
    results.set(scenarioKey(planned.scenario), byTarget)
    byTarget.set(planned.target, [...(byTarget.get(planned.target) ?? []), result])
  }
  return results
}

// A failed run is reported and left out, so that one broken target does not void the others.
async function runOnce(
  planned: PlannedRun,
  endpoints: ReadonlyMap<TargetId, Endpoint>,
  seconds: number,
  script: string,
): Promise<PgbenchResult | Error> {
  const endpoint = endpoints.get(planned.target)
  if (endpoint === undefined) return new Error(`${planned.target} is not running`)
  try {
    return parsePgbenchOutput(await pgbench(scenarioArgs(planned.scenario, seconds, script), endpoint))
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error))
  }
}

function printReport(
  options: GatewayBenchOptions,
  results: Results,
  maskingLabel: string,
  loadAtStart: number,
) {
  const loadAtEnd = loadavg()[0] ?? Number.NaN
  const lines = [
    `gateway: pgbench -S (simple and prepared protocol, 1 and 4 clients) at scale ${options.scale}, and a masked SELECT of 1 of ${fmtInt(CUSTOMERS)} customers (4 clients)`,
    `each configuration: ${options.rounds} run(s) of pgbench -T ${options.secondsPerRun}, the order of targets alternating between rounds; the run with the best tps is kept`,
    'no TLS anywhere: PostgreSQL, pgbouncer (session pooling, SCRAM), the bare pipe and jitgate (SCRAM, API key) all on 127.0.0.1',
    `masking: ${maskingLabel}`,
    `load average (1 min): ${loadAtStart.toFixed(2)} at start, ${loadAtEnd.toFixed(2)} at end; other work on the machine makes the figures noisy`,
    '',
    resultTable(results),
    '',
    ...targetLines(headline(results), maskingLabel),
  ]
  for (const line of lines) console.log(line)
  console.log(
    summaryJson(results, {
      secondsPerRun: options.secondsPerRun,
      rounds: options.rounds,
      scale: options.scale,
      maskingLabel,
      loadAverage: { start: round2(loadAtStart), end: round2(loadAtEnd) },
    }),
  )
}

function requirePgbench(): void {
  try {
    execFileSync('pgbench', ['--version'], { stdio: 'ignore' })
  } catch {
    throw new Error('pgbench is not installed: apt-get install -y postgresql-client (Debian, Ubuntu)')
  }
}

const fmtInt = (n: number): string => Math.round(n).toLocaleString('en-US')
const round2 = (n: number): number => Math.round(n * 100) / 100
