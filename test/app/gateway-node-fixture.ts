// A jitgate node with its PostgreSQL gateway for a test: the node as `jitgate serve` builds it
// (startServer), its store on SQLite or PostgreSQL, a gateway on a free port of 127.0.0.1 in
// front of a real PostgreSQL (upstream `app`), a small policy set in which writes need one
// approval, and node-postgres clients that log in with API keys over SCRAM.
import type { TestContext } from 'node:test'
import pg from 'pg'
import type { RunningServer } from '../../src/app/start-server.ts'
import { readDetails } from '../../src/audit/index.ts'
import { tempDir } from '../helpers/temp-dir.ts'
import { startTestServer, type TestUser } from '../helpers/test-server.ts'

export { failure, type PgError } from '../helpers/pg-failure.ts'

export const POLICY = `kind: Groups
groups:
  approvers: { users: [ann, ben] }
---
kind: Policy
name: gateway-wiring
rules:
  - name: writes-need-approval
    effect: require_approval
    match: { verbs: db.query, resources: "pg://app/**" }
    when: |
      (has(context.kind) && context.kind == "write") ||
      (has(context.statement) && context.statement.writes)
    approval:
      steps: [ { any_of: [group:approvers] } ]
      grant: { mode: window, max: 1h, default: 30m }
  - name: reads-through-the-gateway
    effect: allow
    match: { verbs: db.query, resources: "pg://app/**" }
    when: has(context.statement) && !context.statement.writes
`

/** A write on upstream `app`: it needs one approval, by ann or ben. */
export const WRITE = {
  action: 'db.query',
  resource: 'pg://app/public.orders',
  context: { kind: 'write', time: '2026-03-02T10:00:00Z' },
}

export interface NodeOptions {
  /** The node's store: a SQLite file (default) or this PostgreSQL URL. */
  readonly database?: string
  /** The upstream the gateway puts in front of clients as `app`. */
  readonly upstreamUrl: string
  /** Extra top-level YAML (an `auth:` section, say). */
  readonly yaml?: string
  /** Extra lines of the `gateway` section, indented as its keys. */
  readonly gateway?: readonly string[]
  /** Files to write next to the configuration (certificates). */
  readonly files?: Readonly<Record<string, string>>
}

/** A node with a gateway; closed when the test ends. */
export async function startGatewayNode(t: TestContext, options: NodeOptions): Promise<RunningServer> {
  const policies = await tempDir(t, { 'policy.yaml': POLICY, ...options.files })
  // A DATABASE_URL may carry sslmode; the gateway takes TLS from its own setting instead.
  const upstream = new URL(options.upstreamUrl)
  const sslmode = upstream.searchParams.get('sslmode')
  upstream.search = ''
  const tls = sslmode === 'require' || sslmode === 'verify-full' ? `, tls: { mode: ${sslmode} }` : ''
  const yaml = [
    'gateway:',
    '  listen: { host: 127.0.0.1, port: 0 }',
    ...(options.gateway ?? []),
    '  upstreams:',
    `    app: { url: "${upstream}", poolSize: 3${tls} }`,
    options.yaml ?? '',
  ].join('\n')
  // The configuration file sits in the data directory; paths in it are made absolute here.
  return startTestServer(
    t,
    policies,
    options.database === undefined ? {} : { database: options.database },
    yaml.replaceAll('$FILES/', `${policies}/`),
  )
}

/** A node-postgres client of `user` through the gateway, ended after the test. */
export async function gatewayClient(
  t: TestContext,
  server: RunningServer,
  user: string,
  password: string,
  ssl?: pg.ClientConfig['ssl'],
): Promise<pg.Client> {
  const address = server.gateway?.address
  if (address === undefined) throw new Error('the node has no gateway')
  const client = new pg.Client({
    host: address.host,
    port: address.port,
    user,
    password,
    database: 'app',
    ...(ssl === undefined ? {} : { ssl }),
  })
  client.on('error', () => undefined)
  t.after(() => client.end().catch(() => undefined))
  await client.connect()
  return client
}

/** The details of the `auth.failed` events so far, oldest first, once there are `count`. */
export async function failedLogins(server: RunningServer, count: number) {
  for (let i = 0; ; i++) {
    const page = await server.node.auditStore.query({ typePrefix: 'auth.failed' })
    if (page.events.length >= count || i === 100)
      return page.events.map((event) => ({
        subject: `${event.subject.type}:${event.subject.id}`,
        details: readDetails(event),
      }))
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

export const REQUESTER: TestUser = { id: 'alice', roles: ['requester'], groups: ['eng'] }
