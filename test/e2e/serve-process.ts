// The end-to-end tests' processes: a program run to its end (jitgate's CLI, psql), and a
// `jitgate serve` process stopped when the test ends, resolving once it listens, and with a
// gateway section once its gateway listens too.
import { type ChildProcess, execFile, spawn } from 'node:child_process'
import { join } from 'node:path'
import type { TestContext } from 'node:test'

export const BIN = join(import.meta.dirname, '../../bin/jitgate.js')

export interface Ran {
  readonly code: number | null
  readonly stdout: string
  readonly stderr: string
}

type Env = Readonly<Record<string, string>>

/** Runs `file` to its end, with `env` added to this process's environment. */
export function run(file: string, args: readonly string[], env: Env = {}): Promise<Ran> {
  return new Promise((resolve) => {
    execFile(file, args, { env: { ...process.env, ...env } }, (error, stdout, stderr) =>
      resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : 1, stdout, stderr }),
    )
  })
}

/** Runs the jitgate CLI to its end. */
export function jitgate(args: readonly string[], env: Env = {}): Promise<Ran> {
  return run(process.execPath, [BIN, ...args], env)
}

export interface Served {
  readonly url: string
  /** The gateway's port, when `gateway` was asked for. */
  readonly gatewayPort?: number
  /** Everything it printed so far, stdout and stderr. */
  printed(): string
}

/** A `jitgate serve --config config` process, once its API (and, asked, its gateway) listens. */
export function serve(
  t: TestContext,
  config: string,
  options: { readonly env?: Env; readonly gateway?: boolean } = {},
): Promise<Served> {
  const child: ChildProcess = spawn(process.execPath, [BIN, 'serve', '--config', config, '--port', '0'], {
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  t.after(async () => {
    if (child.exitCode !== null) return
    child.kill('SIGTERM')
    await new Promise((resolve) => child.once('exit', resolve))
  })
  let out = ''
  let err = ''
  child.stderr?.on('data', (d: Buffer) => {
    err += d.toString()
  })
  return new Promise<Served>((resolve, reject) => {
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString()
      const url = /jitgate on (http:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1]
      const port = /PostgreSQL gateway on 127\.0\.0\.1:(\d+) /.exec(out)?.[1]
      if (url === undefined || (options.gateway === true && port === undefined)) return
      resolve({ url, ...(port === undefined ? {} : { gatewayPort: Number(port) }), printed: () => out + err })
    })
    child.once('exit', (code) => reject(new Error(`serve exited ${code}:\n${out}\n${err}`)))
  })
}
