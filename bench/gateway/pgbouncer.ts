// PgBouncer (the Debian package) in front of the bench database, as the established proxy
// to compare with: session pooling (jitgate's own mode), SCRAM-SHA-256 for clients against
// a userlist written here, no TLS. Its configuration lives in a temp directory readable by
// its user only. PgBouncer refuses to run as root, so under root it runs as the system user
// that embedded PostgreSQL runs as (test/store/embedded-server.ts creates it).
import { type ChildProcess, execFile as execFileCb, execFileSync, spawn } from 'node:child_process'
import { chmod, chown, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { connect, createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'

const execFile = promisify(execFileCb)
const FALLBACK = '/usr/sbin/pgbouncer'
const RUN_AS = 'postgres'

export interface Upstream {
  readonly host: string
  readonly port: number
  readonly database: string
  readonly user: string
  readonly password: string
}

export interface RunningPgbouncer {
  readonly port: number
  /** The database name clients give (it maps to the upstream database). */
  readonly database: string
  close(): Promise<void>
}

/** pgbouncer on PATH, else Debian's /usr/sbin/pgbouncer (not on a non-root PATH), else undefined. */
export function findPgbouncer(): string | undefined {
  for (const binary of ['pgbouncer', FALLBACK]) {
    try {
      execFileSync(binary, ['--version'], { stdio: 'ignore' })
      return binary
    } catch {
      // not this one
    }
  }
  return undefined
}

export async function startPgbouncer(binary: string, upstream: Upstream): Promise<RunningPgbouncer> {
  const ids = process.getuid?.() === 0 ? await userIds(RUN_AS) : undefined
  const dir = await mkdtemp(join(tmpdir(), 'jitgate-bench-pgbouncer-'))
  try {
    const port = await freePort()
    await writeFile(join(dir, 'userlist.txt'), `${quote(upstream.user)} ${quote(upstream.password)}\n`)
    await writeFile(join(dir, 'pgbouncer.ini'), config(dir, port, upstream))
    if (ids !== undefined) {
      for (const file of ['userlist.txt', 'pgbouncer.ini']) await chown(join(dir, file), ids.uid, ids.gid)
      await chown(dir, ids.uid, ids.gid)
    }
    await chmod(dir, 0o700)
    const child = spawn(binary, [join(dir, 'pgbouncer.ini')], {
      stdio: ['ignore', 'ignore', 'pipe'],
      ...(ids === undefined ? {} : { uid: ids.uid, gid: ids.gid }),
    })
    const log: string[] = []
    child.stderr?.on('data', (chunk: Buffer) => void log.push(chunk.toString()))
    await listening(child, port, log)
    return { port, database: 'bench', close: () => stop(child, dir) }
  } catch (error) {
    await rm(dir, { recursive: true, force: true })
    throw error
  }
}

function config(dir: string, port: number, upstream: Upstream): string {
  return `[databases]
bench = host=${upstream.host} port=${upstream.port} dbname=${upstream.database}

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = ${port}
unix_socket_dir =
auth_type = scram-sha-256
auth_file = ${join(dir, 'userlist.txt')}
pool_mode = session
default_pool_size = 8
max_client_conn = 64
server_tls_sslmode = disable
ignore_startup_parameters = extra_float_digits
log_connections = 0
log_disconnections = 0
`
}

// The userlist's syntax: a double quote inside a value is doubled.
const quote = (value: string) => `"${value.replaceAll('"', '""')}"`

async function userIds(user: string): Promise<{ uid: number; gid: number }> {
  try {
    const uid = Number((await execFile('id', ['-u', user])).stdout.trim())
    const gid = Number((await execFile('id', ['-g', user])).stdout.trim())
    return { uid, gid }
  } catch {
    throw new Error(
      `pgbouncer refuses to run as root, and the system user '${RUN_AS}' to run it as is missing (useradd --system ${RUN_AS})`,
    )
  }
}

/** Resolves once the port accepts connections; rejects with pgbouncer's log if it exits first. */
async function listening(child: ChildProcess, port: number, log: readonly string[]): Promise<void> {
  const deadline = Date.now() + 10_000
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(`pgbouncer exited (${child.exitCode ?? child.signalCode}):\n${log.join('').trim()}`)
    if (await accepts(port)) return
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  child.kill('SIGTERM')
  throw new Error(`pgbouncer did not listen on port ${port} within 10 s:\n${log.join('').trim()}`)
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port })
    socket.once('connect', () => {
      socket.destroy()
      resolve(true)
    })
    socket.once('error', () => resolve(false))
  })
}

// SIGTERM is pgbouncer's immediate shutdown: the bench's clients are gone by then.
async function stop(child: ChildProcess, dir: string): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise((resolve) => child.once('exit', resolve))
    child.kill('SIGTERM')
    await exited
  }
  await rm(dir, { recursive: true, force: true })
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer()
    probe.once('error', reject)
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address()
      probe.close(() =>
        typeof address === 'object' && address !== null
          ? resolve(address.port)
          : reject(new Error('no port')),
      )
    })
  })
}
