// The composition root of the decision server: config → logger → policy
// registry (with hot reload) → HTTP server. Nothing else builds dependencies.
import type { FastifyInstance } from 'fastify'
import type { Logger } from 'pino'
import type { ServerConfig } from '../config/index.ts'
import { createHttpServer } from '../http/index.ts'
import { decisionRoutes, PolicyRegistry } from '../policy/index.ts'
import { JITGATE_VERSION } from './version.ts'

export interface RunningServer {
  readonly app: FastifyInstance
  readonly registry: PolicyRegistry
  readonly url: string
  close(): Promise<void>
}

export async function startDecisionServer(config: ServerConfig, logger: Logger): Promise<RunningServer> {
  const now = () => new Date()
  const registry = await PolicyRegistry.open(config.policies, now, logger)
  if (config.watchPolicies) registry.watch()
  const app = await createHttpServer({
    logger,
    version: JITGATE_VERSION,
    routes: [decisionRoutes({ registry, now })],
  })
  const address = await app.listen({ host: config.host, port: config.port })
  const shutdown = async (): Promise<void> => {
    registry.close()
    await app.close()
  }
  return { app, registry, url: address, close: shutdown }
}
