// PostgreSQL's own client programs (psql, pgbench) run against a gateway in tests: whether one
// is installed, and a run with the API key in PGPASSWORD, never on the command line.
import { execFile, execFileSync } from 'node:child_process'
import { promisify } from 'node:util'

const run = promisify(execFile)

/** A reason to skip when `binary` is not installed, else false (for `{ skip: missing('psql') }`). */
export function missing(binary: string): string | false {
  try {
    execFileSync(binary, ['--version'], { stdio: 'ignore' })
    return false
  } catch {
    return `${binary} is not installed (apt-get install postgresql-client)`
  }
}

export interface ClientTarget {
  readonly port: number
  readonly user: string
  /** The API key, passed in PGPASSWORD. */
  readonly password: string
  readonly sslmode: 'disable' | 'require'
  readonly dbname?: string
}

/** Runs `binary` with `args` and the target's connection string last; rejects when it fails. */
export function runClient(binary: string, args: readonly string[], target: ClientTarget) {
  const conninfo = `host=127.0.0.1 port=${target.port} dbname=${target.dbname ?? 'app'} user=${target.user} sslmode=${target.sslmode}`
  return run(binary, [...args, conninfo], {
    env: { ...process.env, PGPASSWORD: target.password, PGCONNECT_TIMEOUT: '10', PSQLRC: '/dev/null' },
  })
}
