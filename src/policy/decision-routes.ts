// HTTP routes of the policy engine: decide an action, and show which policy set
// is in force (with the last failed reload, if any).
import { Type as T } from '@sinclair/typebox'
import type { FastifyPluginAsync } from 'fastify'
import { type CallerLimit, CallerRateLimit, originOf, ProblemSchema, principalOf } from '../http/index.ts'
import type { Actor, Decision } from './decision-types.ts'
import { type ActionBody, ActionBodySchema, DecisionSchema, PolicyStatusSchema } from './input-schema.ts'
import type { PolicyRegistry } from './policy-registry.ts'

export interface DecisionRouteDeps {
  readonly registry: Pick<PolicyRegistry, 'status'>
  /**
   * Decides `input` with the facts the server holds (its grants) and records the decision
   * in the audit log before resolving; `decisionId` names it there.
   */
  readonly decide: (
    actor: Actor,
    action: ActionBody,
    options: { readonly explain: boolean },
    origin: { readonly ip?: string; readonly client?: string },
  ) => Promise<Decision & { readonly decisionId: string }>
  /** Decisions per caller (default 6,000 a minute): each one is an audit log append. */
  readonly decisionLimit?: CallerLimit
}

export const DEFAULT_DECISION_LIMIT: CallerLimit = { max: 6_000, windowMs: 60_000 }

export function decisionRoutes(deps: DecisionRouteDeps): FastifyPluginAsync {
  const limiter = new CallerRateLimit(
    deps.decisionLimit ?? DEFAULT_DECISION_LIMIT,
    'decision_rate_limited',
    'decisions may be asked for',
  )
  return async (app) => {
    app.post<{ Body: ActionBody; Querystring: { explain?: 'true' | 'false' } }>(
      '/v1/decisions',
      {
        config: { permission: 'decision.evaluate' },
        schema: {
          summary: 'Decide an action',
          description:
            'Evaluates the action of the authenticated caller against the policy set in force, with their live grants as facts, and returns allow, deny, require_approval or require_consent, with obligations, the deciding rules, the policy version and the id under which the decision was recorded in the audit log. `context.time`, `context.ip` and `context.client` are the server’s (what it saw of the call), whatever the body says; the actor is whoever authenticated. At most 6,000 decisions a minute per caller by default (429 with Retry-After beyond).',
          tags: ['decisions'],
          body: ActionBodySchema,
          querystring: T.Object(
            {
              explain: T.Optional(
                T.Union([T.Literal('true'), T.Literal('false')], {
                  description: 'add every considered rule and why it matched or not',
                }),
              ),
            },
            { additionalProperties: false },
          ),
          response: {
            200: DecisionSchema,
            400: ProblemSchema,
            401: ProblemSchema,
            403: ProblemSchema,
            429: ProblemSchema,
          },
        },
      },
      async (request, reply) => {
        const { id, groups } = principalOf(request)
        limiter.take(id, Date.now(), reply)
        const decision = await deps.decide(
          { id, groups },
          request.body,
          { explain: request.query.explain === 'true' },
          originOf(request),
        )
        request.log.info(
          {
            decisionId: decision.decisionId,
            action: request.body.action,
            effect: decision.effect,
            reason: decision.reason.code,
            policyVersion: decision.policyVersion,
          },
          'decision',
        )
        return decision
      },
    )
    app.get(
      '/v1/policy',
      {
        config: { permission: 'policy.read' },
        schema: {
          summary: 'The policy set in force',
          description:
            'Version, files and rule count of the set in force, and the errors of the last reload if it failed (the last good set then stays in force).',
          tags: ['policy'],
          response: { 200: PolicyStatusSchema },
        },
      },
      async () => deps.registry.status(),
    )
  }
}
