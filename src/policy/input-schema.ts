// JSON Schemas of the engine's input and output, shared by the HTTP API's
// validation and its OpenAPI document.
import { type Static, Type as T } from '@sinclair/typebox'
import { ErrorDetailSchema } from '../http/index.ts'

const Id = T.String({ minLength: 1, maxLength: 256, pattern: '^[^\\n\\r]+$' })

export const PolicyInputSchema = T.Object(
  {
    actor: T.Object(
      {
        id: Id,
        groups: T.Optional(T.Array(T.String({ maxLength: 256 }), { maxItems: 256 })),
        roles: T.Optional(T.Array(T.String({ maxLength: 256 }), { maxItems: 256 })),
        attributes: T.Optional(T.Record(T.String(), T.Unknown())),
      },
      { additionalProperties: false },
    ),
    action: T.String({
      minLength: 1,
      maxLength: 256,
      pattern: '^[A-Za-z0-9_.:-]+$',
      description: 'verb, e.g. db.query',
    }),
    resource: T.String({
      minLength: 1,
      maxLength: 2048,
      pattern: '^[^\\n\\r]+$',
      description: 'e.g. pg://prod/public.users',
    }),
    purpose: T.Optional(T.String({ maxLength: 256 })),
    context: T.Optional(
      T.Record(T.String(), T.Unknown(), {
        description:
          'time (RFC 3339; the server fills it in when absent), ip, client and action-specific data',
      }),
    ),
    facts: T.Optional(
      T.Object(
        {
          grants: T.Optional(
            T.Array(
              T.Object(
                {
                  id: Id,
                  verb: T.String({ minLength: 1 }),
                  resource: T.String({ minLength: 1 }),
                  fields: T.Optional(T.Array(T.String())),
                  expiresAt: T.Optional(T.String({ format: 'date-time' })),
                },
                { additionalProperties: false },
              ),
              { maxItems: 1000 },
            ),
          ),
          consents: T.Optional(
            T.Array(
              T.Object(
                {
                  subject: Id,
                  purpose: T.String({ minLength: 1 }),
                  state: T.Union([T.Literal('granted'), T.Literal('withdrawn'), T.Literal('denied')]),
                },
                { additionalProperties: false },
              ),
              { maxItems: 1000 },
            ),
          ),
          counters: T.Optional(T.Record(T.String(), T.Number())),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
)

export type PolicyInputBody = Static<typeof PolicyInputSchema>

/** An action as an API client asks about it: the actor is whoever authenticated, facts are the server's. */
export const ActionBodySchema = T.Object(
  {
    action: PolicyInputSchema.properties.action,
    resource: PolicyInputSchema.properties.resource,
    purpose: PolicyInputSchema.properties.purpose,
    context: PolicyInputSchema.properties.context,
  },
  { additionalProperties: false },
)

export type ActionBody = Static<typeof ActionBodySchema>

const Effect = T.Union([
  T.Literal('allow'),
  T.Literal('deny'),
  T.Literal('require_approval'),
  T.Literal('require_consent'),
])
const RuleRef = T.Object({
  name: T.String(),
  effect: Effect,
  source: T.Object({ file: T.String(), line: T.Integer() }),
})
const Transform = T.Object({
  transform: T.String(),
  params: T.Record(T.String(), T.Union([T.String(), T.Number(), T.Boolean()])),
})
const Scope = T.String({ enum: ['global', 'actor', 'resource', 'subject'] })

export const DecisionSchema = T.Object({
  decisionId: T.Optional(T.String({ description: 'the subject id of the decision.made audit event' })),
  effect: Effect,
  reason: T.Object({ code: T.String(), message: T.String() }),
  rules: T.Array(RuleRef),
  obligations: T.Object({
    approval: T.Optional(
      T.Object({
        steps: T.Array(T.Object({ name: T.String(), anyOf: T.Array(T.String()), quorum: T.Integer() })),
        separationOfDuties: T.Boolean(),
        timeoutSeconds: T.Integer(),
        escalation: T.Optional(T.Object({ afterSeconds: T.Integer(), to: T.Array(T.String()) })),
        reasonRequired: T.Boolean(),
        stepUp: T.Boolean(),
        grant: T.Object({
          mode: T.String({ enum: ['single_use', 'window'] }),
          maxSeconds: T.Optional(T.Integer()),
          defaultSeconds: T.Optional(T.Integer()),
        }),
        autoApprove: T.Boolean(),
      }),
    ),
    consent: T.Optional(
      T.Array(T.Object({ subject: T.String(), purpose: T.String(), notice: T.Optional(T.String()) })),
    ),
    mask: T.Optional(T.Record(T.String(), Transform)),
    rowLimit: T.Optional(T.Integer()),
    statementTimeoutSeconds: T.Optional(T.Integer()),
    rateLimits: T.Optional(
      T.Array(T.Object({ rule: T.String(), max: T.Integer(), perSeconds: T.Integer(), scope: Scope })),
    ),
    concurrencyLimits: T.Optional(T.Array(T.Object({ rule: T.String(), max: T.Integer(), scope: Scope }))),
    stepUp: T.Optional(T.Boolean()),
    reasonRequired: T.Optional(T.Boolean()),
    maxTtlSeconds: T.Optional(T.Integer()),
  }),
  policyVersion: T.String(),
  explanation: T.Optional(
    T.Array(
      T.Object({
        rule: RuleRef,
        outcome: T.String({ enum: ['matched', 'not_matched', 'error', 'skipped'] }),
        detail: T.String(),
      }),
    ),
  ),
})

export const PolicyStatusSchema = T.Object({
  path: T.String(),
  version: T.String(),
  loadedAt: T.String(),
  rules: T.Integer(),
  files: T.Array(T.String()),
  lastFailure: T.Optional(T.Object({ at: T.String(), errors: T.Array(ErrorDetailSchema) })),
})
