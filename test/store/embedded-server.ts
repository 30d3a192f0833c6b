// A throwaway PostgreSQL server for tests, on the demo's embedded-postgres runner
// (src/app/demo/embedded-postgres.ts): a temp directory, a free port on 127.0.0.1, a random
// password, no fsync. Under root the server runs as the system user `postgres`, which gets
// the temp directory (the root-only temp dir must be reachable). Servers that a killed test
// run left behind are stopped and removed by the next start.
import { randomBytes } from 'node:crypto'
import { chown, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  isAlive,
  serverUser,
  startEmbeddedPostgres,
  stopLeftoverServer,
} from '../../src/app/demo/embedded-postgres.ts'

const PREFIX = 'jitgate-pg-'

export interface EmbeddedServer {
  /** `postgres://postgres:…@127.0.0.1:PORT/postgres`, a superuser. */
  readonly url: string
  stop(): Promise<void>
}

/** Starts a fresh server; throws with the server's last log lines when it cannot. */
export async function startEmbeddedServer(): Promise<EmbeddedServer> {
  await removeStaleServers()
  const ids = await serverUser()
  const base = await mkdtemp(join(tmpdir(), PREFIX))
  await writeFile(join(base, 'owner.pid'), String(process.pid))
  if (ids !== undefined) await chown(base, ids.uid, ids.gid)
  const log: string[] = []
  try {
    const server = await startEmbeddedPostgres({
      dataDir: join(base, 'data'),
      password: randomBytes(18).toString('base64url'),
      durable: false,
      onLog: (text) => void log.push(text),
    })
    return {
      url: server.url,
      stop: async () => {
        await server.stop()
        await rm(base, { recursive: true, force: true })
      },
    }
  } catch (error) {
    await rm(base, { recursive: true, force: true })
    const tail = log.join('').split('\n').slice(-15).join('\n')
    throw new Error(`embedded PostgreSQL did not start: ${String(error)}\n${tail}`, { cause: error })
  }
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
  await stopLeftoverServer(join(dir, 'data'))
  await rm(dir, { recursive: true, force: true })
}
