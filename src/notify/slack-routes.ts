// Slack's interaction endpoint: public (Slack holds no jitgate credentials) and guarded by
// Slack's own signature over the raw form body, which is why this plugin keeps the raw text
// of `application/x-www-form-urlencoded` bodies (in its own encapsulated context only). A
// verified Approve / Reject click becomes a call on the approval port; the outcome reaches the
// channel through the usual notifications, and the clicker hears privately what happened.
import type { FastifyPluginAsync } from 'fastify'
import { ProblemSchema } from '../http/index.ts'
import { JitgateError } from '../shared/index.ts'
import type { NotifyLogger } from './notify-ports.ts'
import type { SlackClient } from './slack-client.ts'
import { parseSlackInteraction, type SlackDecision, verifySlackSignature } from './slack-interaction.ts'

/** What the endpoint needs of the approval service; the composition root adds the user's groups. */
export interface SlackApprovals {
  approve(requestId: string, userId: string): Promise<unknown>
  reject(requestId: string, userId: string, reason: string): Promise<unknown>
}

export interface SlackInteractionDeps {
  readonly signingSecret: string
  /** Slack user id → jitgate user id. */
  readonly users: Readonly<Record<string, string>>
  /** Slack buttons carry no text: every rejection from Slack gives this reason. */
  readonly rejectReason: string
  readonly approvals: SlackApprovals
  /** Private answers to the clicker (bot only); without it they hear nothing. */
  readonly feedback?: Pick<SlackClient, 'ephemeral'>
  readonly now: () => Date
  readonly path?: string
  readonly log?: NotifyLogger
}

export const SLACK_INTERACTION_PATH = '/v1/slack/interactions'
const BODY_LIMIT = 256 * 1024

export function slackInteractionRoute(deps: SlackInteractionDeps): FastifyPluginAsync {
  return async (app) => {
    app.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string', bodyLimit: BODY_LIMIT },
      (_request, body, done) => done(null, body),
    )
    app.post(
      deps.path ?? SLACK_INTERACTION_PATH,
      {
        config: { public: true },
        schema: {
          summary: 'Slack interactions (Approve / Reject buttons)',
          description: "Called by Slack, signed with the app's signing secret; no jitgate credentials.",
          tags: ['slack'],
          response: { 200: { type: 'null' }, 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema },
        },
      },
      async (request, reply) => {
        // Any other content type was parsed already: its raw bytes, which Slack signed, are gone.
        const rawBody = typeof request.body === 'string' ? request.body : undefined
        verifySlackSignature(
          deps.signingSecret,
          {
            rawBody: rawBody ?? '',
            signature: header(request.headers['x-slack-signature']),
            timestamp: header(request.headers['x-slack-request-timestamp']),
          },
          deps.now(),
        )
        const decision = parseSlackInteraction(rawBody ?? '', deps.users)
        if (decision.action === 'none') return reply.status(200).send()
        const done = await decide(deps, decision)
        request.log.info(
          {
            requestId: decision.requestId,
            user: decision.userId,
            action: decision.action,
            recorded: done.recorded,
          },
          'slack decision',
        )
        tell(deps, decision, done.message)
        return reply.status(200).send()
      },
    )
  }
}

async function decide(deps: SlackInteractionDeps, decision: SlackDecision) {
  const what = decision.action === 'approve' ? 'approval' : 'rejection'
  try {
    if (decision.action === 'approve') await deps.approvals.approve(decision.requestId, decision.userId)
    else await deps.approvals.reject(decision.requestId, decision.userId, deps.rejectReason)
    return { recorded: true, message: `Your ${what} of request ${decision.requestId} is recorded.` }
  } catch (error) {
    // A refusal by the rules (not eligible, decided already, step-up needed) is the clicker's
    // to read; its message names the rule, never personal data. Anything else is a 500.
    if (!(error instanceof JitgateError) || error.status >= 500) throw error
    return { recorded: false, message: `jitgate did not record your ${what}: ${error.message}` }
  }
}

function tell(deps: SlackInteractionDeps, decision: SlackDecision, text: string): void {
  if (deps.feedback === undefined || decision.channelId === undefined) return
  deps.feedback
    .ephemeral(decision.channelId, decision.slackUserId, text)
    .catch((error: unknown) => deps.log?.warn({ err: error }, 'answering in Slack failed'))
}

function header(value: string | string[] | undefined): string | undefined {
  return typeof value === 'string' ? value : undefined
}
