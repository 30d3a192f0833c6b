// Fastify with what every jitgate API shares: request ids, structured logs,
// problem+json errors, the OpenAPI document at /openapi.json, health checks.
import { randomUUID } from 'node:crypto'
import swagger from '@fastify/swagger'
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyPluginAsync } from 'fastify'
import { installErrorHandler } from './error-handler.ts'

export interface HttpServerOptions {
  readonly logger: FastifyBaseLogger
  readonly version: string
  /** Feature route plugins, registered in order. */
  readonly routes: readonly FastifyPluginAsync[]
}

export async function createHttpServer(options: HttpServerOptions): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: options.logger,
    genReqId: () => randomUUID(),
    requestIdHeader: false,
    bodyLimit: 1024 * 1024,
    ajv: { customOptions: { allErrors: true, coerceTypes: false, removeAdditional: false } },
  })
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id)
  })
  installErrorHandler(app)
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'jitgate API',
        version: options.version,
        description: 'Just-in-time decisions, approvals and audit for actions on personal data.',
      },
    },
  })
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger())
  app.get('/healthz', { schema: { hide: true } }, async () => ({ status: 'ok' }))
  for (const routes of options.routes) await app.register(routes)
  return app
}
