// `jitgate serve`: the decision API with hot-reloaded policies.
import { Command } from 'commander'
import { createLogger } from '../app/create-logger.ts'
import { startDecisionServer } from '../app/start-decision-server.ts'
import { loadServerConfig } from '../config/index.ts'
import type { Terminal } from './terminal.ts'

export function serveCommand(term: Terminal): Command {
  return new Command('serve')
    .description('serve the decision API (POST /v1/decisions) with policies reloaded on change')
    .option('-p, --policies <dir>', 'policy directory (env JITGATE_POLICIES; default ./policies)')
    .option(
      '--host <host>',
      'address to listen on (env JITGATE_HOST; default 127.0.0.1; loopback only until authentication lands)',
    )
    .option('--port <port>', 'port (env JITGATE_PORT; default 8080; 0 picks a free one)')
    .option('--log-level <level>', 'fatal|error|warn|info|debug|trace|silent (env JITGATE_LOG_LEVEL)')
    .option('--no-watch', 'do not reload policies when files change')
    .action(async (opts: Record<string, string | boolean | undefined>) => {
      const config = loadServerConfig({ flags: opts, env: process.env })
      const logger = createLogger(config.logLevel)
      const server = await startDecisionServer(config, logger)
      term.out(
        `jitgate decision API on ${server.url} (policies ${config.policies}, version ${server.registry.current.version})`,
      )
      const stop = (): void => {
        void server.close().then(() => process.exit(0))
      }
      process.once('SIGINT', stop)
      process.once('SIGTERM', stop)
    })
}
