// `jitgate serve` and the demo: one node (jitgate-node.ts) behind the HTTP API, listening
// on the configured address, and behind the PostgreSQL gateway when the configuration has a
// `gateway` section, with its background work running. close() ends the gateway's sessions,
// stops taking requests, lets those in flight finish, then stops the node.
import type { FastifyInstance } from 'fastify'
import type { Logger } from 'pino'
import { KEY_ENV } from '../anonymize/index.ts'
import { grantRoutes, RequestWaiters, requestRoutes } from '../approvals/index.ts'
import { auditRoutes } from '../audit/index.ts'
import { FailureLimiter, failedLoginDraft, keyRoutes, meRoute } from '../auth/index.ts'
import type { JitgateConfig } from '../config/index.ts'
import type { StatementGate } from '../gateway/index.ts'
import { initClassifier } from '../gateway/index.ts'
import { authentication, createHttpServer, docsPage } from '../http/index.ts'
import { decisionRoutes } from '../policy/index.ts'
import { nodeKeyring } from './anonymize-keyring.ts'
import type { GatewayPorts } from './gateway-ports.ts'
import { type RunningGateway, startGateway } from './gateway-wiring.ts'
import { buildNode, type JitgateNode } from './jitgate-node.ts'
import { type NodePolicyGate, nodePolicyGate } from './policy-gate-wiring.ts'
import { JITGATE_VERSION } from './version.ts'

export interface RunningServer {
  readonly app: FastifyInstance
  readonly node: JitgateNode
  readonly url: string
  /** Present when the configuration has a `gateway` section. */
  readonly gateway?: RunningGateway
  close(): Promise<void>
}

export interface StartOptions {
  /** The gateway's statement gate, built from its ports and the node; default: the policy gate. */
  readonly gatewayGate?: (ports: GatewayPorts, node: JitgateNode) => StatementGate
}

export async function startServer(
  config: JitgateConfig,
  logger: Logger,
  options: StartOptions = {},
): Promise<RunningServer> {
  const node = await buildNode(config, logger)
  let gateway: RunningGateway | undefined
  try {
    // One count of failed logins per address, whether they come over HTTP or the gateway.
    const failures = new FailureLimiter(node.auth.failureLimit)
    // The node's one subscription to request changes: long polls and the gateway's waits.
    const waiters = new RequestWaiters()
    await waiters.start(node.handle.notifier)
    const app = await createHttpServer({
      logger,
      version: JITGATE_VERSION,
      authentication: authentication({
        authenticator: node.authenticator,
        limiter: failures,
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
        // Throws once the gateway stopped listening.
        void gateway?.gateway.address
      },
      routes: [
        decisionRoutes({
          registry: node.registry,
          decisionLimit: config.server.decisionLimit,
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
          waiters,
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
    const { gatewayGate } = options
    let policyGate: NodePolicyGate | undefined
    if (config.gateway !== undefined) {
      const settings = config.gateway
      try {
        let gate = gatewayGate
        if (gate === undefined) {
          // The parser (wasm) loads once, before the first statement can arrive.
          await initClassifier()
          const keyring = nodeKeyring(config.dataDir, process.env)
          logger.info(
            { source: keyring.source, created: keyring.created },
            keyring.created ? 'made a new anonymization key for masking' : 'anonymization key loaded',
          )
          if (keyring.created && !config.store.url.startsWith('sqlite:'))
            logger.warn(
              { source: keyring.source },
              `this node made its own anonymization key: nodes sharing a store must share one (set ${KEY_ENV}), or their pseudonyms differ`,
            )
          gate = (ports) => {
            policyGate = nodePolicyGate(node, ports, settings, { keys: keyring.keys, serverUrl: url })
            return policyGate.gate
          }
        }
        const chosen = gate
        gateway = await startGateway({
          settings: config.gateway,
          apiKeys: node.apiKeys,
          authenticator: node.authenticator,
          audit: node.audit,
          approvals: node.approvals,
          notifier: node.handle.notifier,
          waiters,
          failures,
          log: logger.child({ component: 'gateway' }),
          now: node.now,
          newId: node.newId,
          gate: (ports: GatewayPorts) => chosen(ports, node),
        })
      } catch (error) {
        await app.close()
        throw error
      }
    }
    await node.start()
    let closing: Promise<void> | undefined
    return {
      app,
      node,
      url,
      ...(gateway === undefined ? {} : { gateway }),
      close: () => {
        // In-flight requests finish; a connection that never sends one (clients open spares)
        // would hold the close until its header timeout, so after a grace period it is cut.
        // The gateway goes first: its sessions may be waiting on requests the API decides.
        closing ??= (gateway?.close() ?? Promise.resolve())
          // Statements that ran still have their audit events on the way.
          .then(() => policyGate?.close())
          .catch((error: unknown) =>
            logger.error({ err: error }, 'the PostgreSQL gateway did not close cleanly'),
          )
          .then(() => {
            const grace = setTimeout(() => app.server.closeAllConnections(), 1_000)
            return app
              .close()
              .finally(() => clearTimeout(grace))
              .then(() => node.close())
          })
        return closing
      },
    }
  } catch (error) {
    await node.close()
    throw error
  }
}
