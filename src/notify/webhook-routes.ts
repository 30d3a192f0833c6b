// HTTP routes of webhook subscriptions: create (answers the secret once), list, show,
// delete, enable again after automatic disabling, and the delivery log. Every route needs
// the `webhooks.manage` permission, declared with the route for the authentication hook.
import type { FastifyPluginAsync, FastifyRequest } from 'fastify'
import type { AuditActor } from '../audit/index.ts'
import { ProblemSchema } from '../http/index.ts'
import {
  CreatedWebhookSchema,
  type CreateWebhookBody,
  CreateWebhookBodySchema,
  DeliveryPageSchema,
  DeliveryQuerySchema,
  WebhookListSchema,
  WebhookParamsSchema,
  WebhookSchema,
} from './webhook-schemas.ts'
import type { WebhookService } from './webhook-service.ts'

export interface WebhookRouteDeps {
  readonly service: Pick<WebhookService, 'create' | 'list' | 'get' | 'delete' | 'enable' | 'deliveries'>
  /** Who is calling, for `createdBy` and the audit events (the authentication hook knows). */
  readonly actorOf: (request: FastifyRequest) => AuditActor
}

const config = { permission: 'webhooks.manage' } as const
const tags = ['webhooks']
const problems = { 400: ProblemSchema, 404: ProblemSchema }

export function webhookRoutes(deps: WebhookRouteDeps): FastifyPluginAsync {
  return async (app) => {
    app.post<{ Body: CreateWebhookBody }>(
      '/v1/webhooks',
      {
        config,
        schema: {
          summary: 'Subscribe a URL to audit events',
          description:
            'Deliveries are POSTed with webhook-id, webhook-timestamp and webhook-signature headers (Standard Webhooks), retried with backoff, and the subscription is disabled after repeated failure. The secret is in this answer only.',
          tags,
          body: CreateWebhookBodySchema,
          response: { 201: CreatedWebhookSchema, 400: ProblemSchema },
        },
      },
      async (request, reply) => {
        const { subscription, secret } = await deps.service.create(request.body, deps.actorOf(request))
        return reply.status(201).send({ ...subscription, secret })
      },
    )
    app.get(
      '/v1/webhooks',
      {
        config,
        schema: { summary: 'List webhook subscriptions', tags, response: { 200: WebhookListSchema } },
      },
      async () => ({
        items: await deps.service.list(),
      }),
    )
    app.get<{ Params: { id: string } }>(
      '/v1/webhooks/:id',
      {
        config,
        schema: {
          summary: 'Show a webhook subscription',
          tags,
          params: WebhookParamsSchema,
          response: { 200: WebhookSchema, ...problems },
        },
      },
      async (request) => deps.service.get(request.params.id),
    )
    app.delete<{ Params: { id: string } }>(
      '/v1/webhooks/:id',
      {
        config,
        schema: {
          summary: 'Delete a webhook subscription and its delivery log',
          tags,
          params: WebhookParamsSchema,
          response: { 204: { type: 'null' }, ...problems },
        },
      },
      async (request, reply) => {
        await deps.service.delete(request.params.id, deps.actorOf(request))
        return reply.status(204).send()
      },
    )
    app.post<{ Params: { id: string } }>(
      '/v1/webhooks/:id/enable',
      {
        config,
        schema: {
          summary: 'Enable a subscription that was disabled after repeated failure',
          description: 'Resets the failure count; deliveries queued while it was disabled are sent.',
          tags,
          params: WebhookParamsSchema,
          response: { 200: WebhookSchema, ...problems },
        },
      },
      async (request) => deps.service.enable(request.params.id, deps.actorOf(request)),
    )
    app.get<{ Params: { id: string }; Querystring: { cursor?: string; limit?: string } }>(
      '/v1/webhooks/:id/deliveries',
      {
        config,
        schema: {
          summary: "A subscription's delivery log, newest first",
          tags,
          params: WebhookParamsSchema,
          querystring: DeliveryQuerySchema,
          response: { 200: DeliveryPageSchema, ...problems },
        },
      },
      async (request) => {
        const { cursor, limit } = request.query
        return deps.service.deliveries(request.params.id, {
          ...(cursor === undefined ? {} : { cursor }),
          ...(limit === undefined ? {} : { limit: Number(limit) }),
        })
      },
    )
  }
}
