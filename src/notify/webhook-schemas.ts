// The HTTP shapes of webhook subscriptions and their delivery log. Response schemas are
// allowlists: the secret appears in the creation's answer only, payloads never.
import { type Static, Type as T } from '@sinclair/typebox'
import { DELIVERY_CHANNELS, DELIVERY_STATES, MESSAGE_KINDS } from './delivery.ts'

const Time = T.String({ description: 'RFC 3339 UTC' })

export const CreateWebhookBodySchema = T.Object(
  {
    url: T.String({
      minLength: 1,
      maxLength: 2048,
      description: 'http(s); receives POSTs signed per Standard Webhooks',
    }),
    events: T.Array(T.String({ minLength: 1, maxLength: 64 }), {
      minItems: 1,
      maxItems: 50,
      description: 'audit event types or patterns: request.*, execution.failed, *',
    }),
    description: T.Optional(T.String({ maxLength: 500 })),
  },
  { additionalProperties: false },
)
export type CreateWebhookBody = Static<typeof CreateWebhookBodySchema>

export const WebhookSchema = T.Object({
  id: T.String(),
  url: T.String(),
  events: T.Array(T.String()),
  description: T.Optional(T.String()),
  createdBy: T.String(),
  createdAt: Time,
  updatedAt: Time,
  consecutiveFailures: T.Integer({ description: 'deliveries in a row that failed every attempt' }),
  disabledAt: T.Optional(Time),
  disabledReason: T.Optional(T.String()),
})

export const CreatedWebhookSchema = T.Composite([
  WebhookSchema,
  T.Object({
    secret: T.String({
      description: 'whsec_…: the signing secret, shown this once; keep it with the receiver',
    }),
  }),
])

export const WebhookListSchema = T.Object({ items: T.Array(WebhookSchema) })

export const WebhookParamsSchema = T.Object({ id: T.String({ minLength: 1, maxLength: 256 }) })

export const DeliveryQuerySchema = T.Object(
  {
    cursor: T.Optional(T.String({ maxLength: 32, description: 'nextCursor of the previous page' })),
    limit: T.Optional(T.String({ pattern: '^[1-9][0-9]{0,2}$', description: '1 to 200 (default 50)' })),
  },
  { additionalProperties: false },
)

export const DeliverySchema = T.Object({
  id: T.String({ description: 'the webhook-id header of every attempt' }),
  channel: T.Union(DELIVERY_CHANNELS.map((c) => T.Literal(c))),
  kind: T.Union(MESSAGE_KINDS.map((k) => T.Literal(k))),
  eventSeq: T.Integer(),
  eventId: T.String(),
  eventType: T.String(),
  state: T.Union(DELIVERY_STATES.map((s) => T.Literal(s))),
  attempts: T.Integer(),
  nextAttemptAt: Time,
  lastStatus: T.Optional(T.Integer({ description: 'the HTTP status of the last attempt' })),
  lastError: T.Optional(T.String()),
  createdAt: Time,
  updatedAt: Time,
  deliveredAt: T.Optional(Time),
})

export const DeliveryPageSchema = T.Object({
  items: T.Array(DeliverySchema),
  nextCursor: T.Optional(T.String()),
})
