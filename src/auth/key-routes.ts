// HTTP routes of API keys, for admins: create one (the token is in that answer only),
// list them (never a secret or hash), revoke one at once on every node. The service writes
// the api_key.created and api_key.revoked audit events with the change.
import { type Static, Type as T } from '@sinclair/typebox'
import type { FastifyPluginAsync, FastifyRequest } from 'fastify'
import type { AuditActor } from '../audit/index.ts'
// Not the http index: it imports this feature's index, which exports these routes.
import { ProblemSchema } from '../http/problem.ts'
import { type ErrorDetail, parseDuration } from '../shared/index.ts'
import type { ApiKeyService } from './api-key-service.ts'
import { ApiKeyError, AuthenticationError } from './auth-errors.ts'
import { PERMISSIONS, ROLES } from './permissions.ts'

export interface KeyRouteDeps {
  readonly keys: Pick<ApiKeyService, 'create' | 'list' | 'revoke'>
}

const config = { permission: 'keys.manage' } as const
const tags = ['keys']
const Time = T.String({ description: 'RFC 3339 UTC' })
const Id = (description: string) => T.String({ minLength: 1, maxLength: 256, description })

const CreateKeySchema = T.Object(
  {
    subject: Id('the user id the key authenticates as'),
    name: T.String({ minLength: 1, maxLength: 100, description: 'what the key is for' }),
    roles: T.Array(T.Union(ROLES.map((r) => T.Literal(r))), { minItems: 1, maxItems: ROLES.length }),
    groups: T.Optional(T.Array(Id('a group, as actor.groups'), { maxItems: 100 })),
    scopes: T.Optional(
      T.Array(T.Union(PERMISSIONS.map((p) => T.Literal(p))), {
        minItems: 1,
        description: 'narrow the roles’ permissions to these',
      }),
    ),
    ttl: T.Optional(
      T.Union(
        [
          T.Integer({ minimum: 1, description: 'seconds' }),
          T.String({ pattern: '^(?:never|(?:[0-9]{1,6}[smhdw])+)$', description: '90d, 12h, or never' }),
        ],
        { description: 'lifetime; default and maximum are configured' },
      ),
    ),
  },
  { additionalProperties: false },
)
type CreateKey = Static<typeof CreateKeySchema>

const KeySchema = T.Object({
  keyId: T.String(),
  subject: T.String(),
  name: T.String(),
  roles: T.Array(T.String()),
  groups: T.Array(T.String()),
  scopes: T.Optional(T.Array(T.String())),
  createdAt: Time,
  createdBy: T.String(),
  expiresAt: T.Optional(Time),
  revokedAt: T.Optional(Time),
  revokedBy: T.Optional(T.String()),
  lastUsedAt: T.Optional(Time),
  state: T.Optional(T.Union([T.Literal('active'), T.Literal('expired'), T.Literal('revoked')])),
})

const ListQuerySchema = T.Object(
  {
    subject: T.Optional(Id('only this user’s keys')),
    includeRevoked: T.Optional(T.Union([T.Literal('true'), T.Literal('false')])),
  },
  { additionalProperties: false },
)
type ListQuery = Static<typeof ListQuerySchema>

const problems = { 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema }

/** The authenticated admin (src/http/authenticate.ts sets `principal` on every non-public route). */
function actorOf(request: FastifyRequest): AuditActor {
  if (request.principal === null) throw new AuthenticationError(undefined)
  return { type: 'user', id: request.principal.id }
}

export function keyRoutes(deps: KeyRouteDeps): FastifyPluginAsync {
  return async (app) => {
    app.post<{ Body: CreateKey }>(
      '/v1/keys',
      {
        config,
        schema: {
          summary: 'Create an API key',
          description:
            'The token (`jg_<key id>_<secret>`) is in this answer only: jitgate keeps its hash. Scopes must be permissions the roles grant; the lifetime is capped by the configuration.',
          tags,
          body: CreateKeySchema,
          response: { 201: T.Object({ token: T.String(), key: KeySchema }), ...problems },
        },
      },
      async (request, reply) => {
        const { ttl, ...input } = request.body
        const expiresIn =
          ttl === undefined || typeof ttl === 'number' || ttl === 'never' ? ttl : parseDuration(ttl)
        const created = await withBodyPaths(() =>
          deps.keys.create({ ...input, ...(expiresIn === undefined ? {} : { expiresIn }) }, actorOf(request)),
        )
        request.log.info({ keyId: created.key.keyId }, 'API key created')
        return reply.status(201).send(created)
      },
    )

    app.get<{ Querystring: ListQuery }>(
      '/v1/keys',
      {
        config,
        schema: {
          summary: 'List API keys',
          description:
            'Oldest first, with their state; never a secret or a hash. Revoked keys only on request.',
          tags,
          querystring: ListQuerySchema,
          response: { 200: T.Object({ items: T.Array(KeySchema) }), ...problems },
        },
      },
      async (request) => {
        const { subject, includeRevoked } = request.query
        return {
          items: await deps.keys.list({
            ...(subject === undefined ? {} : { subject }),
            includeRevoked: includeRevoked === 'true',
          }),
        }
      },
    )

    app.delete<{ Params: { id: string } }>(
      '/v1/keys/:id',
      {
        config,
        schema: {
          summary: 'Revoke an API key',
          description: 'At once, on every node; revoking a revoked key changes nothing.',
          tags,
          params: T.Object({ id: Id('the key id') }),
          response: { 200: KeySchema, ...problems, 404: ProblemSchema },
        },
      },
      async (request) => {
        const key = await deps.keys.revoke(request.params.id, actorOf(request))
        request.log.info({ keyId: key.keyId }, 'API key revoked')
        return key
      },
    )
  }
}

/** The service names its fields as in NewApiKey (/expiresIn); the client sent the body's (body/ttl). */
async function withBodyPaths<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn()
  } catch (error) {
    if (!(error instanceof ApiKeyError) || error.code !== 'api_key_invalid') throw error
    const details: ErrorDetail[] = error.details.map((d) => ({
      ...d,
      path: `body${(d.path ?? '').replace(/^\/expiresIn$/, '/ttl')}`,
    }))
    const first = details[0]
    throw new ApiKeyError(
      'api_key_invalid',
      `the API key is invalid: ${first?.path} ${first?.message}`,
      details,
    )
  }
}
