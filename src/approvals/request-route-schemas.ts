// What the request routes accept and answer, as TypeBox schemas: Fastify validates input
// with them (a 400 names the field at fault), serializes answers through them (an
// allowlist), and @fastify/swagger publishes them in /openapi.json.
import { type Static, Type as T } from '@sinclair/typebox'
import { ActionBodySchema, DecisionSchema } from '../policy/index.ts'
import { GrantViewSchema } from './grant-views.ts'
import { MAX_TEXT_LENGTH } from './request-history.ts'
import { RequestStateSchema, RequestViewSchema } from './request-views.ts'

const Text = (description: string) => T.String({ minLength: 1, maxLength: MAX_TEXT_LENGTH, description })

export const IdParamsSchema = T.Object({ id: T.String({ minLength: 1, maxLength: 256 }) })
export type IdParams = Static<typeof IdParamsSchema>

export const CreateRequestBodySchema = T.Object(
  {
    ...ActionBodySchema.properties,
    reason: T.Optional(
      T.String({ maxLength: MAX_TEXT_LENGTH, description: 'why; some policies require one' }),
    ),
    grantStart: T.Optional(
      T.String({
        format: 'date-time',
        maxLength: 40,
        description: 'RFC 3339: start the grant later than the approval',
      }),
    ),
    grantSeconds: T.Optional(
      T.Integer({ minimum: 1, description: 'how long the grant should last; the policy caps it' }),
    ),
  },
  { additionalProperties: false },
)
export type CreateRequestBody = Static<typeof CreateRequestBodySchema>

export const CreatedRequestSchema = T.Object({
  outcome: T.Literal('request'),
  decisionId: T.String({ description: 'the decision.made audit event’s subject id' }),
  request: RequestViewSchema,
})

export const AllowedActionSchema = T.Object({
  outcome: T.Literal('allowed'),
  decisionId: T.String(),
  decision: DecisionSchema,
})

const Limit = T.String({
  pattern: '^[1-9][0-9]{0,3}$',
  description: 'items per page: default 50, at most 200',
})
const Cursor = T.String({ maxLength: 200, description: 'nextCursor of the previous page' })

export const RequestListQuerySchema = T.Object(
  {
    state: T.Optional(RequestStateSchema),
    requester: T.Optional(T.String({ minLength: 1, maxLength: 256, description: 'a requester’s user id' })),
    cursor: T.Optional(Cursor),
    limit: T.Optional(Limit),
  },
  { additionalProperties: false },
)
export type RequestListQuery = Static<typeof RequestListQuerySchema>

export const RequestPageSchema = T.Object({
  items: T.Array(RequestViewSchema),
  nextCursor: T.Union([T.String(), T.Null()], { description: 'null on the last page' }),
})

export const GrantListQuerySchema = T.Object(
  {
    actor: T.Optional(T.String({ minLength: 1, maxLength: 256, description: 'whose grants' })),
    active: T.Optional(
      T.Union([T.Literal('true'), T.Literal('false')], {
        description: 'true: only grants active now; false: only those that are not',
      }),
    ),
    cursor: T.Optional(Cursor),
    limit: T.Optional(Limit),
  },
  { additionalProperties: false },
)
export type GrantListQuery = Static<typeof GrantListQuerySchema>

export const GrantPageSchema = T.Object({
  items: T.Array(GrantViewSchema),
  nextCursor: T.Union([T.String(), T.Null()], { description: 'null on the last page' }),
})

export const RevokeGrantBodySchema = T.Object(
  { reason: T.Optional(Text('why it is revoked')) },
  { additionalProperties: false },
)

export const ApproveBodySchema = T.Object(
  {
    comment: T.Optional(Text('added to the request after the approval')),
    stepUpCode: T.Optional(
      T.String({
        pattern: '^[0-9]{6,8}$',
        description: 'the approver’s TOTP code, when the policy asks for step-up',
      }),
    ),
  },
  { additionalProperties: false },
)
export type ApproveBody = Static<typeof ApproveBodySchema>

export const RejectBodySchema = T.Object(
  { reason: Text('why it is rejected') },
  { additionalProperties: false },
)

export const CommentBodySchema = T.Object({ text: Text('the comment') }, { additionalProperties: false })

export const WaitQuerySchema = T.Object(
  {
    timeout: T.Optional(
      T.String({
        pattern: '^(?:[0-9]{1,6}|(?:[0-9]{1,6}[sm])+)$',
        description: 'how long to wait: 30s, 1m, or seconds; default 30s, at most 60s (longer is lowered)',
      }),
    ),
    state: T.Optional(RequestStateSchema),
  },
  { additionalProperties: false },
)
export type WaitQuery = Static<typeof WaitQuerySchema>

export const WaitResultSchema = T.Object({
  request: RequestViewSchema,
  changed: T.Boolean({ description: 'the state differs from the one given (or from pending)' }),
})
