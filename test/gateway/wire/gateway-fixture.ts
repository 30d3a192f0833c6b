// A gateway for a test file: in front of one upstream database (`app`), API keys in memory,
// a self-signed certificate written to a temp directory, a free port on 127.0.0.1, and a log
// kept in memory. Clients are node-postgres clients, closed by `close()`.
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { TestContext } from 'node:test'
import pg from 'pg'
import {
  type GatewayAuthFailure,
  type GatewayLog,
  PostgresGateway,
  resolveGatewayConfig,
  type StatementGate,
} from '../../../src/gateway/index.ts'
import { uuidV7 } from '../../../src/shared/index.ts'
import { MemoryCredentials } from './memory-credentials.ts'
import { selfSignedCertificate, type TestCertificate } from './self-signed-cert.ts'

export interface GatewayFixtureOptions {
  readonly upstreamUrl: string
  readonly gate?: StatementGate
  /** none: no certificate; optional: TLS offered; required (default): TLS or nothing. */
  readonly tls?: 'none' | 'optional' | 'required'
  readonly method?: 'scram-sha-256' | 'password'
  readonly poolSize?: number
}

export interface ConnectOptions {
  readonly password?: string
  readonly database?: string
  readonly applicationName?: string
  /** Connect without TLS even when the gateway offers it. */
  readonly plain?: boolean
  readonly options?: string
}

export interface LogEntry {
  readonly level: string
  readonly message: string
  readonly details: object
}

export interface GatewayFixture {
  readonly gateway: PostgresGateway
  readonly credentials: MemoryCredentials
  readonly port: number
  readonly cert: TestCertificate
  readonly log: LogEntry[]
  readonly authFailures: GatewayAuthFailure[]
  /** A connection string for psql and pgbench. */
  connectionString(user: string, token: string, database?: string): string
  /** A node-postgres client of `user` (a new key unless `password` is given), ended after the test. */
  connect(t: TestContext, user?: string, options?: ConnectOptions): Promise<pg.Client>
  close(): Promise<void>
}

export async function startGatewayFixture(options: GatewayFixtureOptions): Promise<GatewayFixture> {
  const dir = await mkdtemp(join(tmpdir(), 'jitgate-gateway-'))
  const cert = selfSignedCertificate()
  await writeFile(join(dir, 'cert.pem'), cert.cert)
  await writeFile(join(dir, 'key.pem'), cert.key, { mode: 0o600 })
  const tls = options.tls ?? 'required'
  // A DATABASE_URL may carry sslmode; the gateway takes TLS from its own setting instead.
  const upstream = new URL(options.upstreamUrl)
  const sslmode = upstream.searchParams.get('sslmode')
  upstream.search = ''
  const upstreamTls = sslmode === 'require' || sslmode === 'verify-full' ? { tls: { mode: sslmode } } : {}
  const settings = resolveGatewayConfig(
    {
      listen: { host: '127.0.0.1', port: 0 },
      ...(tls === 'none' ? {} : { tls: { cert: 'cert.pem', key: 'key.pem', required: tls === 'required' } }),
      auth: { method: options.method ?? 'scram-sha-256' },
      upstreams: { app: { url: upstream.toString(), poolSize: options.poolSize ?? 4, ...upstreamTls } },
    },
    { env: {}, resolvePath: (path) => join(dir, path) },
  )
  const log: LogEntry[] = []
  const record =
    (level: string) =>
    (details: object, message: string): void =>
      void log.push({ level, message, details })
  const memoryLog: GatewayLog = {
    debug: record('debug'),
    info: record('info'),
    warn: record('warn'),
    error: record('error'),
  }
  const credentials = new MemoryCredentials()
  const authFailures: GatewayAuthFailure[] = []
  const gateway = await PostgresGateway.start({
    settings,
    verifiers: credentials,
    authenticator: credentials,
    ...(options.gate === undefined ? {} : { gate: options.gate }),
    onAuthFailure: (failure) => void authFailures.push(failure),
    log: memoryLog,
    newId: uuidV7,
  })
  const { port } = gateway.address
  return {
    gateway,
    credentials,
    port,
    cert,
    log,
    authFailures,
    connectionString: (user, token, database = 'app') =>
      `host=127.0.0.1 port=${port} dbname=${database} user=${user} password=${token} sslmode=${tls === 'none' ? 'disable' : 'require'}`,
    async connect(t, user = 'alice', connectOptions: ConnectOptions = {}) {
      const password = connectOptions.password ?? credentials.addKey(user).token
      const client = new pg.Client({
        host: '127.0.0.1',
        port,
        user,
        password,
        database: connectOptions.database ?? 'app',
        ...(connectOptions.applicationName === undefined
          ? {}
          : { application_name: connectOptions.applicationName }),
        ...(connectOptions.options === undefined ? {} : { options: connectOptions.options }),
        ...(tls === 'none' || connectOptions.plain === true
          ? {}
          : { ssl: { ca: cert.cert, servername: 'localhost' } }),
      })
      client.on('error', () => undefined)
      t.after(() => client.end().catch(() => undefined))
      await client.connect()
      return client
    },
    async close() {
      await gateway.close()
      await rm(dir, { recursive: true, force: true })
    },
  }
}
