// What people do to a request over HTTP: approve (with a TOTP code when the policy asks for
// step-up), reject with a reason, cancel (the requester), comment. The actor is the
// authenticated principal; the state machine decides whether they may, and its refusals
// (self_approval, not_eligible, not_requester, invalid_transition…) are the answer.
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { principalOf } from '../http/index.ts'
import { PROBLEMS, REQUEST_TAGS, type RequestApi } from './request-api.ts'
import {
  type ApproveBody,
  ApproveBodySchema,
  CommentBodySchema,
  type IdParams,
  IdParamsSchema,
  RejectBodySchema,
} from './request-route-schemas.ts'
import { RequestViewSchema } from './request-views.ts'
import { StepUpLimiter, StepUpRateLimitedError } from './step-up-limit.ts'

const tags = REQUEST_TAGS
const response = { 200: RequestViewSchema, ...PROBLEMS }

/** A POST whose fields are all optional may come without a body: read it as `{}`. */
async function emptyBodyAsObject(request: FastifyRequest): Promise<void> {
  request.body ??= {}
}

export async function requestActionRoutes(app: FastifyInstance, api: RequestApi): Promise<void> {
  const { approvals } = api.deps
  const stepUp = new StepUpLimiter()

  app.post<{ Params: IdParams; Body: ApproveBody }>(
    '/v1/requests/:id/approve',
    {
      config: { permission: 'request.approve' },
      preValidation: emptyBodyAsObject,
      schema: {
        summary: 'Approve a request',
        description:
          'Records the caller’s approval (their user id and groups decide which step it fills). Approving one’s own request is refused (403 `self_approval`) under separation of duties; someone no step names gets 403 `not_eligible`; a decided request 409 `invalid_transition`. Approving twice changes nothing. `comment` is added after the approval.',
        tags,
        params: IdParamsSchema,
        body: ApproveBodySchema,
        response,
      },
    },
    async (request, reply) => {
      const principal = principalOf(request)
      const { id } = request.params
      // No visibility check first: request.approve comes with the approver role, which sees
      // every request; a missing one is the service's request_not_found.
      const { comment, stepUpCode } = request.body
      const approver = { id: principal.id, groups: [...principal.groups] }
      let next =
        stepUpCode === undefined
          ? await approvals.approve(id, approver)
          : await stepUp
              .guard(principal.id, api.deps.now().getTime(), () =>
                approvals.approve(id, approver, { stepUpCode }),
              )
              .catch((error: unknown) => {
                if (error instanceof StepUpRateLimitedError)
                  reply.header('retry-after', String(error.retryAfterSeconds))
                throw error
              })
      if (comment !== undefined) next = await approvals.comment(id, principal.id, comment)
      request.log.info({ requestId: id, state: next.state }, 'request approved by caller')
      return api.view(next)
    },
  )

  app.post<{ Params: IdParams; Body: { reason: string } }>(
    '/v1/requests/:id/reject',
    {
      config: { permission: 'request.approve' },
      schema: {
        summary: 'Reject a request',
        description: 'One rejection rejects the request; the reason is required and kept in its votes.',
        tags,
        params: IdParamsSchema,
        body: RejectBodySchema,
        response,
      },
    },
    async (request) => {
      const principal = principalOf(request)
      const { id } = request.params
      // As for approve: an approver sees every request.
      const approver = { id: principal.id, groups: [...principal.groups] }
      return api.view(await approvals.reject(id, approver, request.body.reason))
    },
  )

  app.post<{ Params: IdParams }>(
    '/v1/requests/:id/cancel',
    {
      config: { permission: 'request.create' },
      schema: {
        summary: 'Cancel one’s own pending request',
        description: 'Only the requester may cancel (403 `not_requester`); canceling twice changes nothing.',
        tags,
        params: IdParamsSchema,
        response,
      },
    },
    async (request) => {
      const principal = principalOf(request)
      const { id } = request.params
      await api.load(principal, id)
      return api.view(await approvals.cancel(id, principal.id))
    },
  )

  app.post<{ Params: IdParams; Body: { text: string } }>(
    '/v1/requests/:id/comments',
    {
      config: { permission: 'request.read' },
      schema: {
        summary: 'Comment on a request',
        description: 'Anyone who can see the request may comment, in any state.',
        tags,
        params: IdParamsSchema,
        body: CommentBodySchema,
        response,
      },
    },
    async (request) => {
      const principal = principalOf(request)
      const { id } = request.params
      await api.load(principal, id)
      return api.view(await approvals.comment(id, principal.id, request.body.text))
    },
  )
}
