// `jitgate serve` and the demo: one node (jitgate-node.ts) behind the HTTP API, listening
// on the configured address, with its background work running. close() stops taking
// requests, lets those in flight finish, then stops the node.
import type { FastifyInstance } from 'fastify'
import type { Logger } from 'pino'
import { FailureLimiter, failedLoginDraft } from '../auth/index.ts'
import type { JitgateConfig } from '../config/index.ts'
import { authentication, createHttpServer } from '../http/index.ts'
import { decisionRoutes } from '../policy/index.ts'
import { buildNode, type JitgateNode } from './jitgate-node.ts'
import { JITGATE_VERSION } from './version.ts'

export interface RunningServer {
  readonly app: FastifyInstance
  readonly node: JitgateNode
  readonly url: string
  close(): Promise<void>
}

export async function startServer(config: JitgateConfig, logger: Logger): Promise<RunningServer> {
  const node = await buildNode(config, logger)
  try {
    const app = await createHttpServer({
      logger,
      version: JITGATE_VERSION,
      authentication: authentication({
        authenticator: node.authenticator,
        limiter: new FailureLimiter(node.auth.failureLimit),
        now: node.now,
        onFailedLogin: (attempt) => {
          node.audit
            .append(failedLoginDraft(attempt))
            .catch((error: unknown) => logger.error({ err: error }, 'could not audit a failed login'))
        },
      }),
      ready: async () => {
        await node.auditStore.head()
      },
      routes: [
        decisionRoutes({
          registry: node.registry,
          decide: async (actor, action, options) => {
            const { decision, decisionId } = await node.actions.decide(actor, action, options)
            return { ...decision, decisionId }
          },
        }),
        ...node.notifications.routes,
        node.metrics.routes,
      ],
    })
    const url = await app.listen({ host: config.server.host, port: config.server.port })
    await node.start()
    let closing: Promise<void> | undefined
    return {
      app,
      node,
      url,
      close: () => {
        closing ??= app.close().then(() => node.close())
        return closing
      },
    }
  } catch (error) {
    await node.close()
    throw error
  }
}
