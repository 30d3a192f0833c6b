// Notifications from the `notify` settings: the dispatcher and sender workers over the
// store, the configured channels (webhooks always; Slack and email when configured), and the
// routes for webhook subscriptions and Slack's buttons. Started and stopped with the node.
import { randomBytes } from 'node:crypto'
import type { FastifyPluginAsync } from 'fastify'
import type { Logger } from 'pino'
import type { ApprovalService } from '../approvals/index.ts'
import type { JitgateConfig } from '../config/index.ts'
import { principalOf } from '../http/index.ts'
import {
  configDirectory,
  createSmtpMailer,
  DeliverySender,
  EmailChannel,
  NotifyDispatcher,
  NotifyWorkers,
  resolveNotifyConfig,
  SlackChannel,
  SlackClient,
  slackInteractionRoute,
  WebhookChannel,
  WebhookService,
  webhookRoutes,
} from '../notify/index.ts'
import { AUDIT_CHANNEL, type DatabaseHandle, SqlNotifyStore } from '../store/index.ts'
import { JITGATE_VERSION } from './version.ts'

export interface Notifications {
  readonly routes: readonly FastifyPluginAsync[]
  start(): Promise<void>
  stop(): Promise<void>
}

export interface NotifyWiringDeps {
  readonly config: JitgateConfig
  readonly handle: DatabaseHandle
  readonly approvals: Pick<ApprovalService, 'approve' | 'reject'>
  readonly now: () => Date
  readonly newId: () => string
  readonly logger: Logger
}

export function wireNotifications(deps: NotifyWiringDeps): Notifications {
  const { config, handle, now, newId, logger } = deps
  const publicUrl = config.server.publicUrl ?? `http://${config.server.host}:${config.server.port}`
  // The file's schema has checked `notify` (src/config/config-schema.ts); only publicUrl,
  // which defaults to the server's own address, is added here.
  const raw = { publicUrl, ...config.notify }
  const s = resolveNotifyConfig(raw as Parameters<typeof resolveNotifyConfig>[0])
  const clock = { now }
  const store = new SqlNotifyStore(handle, { now, newId })
  const slack =
    s.slack === undefined ? undefined : new SlackClient({ settings: s.slack, timeoutMs: s.sendTimeoutMs })
  const mailer = s.email === undefined ? undefined : createSmtpMailer(s.email, s.sendTimeoutMs)
  const channels = {
    webhook: new WebhookChannel({
      settings: s.webhooks,
      timeoutMs: s.sendTimeoutMs,
      now,
      userAgent: `jitgate/${JITGATE_VERSION}`,
    }),
    ...(slack === undefined || s.slack === undefined
      ? {}
      : {
          slack: new SlackChannel({
            client: slack,
            store,
            clock,
            publicUrl: s.publicUrl,
            ...(s.slack.channel === undefined ? {} : { channel: s.slack.channel }),
            ...(s.slack.escalationChannel === undefined
              ? {}
              : { escalationChannel: s.slack.escalationChannel }),
          }),
        }),
    ...(mailer === undefined || s.email === undefined
      ? {}
      : {
          email: new EmailChannel({
            mailer,
            directory: configDirectory(s.email.addresses),
            requests: store.requests,
            clock,
            publicUrl: s.publicUrl,
          }),
        }),
  }
  const workers = new NotifyWorkers({
    dispatcher: new NotifyDispatcher({
      store,
      clock,
      newId,
      routing: { slack: s.slack !== undefined, email: s.email !== undefined },
      batchSize: s.batchSize,
      pollMs: s.pollMs,
      log: logger,
    }),
    sender: new DeliverySender({
      store,
      channels,
      clock,
      retry: s.retry,
      random: Math.random,
      disableAfterFailures: s.webhooks.disableAfterFailures,
      concurrency: s.sendConcurrency,
      sendTimeoutMs: s.sendTimeoutMs,
      pollMs: s.pollMs,
      keepMs: s.keepDeliveriesDays * 86_400_000,
      log: logger,
    }),
    wakeUps: handle.notifier,
    auditChannel: AUDIT_CHANNEL,
  })
  const routes: FastifyPluginAsync[] = [
    webhookRoutes({
      service: new WebhookService({ store, clock, newId, randomBytes, settings: s.webhooks }),
      actorOf: (request) => ({ type: 'user', id: principalOf(request).id }),
    }),
  ]
  if (s.slack !== undefined)
    routes.push(
      slackInteractionRoute({
        signingSecret: s.slack.signingSecret,
        users: s.slack.users,
        rejectReason: s.slack.rejectReason,
        ...(slack === undefined ? {} : { feedback: slack }),
        now,
        log: logger,
        // A Slack user is known by id only: steps that name the user (or a policy group
        // listing them) count their click; identity-provider groups need the API.
        approvals: {
          approve: (id, user) => deps.approvals.approve(id, { id: user, groups: [] }),
          reject: (id, user, reason) => deps.approvals.reject(id, { id: user, groups: [] }, reason),
        },
      }),
    )
  return {
    routes,
    start: () => workers.start(),
    stop: async () => {
      await workers.stop()
      mailer?.close()
    },
  }
}
