// HTTP routes of grants: list them (requesters see their own, approvers and auditors all,
// as for requests) and revoke one at once on every node.
import type { FastifyPluginAsync, FastifyRequest } from 'fastify'
import { ProblemSchema, principalOf } from '../http/index.ts'
import type { GrantService } from './grant-service.ts'
import { type GrantView, GrantViewSchema, toGrantView } from './grant-views.ts'
import { ownerFilter } from './request-access.ts'
import {
  type GrantListQuery,
  GrantListQuerySchema,
  GrantPageSchema,
  type IdParams,
  IdParamsSchema,
  RevokeGrantBodySchema,
} from './request-route-schemas.ts'

export interface GrantRouteDeps {
  readonly grants: Pick<GrantService, 'list' | 'revoke'>
  readonly now: () => Date
}

const tags = ['grants']

export function grantRoutes(deps: GrantRouteDeps): FastifyPluginAsync {
  return async (app) => {
    app.get<{ Querystring: GrantListQuery }>(
      '/v1/grants',
      {
        config: { permission: 'request.read' },
        schema: {
          summary: 'List grants, newest first',
          description:
            'Approvers and auditors see every grant; a caller who reads requests only as a requester sees their own. `status` says what each grant is now (scheduled, active, expired, consumed, revoked).',
          tags,
          querystring: GrantListQuerySchema,
          response: { 200: GrantPageSchema, 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema },
        },
      },
      async (request) => {
        const { actor, active, cursor, limit } = request.query
        const actorId = ownerFilter(principalOf(request), actor)
        if (actorId === null) return { items: [], nextCursor: null }
        const page = await deps.grants.list({
          ...(actorId === undefined ? {} : { actorId }),
          ...(active === undefined ? {} : { active: active === 'true' }),
          ...(cursor === undefined ? {} : { cursor }),
          ...(limit === undefined ? {} : { limit: Number(limit) }),
        })
        const now = deps.now()
        return {
          items: page.items.map((grant): GrantView => toGrantView(grant, now)),
          nextCursor: page.nextCursor,
        }
      },
    )

    app.post<{ Params: IdParams; Body: { reason?: string } }>(
      '/v1/grants/:id/revoke',
      {
        config: { permission: 'grant.revoke' },
        preValidation: async (request: FastifyRequest) => {
          // Every field is optional: a POST without a body is `{}`.
          request.body ??= {}
        },
        schema: {
          summary: 'Revoke a grant',
          description:
            'Takes effect at once on every node. Revoking a revoked grant changes nothing; a used single-use grant has nothing left to revoke (409).',
          tags,
          params: IdParamsSchema,
          body: RevokeGrantBodySchema,
          response: {
            200: GrantViewSchema,
            400: ProblemSchema,
            401: ProblemSchema,
            403: ProblemSchema,
            404: ProblemSchema,
            409: ProblemSchema,
          },
        },
      },
      async (request) => {
        const { id } = request.params
        const { reason } = request.body
        const revoked = await deps.grants.revoke(id, principalOf(request).id, reason)
        request.log.info({ grantId: id }, 'grant revoked')
        return toGrantView(revoked, deps.now())
      },
    )
  }
}
