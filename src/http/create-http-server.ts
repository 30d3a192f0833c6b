// Fastify with what every jitgate API shares: request ids, structured logs,
// problem+json errors, authentication on every route but the few public ones, the OpenAPI
// document at /openapi.json, and health (/healthz: the process answers) and readiness
// (/readyz: the store answers) checks.
import { randomUUID } from 'node:crypto'
import swagger from '@fastify/swagger'
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyPluginAsync,
  type FastifyServerOptions,
} from 'fastify'
import { installErrorHandler } from './error-handler.ts'

export interface HttpServerOptions {
  readonly logger: FastifyBaseLogger
  readonly version: string
  /** Feature route plugins, registered in order. */
  readonly routes: readonly FastifyPluginAsync[]
  /** The authentication plugin (authenticate.ts); every route after it declares a permission. */
  readonly authentication?: FastifyPluginAsync
  /** Resolves when the node can serve (its store answers); /readyz answers 503 otherwise. */
  readonly ready?: () => Promise<void>
  /** Behind load balancers: the hops or addresses trusted to set X-Forwarded-For (rate limits key on it). */
  readonly trustProxy?: false | number | readonly string[]
}

export async function createHttpServer(options: HttpServerOptions): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: options.logger,
    genReqId: () => randomUUID(),
    requestIdHeader: false,
    bodyLimit: 1024 * 1024,
    ajv: { customOptions: { allErrors: true, coerceTypes: false, removeAdditional: false } },
    trustProxy: trustedProxies(options.trustProxy ?? false),
  })
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id)
  })
  installErrorHandler(app)
  if (options.authentication !== undefined) await app.register(options.authentication)
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'jitgate API',
        version: options.version,
        description:
          'Just-in-time decisions, approvals and audit for actions on personal data. Every route but /healthz, /readyz, /openapi.json and /docs needs `Authorization: Bearer <API key or OIDC token>`.',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
  })
  const open = { public: true } as const
  app.get('/openapi.json', { schema: { hide: true }, config: open }, async () => app.swagger())
  app.get('/healthz', { schema: { hide: true }, config: open }, async () => ({ status: 'ok' }))
  app.get('/readyz', { schema: { hide: true }, config: open }, async (_request, reply) => {
    try {
      await options.ready?.()
      return { status: 'ready' }
    } catch {
      // The reason is logged by whoever failed; a probe learns only that it is not ready.
      return reply.code(503).send({ status: 'unavailable' })
    }
  })
  for (const routes of options.routes) await app.register(routes)
  return app
}

/** Fastify's form of the setting: the first `n` hops, or the listed addresses; never everyone. */
function trustedProxies(setting: false | number | readonly string[]): FastifyServerOptions['trustProxy'] {
  if (setting === false) return false
  if (typeof setting === 'number') return (_address, hop) => hop < setting
  return [...setting]
}
