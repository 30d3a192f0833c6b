// Running `jitgate` as a user does, for the CLI tests: a real process, its exit code, stdout
// and stderr; in the background too, for commands that wait while the test acts.
import { execFile } from 'node:child_process'

const BIN = new URL('../../bin/jitgate.js', import.meta.url).pathname

export interface Run {
  readonly code: number
  readonly stdout: string
  readonly stderr: string
}

export interface RunOptions {
  /** JITGATE_TOKEN for this run; absent: none. */
  readonly token?: string
  readonly server?: string
  readonly stdin?: string
}

/** Runs `jitgate args` to its end. */
export function jitgate(args: readonly string[], options: RunOptions = {}): Promise<Run> {
  return spawnJitgate(args, options).done
}

export interface Running {
  readonly done: Promise<Run>
  readonly pid: number | undefined
  /** Sends `signal` to the process (Ctrl-C is SIGINT). */
  kill(signal: NodeJS.Signals): void
}

/** Starts `jitgate args` and returns at once; `done` settles when it exits. */
export function spawnJitgate(args: readonly string[], options: RunOptions = {}): Running {
  // No JITGATE_* from the environment running the tests: each run says what it uses.
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('JITGATE_')))
  let resolveRun: (run: Run) => void = () => undefined
  const done = new Promise<Run>((resolve) => {
    resolveRun = resolve
  })
  const child = execFile(
    process.execPath,
    [BIN, ...args],
    {
      env: {
        ...env,
        NO_COLOR: '1',
        ...(options.token === undefined ? {} : { JITGATE_TOKEN: options.token }),
        ...(options.server === undefined ? {} : { JITGATE_SERVER: options.server }),
      },
    },
    (error, stdout, stderr) => {
      resolveRun({
        code: error === null ? 0 : typeof error.code === 'number' ? error.code : -1,
        stdout,
        stderr,
      })
    },
  )
  child.stdin?.end(options.stdin)
  return { done, pid: child.pid, kill: (signal) => child.kill(signal) }
}

/** stdout parsed as JSON, failing with the output when it is not. */
export function json<T>(run: Run): T {
  try {
    return JSON.parse(run.stdout) as T
  } catch {
    throw new Error(`not JSON (exit ${run.code}):\n${run.stdout}\n${run.stderr}`)
  }
}
