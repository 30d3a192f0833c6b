// `jitgate serve` and the demo: one node (jitgate-node.ts) behind the HTTP API, listening
// on the configured address, with its background work running. close() stops taking
// requests, lets those in flight finish, then stops the node.
import type { FastifyInstance } from 'fastify'
import type { Logger } from 'pino'
import { grantRoutes, requestRoutes } from '../approvals/index.ts'
import { auditRoutes } from '../audit/index.ts'
import { FailureLimiter, failedLoginDraft, keyRoutes, meRoute } from '../auth/index.ts'
import type { JitgateConfig } from '../config/index.ts'
import { authentication, createHttpServer, docsPage } from '../http/index.ts'
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
      trustProxy: config.server.trustProxy,
      ready: async () => {
        await node.auditStore.head()
      },
      routes: [
        decisionRoutes({
          registry: node.registry,
          decide: async (actor, action, options, origin) => {
            const { decision, decisionId } = await node.actions.decide(actor, action, options, origin)
            return { ...decision, decisionId }
          },
        }),
        requestRoutes({
          actions: node.actions,
          approvals: node.approvals,
          grants: node.grants,
          executions: node.executions,
          notifier: node.handle.notifier,
          now: node.now,
          creationLimit: {
            max: config.server.requestLimit.max,
            windowMs: config.server.requestLimit.windowMs,
          },
        }),
        grantRoutes({ grants: node.grants, now: node.now }),
        auditRoutes({ auditStore: node.auditStore }),
        keyRoutes({ keys: node.apiKeys }),
        meRoute(),
        docsPage(),
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
        // In-flight requests finish; a connection that never sends one (clients open spares)
        // would hold the close until its header timeout, so after a grace period it is cut.
        const grace = setTimeout(() => app.server.closeAllConnections(), 1_000)
        closing ??= app
          .close()
          .finally(() => clearTimeout(grace))
          .then(() => node.close())
        return closing
      },
    }
  } catch (error) {
    await node.close()
    throw error
  }
}
