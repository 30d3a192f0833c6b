// jitgate's PostgreSQL gateway in front of the bench database, in this process, with the
// statement gate given: the wire server as it ships, API keys with SCRAM verifiers held in
// memory (the key store keeps no verifiers yet; pgbench logs in once per client, so where
// the keys live does not show in the figures). No TLS, as for the other targets.
import { inspect } from 'node:util'
import {
  type GatewayLog,
  PostgresGateway,
  resolveGatewayConfig,
  type StatementGate,
} from '../../src/gateway/index.ts'
import { uuidV7 } from '../../src/shared/index.ts'
import { MemoryCredentials } from '../../test/gateway/wire/memory-credentials.ts'
import { conninfo, type Endpoint } from './pgbench.ts'

export interface JitgateTarget {
  readonly endpoint: Endpoint
  close(): Promise<void>
}

const USER = 'bench'
const UPSTREAM = 'app'

/** `say` gets the gateway's warnings and errors, for stderr. */
export async function startJitgate(
  upstreamUrl: string,
  gate: StatementGate,
  say: (line: string) => void,
): Promise<JitgateTarget> {
  const settings = resolveGatewayConfig(
    {
      listen: { host: '127.0.0.1', port: 0 },
      auth: { method: 'scram-sha-256' },
      upstreams: { [UPSTREAM]: { url: upstreamUrl, poolSize: 8 } },
    },
    { env: {}, resolvePath: (path) => path },
  )
  const credentials = new MemoryCredentials()
  const { token } = credentials.addKey(USER)
  const report =
    (level: string) =>
    (details: object, message: string): void =>
      say(
        `jitgate ${level}: ${message} ${inspect(details, { depth: 4, breakLength: Number.POSITIVE_INFINITY })}`,
      )
  const ignore = (): void => undefined
  const log: GatewayLog = { debug: ignore, info: ignore, warn: report('warn'), error: report('error') }
  const gateway = await PostgresGateway.start({
    settings,
    verifiers: credentials,
    authenticator: credentials,
    gate,
    log,
    newId: uuidV7,
  })
  return {
    endpoint: {
      conninfo: conninfo({
        host: '127.0.0.1',
        port: gateway.address.port,
        dbname: UPSTREAM,
        user: USER,
        sslmode: 'disable',
      }),
      password: token,
    },
    close: () => gateway.close(),
  }
}
