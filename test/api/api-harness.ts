// A jitgate node behind the real HTTP server for the API tests: the node from buildNode (a
// SQLite file in a temporary directory, or a PostgreSQL database when `database` is given),
// the real authentication plugin with an API key per test user, and the routes of issue 5
// (requests, grants, audit, keys, docs; the decision routes have tests of their own).
// Stopped when the test ends.
import type { TestContext } from 'node:test'
import type { FastifyInstance } from 'fastify'
import { pino } from 'pino'
import { buildNode, type JitgateNode } from '../../src/app/jitgate-node.ts'
import {
  type CreationLimit,
  grantRoutes,
  type LiveLimits,
  RequestWaiters,
  requestRoutes,
} from '../../src/approvals/index.ts'
import { auditRoutes } from '../../src/audit/index.ts'
import { FailureLimiter, keyRoutes, type Role } from '../../src/auth/index.ts'
import { loadConfig } from '../../src/config/index.ts'
import { authentication, createHttpServer, docsPage } from '../../src/http/index.ts'
import { tempDir } from '../helpers/temp-dir.ts'
import { API_POLICY } from './api-fixtures.ts'

/**
 * The people of the tests: name → roles and groups. The policy's dba group is carol, dave
 * and frank (a requester and an approver); gina approves, but no step names her.
 */
export const USERS = {
  alice: { roles: ['requester'], groups: ['eng'] },
  bob: { roles: ['requester'], groups: ['eng'] },
  carol: { roles: ['approver'], groups: ['ops'] },
  dave: { roles: ['approver'], groups: ['ops'] },
  erin: { roles: ['auditor'], groups: [] },
  frank: { roles: ['requester', 'approver'], groups: ['eng'] },
  gina: { roles: ['approver'], groups: ['ops'] },
  root: { roles: ['admin'], groups: [] },
} as const satisfies Record<string, { roles: readonly Role[]; groups: readonly string[] }>

export type User = keyof typeof USERS

export interface ApiServer {
  readonly url: string
  readonly app: FastifyInstance
  readonly node: JitgateNode
  readonly tokens: Readonly<Record<User, string>>
  /** The routes' fan-out of request changes: its size shows waiters let go. */
  readonly waiters: RequestWaiters
  /** Calls `path` as `as` (no credentials when undefined), with a JSON body when given. */
  call(
    as: User | undefined,
    method: string,
    path: string,
    body?: unknown,
    init?: RequestInit,
  ): Promise<Response>
  /** call() and its JSON body, typed loosely for assertions. */
  json<T = Record<string, unknown>>(
    as: User | undefined,
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; body: T; headers: Headers }>
  close(): Promise<void>
}

export interface ApiServerOptions {
  /** A store URL (postgres://…); default: a SQLite file in a temporary data directory. */
  readonly database?: string
  readonly creationLimit?: CreationLimit
  readonly liveLimits?: LiveLimits
}

export async function startApiServer(t: TestContext, options: ApiServerOptions = {}): Promise<ApiServer> {
  const dir = await tempDir(t, { 'policies/api.yaml': API_POLICY })
  const config = loadConfig({
    flags: {
      policies: `${dir}/policies`,
      port: '0',
      watch: false,
      'data-dir': `${dir}/data`,
      ...(options.database === undefined ? {} : { database: options.database }),
    },
    env: {},
    cwd: dir,
  })
  const logger = pino({ level: 'silent' })
  const node = await buildNode(config, logger)
  const keys = node.apiKeys
  const tokens = {} as Record<User, string>
  for (const [name, user] of Object.entries(USERS) as [User, (typeof USERS)[User]][]) {
    const created = await keys.create(
      { subject: name, name: `${name}'s test key`, roles: [...user.roles], groups: [...user.groups] },
      { type: 'system', id: 'test-setup' },
    )
    tokens[name] = created.token
  }
  const { handle, now } = node
  const waiters = new RequestWaiters()
  const app = await createHttpServer({
    logger,
    version: 'test',
    authentication: authentication({
      authenticator: node.authenticator,
      limiter: new FailureLimiter({ maxFailures: 10_000, windowMs: 60_000 }),
      now,
      onFailedLogin: () => undefined,
    }),
    routes: [
      requestRoutes({
        actions: node.actions,
        approvals: node.approvals,
        grants: node.grants,
        executions: node.executions,
        notifier: handle.notifier,
        now,
        waiters,
        ...(options.creationLimit === undefined ? {} : { creationLimit: options.creationLimit }),
        ...(options.liveLimits === undefined ? {} : { liveLimits: options.liveLimits }),
      }),
      grantRoutes({ grants: node.grants, now }),
      auditRoutes({ auditStore: node.auditStore }),
      keyRoutes({ keys }),
      docsPage(),
    ],
  })
  const url = await app.listen({ host: '127.0.0.1', port: 0 })
  let closing: Promise<void> | undefined
  const close = () => {
    closing ??= (async () => {
      const stopping = app.close()
      // fetch (undici) may open a connection it never sends a request on; the server's close
      // would wait for the client to drop it (seconds). Long polls and streams end first.
      const sweep = setTimeout(() => app.server.closeAllConnections(), 250)
      await stopping.finally(() => clearTimeout(sweep))
      await node.close()
    })()
    return closing
  }
  t.after(close)
  const call: ApiServer['call'] = (as, method, path, body, init = {}) =>
    fetch(`${url}${path}`, {
      method,
      ...init,
      headers: {
        ...(as === undefined ? {} : { authorization: `Bearer ${tokens[as]}` }),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(init.headers as Record<string, string> | undefined),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    })
  const json: ApiServer['json'] = async (as, method, path, body) => {
    const res = await call(as, method, path, body)
    const text = await res.text()
    return { status: res.status, headers: res.headers, body: text === '' ? undefined : JSON.parse(text) }
  }
  return { url, app, node, tokens, waiters, call, json, close }
}
