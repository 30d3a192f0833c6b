// HTTP routes of the policy engine: decide an action, and show which policy set
// is in force (with the last failed reload, if any).
import { Type as T } from '@sinclair/typebox'
import type { FastifyPluginAsync } from 'fastify'
import { ProblemSchema } from '../http/index.ts'
import type { PolicyInput } from './decision-types.ts'
import {
  DecisionSchema,
  type PolicyInputBody,
  PolicyInputSchema,
  PolicyStatusSchema,
} from './input-schema.ts'
import type { PolicyRegistry } from './policy-registry.ts'

export interface DecisionRouteDeps {
  readonly registry: Pick<PolicyRegistry, 'current' | 'status'>
  readonly now: () => Date
}

export function decisionRoutes(deps: DecisionRouteDeps): FastifyPluginAsync {
  return async (app) => {
    app.post<{ Body: PolicyInputBody; Querystring: { explain?: 'true' | 'false' } }>(
      '/v1/decisions',
      {
        schema: {
          summary: 'Decide an action',
          description:
            'Evaluates the action against the policy set in force and returns allow, deny, require_approval or require_consent, with obligations, the deciding rules and the policy version. `context.time` defaults to the server time.',
          tags: ['decisions'],
          body: PolicyInputSchema,
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
          response: { 200: DecisionSchema, 400: ProblemSchema },
        },
      },
      async (request) => {
        const body = request.body
        const context = { ...(body.context ?? {}) }
        if (context.time === undefined) context.time = deps.now().toISOString()
        const input = { ...body, context } as PolicyInput
        const decision = deps.registry.current.evaluate(input, { explain: request.query.explain === 'true' })
        request.log.info(
          {
            action: input.action,
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
