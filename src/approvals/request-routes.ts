// HTTP routes of approval requests: ask for an action (allowed at once, or a request to
// wait on), list and read requests, and — in the files this one registers — approve,
// reject, cancel and comment (request-action-routes.ts), long-poll a request and stream
// changes (request-wait-routes.ts). The caller is always the authenticated principal,
// never an actor named in a body; what they see follows request-access.ts.
import type { FastifyPluginAsync } from 'fastify'
import { originOf, ProblemSchema, principalOf } from '../http/index.ts'
import { ownerFilter } from './request-access.ts'
import { requestActionRoutes } from './request-action-routes.ts'
import { PROBLEMS, REQUEST_TAGS, type RequestRouteDeps, requestApi } from './request-api.ts'
import { creationLimiter, DEFAULT_CREATION_LIMIT } from './request-rate-limit.ts'
import {
  AllowedActionSchema,
  CreatedRequestSchema,
  type CreateRequestBody,
  CreateRequestBodySchema,
  type IdParams,
  IdParamsSchema,
  type RequestListQuery,
  RequestListQuerySchema,
  RequestPageSchema,
} from './request-route-schemas.ts'
import { type RequestView, RequestViewSchema } from './request-views.ts'
import { requestWaitRoutes } from './request-wait-routes.ts'
import { RequestWaiters } from './request-waiters.ts'

export function requestRoutes(deps: RequestRouteDeps): FastifyPluginAsync {
  return async (app) => {
    const waiters = deps.waiters ?? new RequestWaiters()
    await waiters.start(deps.notifier)
    // Long polls and event streams would hold the server open: they end first.
    app.addHook('preClose', async () => waiters.stop())
    const api = requestApi(deps, waiters)
    const limiter = creationLimiter(deps.creationLimit ?? DEFAULT_CREATION_LIMIT)

    app.post<{ Body: CreateRequestBody }>(
      '/v1/requests',
      {
        config: { permission: 'request.create' },
        schema: {
          summary: 'Ask for an action',
          description:
            'Decides the action for the authenticated caller. `allowed` (200): go ahead, nothing to wait for. `request` (201): an approval request was opened (approved already when the policy auto-approves); wait on it with /v1/requests/{id}/wait. A denial answers 403 `action_denied`, a consent requirement 403 `consent_required`. Creations are rate limited per caller (429 `request_rate_limited` with Retry-After).',
          tags: REQUEST_TAGS,
          body: CreateRequestBodySchema,
          response: { 200: AllowedActionSchema, 201: CreatedRequestSchema, ...PROBLEMS, 429: ProblemSchema },
        },
      },
      async (request, reply) => {
        const principal = principalOf(request)
        limiter.take(principal.id, deps.now().getTime(), reply)
        const { reason, grantStart, grantSeconds, ...input } = request.body
        const asked = await deps.actions.request({
          actor: { id: principal.id, groups: [...principal.groups] },
          input,
          origin: originOf(request),
          ...(reason === undefined ? {} : { reason }),
          ...(grantStart === undefined ? {} : { grantStart }),
          ...(grantSeconds === undefined ? {} : { grantSeconds }),
        })
        const { decisionId, decision } = asked.decided
        if (asked.outcome === 'allowed')
          return reply.status(200).send({ outcome: 'allowed', decisionId, decision })
        request.log.info(
          { requestId: asked.request.id, decisionId, state: asked.request.state },
          'request opened',
        )
        return reply
          .status(201)
          .send({ outcome: 'request', decisionId, request: await api.view(asked.request) })
      },
    )

    app.get<{ Querystring: RequestListQuery }>(
      '/v1/requests',
      {
        config: { permission: 'request.read' },
        schema: {
          summary: 'List approval requests, newest first',
          description:
            'Approvers and auditors see every request; a caller who reads requests only as a requester sees their own (filtering on another requester gives an empty page). Page with `cursor` = the previous page’s nextCursor.',
          tags: REQUEST_TAGS,
          querystring: RequestListQuerySchema,
          response: { 200: RequestPageSchema, 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema },
        },
      },
      async (request) => {
        const { state, requester, cursor, limit } = request.query
        const requesterId = ownerFilter(principalOf(request), requester)
        if (requesterId === null) return { items: [], nextCursor: null }
        const page = await deps.approvals.list({
          ...(state === undefined ? {} : { state }),
          ...(requesterId === undefined ? {} : { requesterId }),
          ...(cursor === undefined ? {} : { cursor }),
          ...(limit === undefined ? {} : { limit: Number(limit) }),
        })
        const items: RequestView[] = []
        for (const item of page.items) items.push(await api.view(item))
        return { items, nextCursor: page.nextCursor }
      },
    )

    app.get<{ Params: IdParams }>(
      '/v1/requests/:id',
      {
        config: { permission: 'request.read' },
        schema: {
          summary: 'Show an approval request',
          description:
            'Its state, the steps with who approved, who can still approve, history and comments, and the grant and execution it led to. A request the caller may not see answers 404, like a missing one.',
          tags: REQUEST_TAGS,
          params: IdParamsSchema,
          response: { 200: RequestViewSchema, ...PROBLEMS },
        },
      },
      async (request) => api.view(await api.load(principalOf(request), request.params.id)),
    )

    await requestActionRoutes(app, api)
    await requestWaitRoutes(app, api, deps.liveLimits)
  }
}
