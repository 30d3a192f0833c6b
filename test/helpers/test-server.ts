// A jitgate node for a test: policies from `policiesDir`, a SQLite store in a temporary data
// directory, a free port on 127.0.0.1, no file watching; stopped when the test ends.
import type { TestContext } from 'node:test'
import { pino } from 'pino'
import { type RunningServer, startServer } from '../../src/app/start-server.ts'
import { loadConfig } from '../../src/config/index.ts'
import { tempDir } from './temp-dir.ts'

export async function startTestServer(
  t: TestContext,
  policiesDir: string,
  flags: Readonly<Record<string, string | boolean>> = {},
  configYaml?: string,
): Promise<RunningServer> {
  const dataDir = await tempDir(t)
  const config = loadConfig({
    flags: { policies: policiesDir, port: '0', watch: false, 'data-dir': dataDir, ...flags },
    env: {},
    cwd: dataDir,
    ...(configYaml === undefined ? {} : { file: { path: `${dataDir}/jitgate.yaml`, text: configYaml } }),
  })
  const server = await startServer(config, pino({ level: 'silent' }))
  t.after(() => server.close())
  return server
}

export interface TestUser {
  readonly id: string
  readonly roles: readonly ('requester' | 'approver' | 'admin' | 'auditor')[]
  readonly groups?: readonly string[]
}

/** An API key for `user`, made in the server's store as `jitgate keys create` would. */
export async function keyFor(server: RunningServer, user: TestUser): Promise<string> {
  const created = await server.node.apiKeys.create(
    { subject: user.id, name: `test key of ${user.id}`, roles: user.roles, groups: user.groups ?? [] },
    { type: 'system', id: 'test' },
  )
  return created.token
}
