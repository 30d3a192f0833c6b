// Runs pgbench against one endpoint and reads its figures from the report it prints. The
// password goes in PGPASSWORD, never on the command line (where `ps` would show it).
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import type { Scenario } from './plan.ts'

const run = promisify(execFile)

/** Where pgbench connects: a libpq connection string without the password, and the password. */
export interface Endpoint {
  readonly conninfo: string
  readonly password: string
}

export interface PgbenchResult {
  readonly tps: number
  /** pgbench's "latency average": per transaction, here one statement. */
  readonly latencyMs: number
  readonly transactions: number
  readonly failed: number
}

/** A libpq connection string; values are quoted as libpq reads them. */
export function conninfo(fields: Readonly<Record<string, string | number>>): string {
  const quote = (value: string) => `'${value.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`
  return Object.entries(fields)
    .map(([key, value]) => `${key}=${quote(String(value))}`)
    .join(' ')
}

/**
 * The figures of a pgbench report; throws when one is missing (a run that aborted prints
 * none), quoting the report's last lines.
 */
export function parsePgbenchOutput(stdout: string): PgbenchResult {
  const number = (pattern: RegExp, what: string): number => {
    const found = pattern.exec(stdout)?.[1]
    const value = Number(found)
    if (found === undefined || !Number.isFinite(value)) {
      const tail = stdout.trim().split('\n').slice(-6).join('\n')
      throw new Error(`pgbench printed no ${what}; its report ended with:\n${tail}`)
    }
    return value
  }
  return {
    tps: number(/^tps = ([\d.]+)/m, 'tps'),
    latencyMs: number(/^latency average = ([\d.]+) ms$/m, 'latency average'),
    transactions: number(/^number of transactions actually processed: (\d+)/m, 'transaction count'),
    // pgbench before 15 has no such line: it aborts a client at its first error instead.
    failed: /^number of failed transactions:/m.test(stdout)
      ? number(/^number of failed transactions: (\d+)/m, 'failed transaction count')
      : 0,
  }
}

/** The pgbench arguments of one timed run of `scenario` (`script`: the masked workload's file). */
export function scenarioArgs(scenario: Scenario, seconds: number, script: string): string[] {
  const workload = scenario.workload === 'select' ? ['-S'] : ['-f', script]
  return [
    '-n',
    ...workload,
    '-M',
    scenario.mode,
    '-c',
    String(scenario.clients),
    '-j',
    String(Math.min(2, scenario.clients)),
    '-T',
    String(seconds),
  ]
}

/** Runs pgbench with `args` against `endpoint`; throws with its stderr when it fails. */
export async function pgbench(args: readonly string[], endpoint: Endpoint): Promise<string> {
  try {
    const { stdout } = await run('pgbench', [...args, endpoint.conninfo], {
      env: { ...process.env, PGPASSWORD: endpoint.password, PGCONNECT_TIMEOUT: '10' },
      maxBuffer: 16 * 1024 * 1024,
    })
    return stdout
  } catch (error) {
    const { stderr, stdout } = error as { stderr?: string; stdout?: string }
    const tail = `${stdout ?? ''}\n${stderr ?? ''}`.trim().split('\n').slice(-8).join('\n')
    throw new Error(`pgbench ${args.join(' ')} failed:\n${tail}`, { cause: error })
  }
}
