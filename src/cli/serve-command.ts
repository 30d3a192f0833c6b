// `jitgate serve`: one jitgate node: the API over the configured store, with policies
// reloaded on change and the background work (expiry, escalation, executions) running, and
// the PostgreSQL gateway when the configuration has a `gateway` section.
import { Command } from 'commander'
import { createLogger } from '../app/create-logger.ts'
import { startServer } from '../app/start-server.ts'
import { readConfig } from '../config/index.ts'
import type { GatewaySettings } from '../gateway/index.ts'
import { redactDatabaseUrl } from '../store/index.ts'
import type { Terminal } from './terminal.ts'

export function serveCommand(term: Terminal): Command {
  return new Command('serve')
    .description('run a jitgate node: the API, the store, policy reloads and background work')
    .option(
      '-c, --config <file>',
      'configuration file (env JITGATE_CONFIG; default ./jitgate.yaml if present)',
    )
    .option('-p, --policies <dir>', 'policy directory (env JITGATE_POLICIES; default ./policies)')
    .option('--database <url>', 'store: sqlite:PATH or postgres://… (env JITGATE_DATABASE_URL)')
    .option(
      '--data-dir <dir>',
      'where the default SQLite store lives (env JITGATE_DATA_DIR; default ./.jitgate)',
    )
    .option('--host <host>', 'address to listen on (env JITGATE_HOST; default 127.0.0.1)')
    .option('--port <port>', 'port (env JITGATE_PORT; default 8080; 0 picks a free one)')
    .option('--log-level <level>', 'fatal|error|warn|info|debug|trace|silent (env JITGATE_LOG_LEVEL)')
    .option('--no-watch', 'do not reload policies when files change')
    .action(async (opts: Record<string, string | boolean | undefined>) => {
      const config = await readConfig({ flags: opts, env: process.env })
      const logger = createLogger(config.logLevel)
      const server = await startServer(config, logger)
      term.out(
        `jitgate on ${server.url} (store ${redactDatabaseUrl(config.store.url)}, policies ${config.policies.dir}, version ${server.node.registry.current.version})`,
      )
      if (server.gateway !== undefined && config.gateway !== undefined)
        term.out(gatewayLine(server.gateway.address, config.gateway))
      const stop = (): void => {
        void server.close().then(() => process.exit(0))
      }
      process.once('SIGINT', stop)
      process.once('SIGTERM', stop)
    })
}

/** Where the gateway listens and what each upstream name reaches; never a password. */
export function gatewayLine(address: { host: string; port: number }, settings: GatewaySettings): string {
  const host = address.host.includes(':') ? `[${address.host}]` : address.host
  const upstreams = Object.values(settings.upstreams).map(
    (u) => `${u.name} → ${u.user}@${u.host.includes(':') ? `[${u.host}]` : u.host}:${u.port}/${u.database}`,
  )
  const tls = settings.tls === undefined ? 'no TLS' : settings.tls.required ? 'TLS required' : 'TLS offered'
  return `PostgreSQL gateway on ${host}:${address.port} (${tls}, ${settings.auth.method}; ${upstreams.join(', ')})`
}
