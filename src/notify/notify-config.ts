// The configuration of notifications, as a TypeBox schema for the one config schema, and its
// resolution into settings with every default filled in. Secrets (Slack's signing secret and
// bot token, the SMTP password) have no defaults; problems are listed all at once.
import { type Static, Type as T } from '@sinclair/typebox'
import type { ErrorDetail } from '../shared/index.ts'
import { NotifyError } from './notify-errors.ts'
import { DEFAULT_JITTER, DEFAULT_RETRY_SCHEDULE_MS, type RetryPolicy } from './retry-policy.ts'

const Strict = { additionalProperties: false } as const
const Text = T.String({ minLength: 1 })
const SLACK_USER = /^[UW][A-Z0-9]{2,}$/

export const WebhookConfigSchema = T.Object(
  {
    allowPrivateNetworks: T.Optional(
      T.Boolean({ description: 'deliver to loopback and private addresses (default true: self-hosted)' }),
    ),
    allowedHosts: T.Optional(T.Array(Text, { description: 'only these hosts (`*.example.com` allowed)' })),
    disableAfterFailures: T.Optional(T.Integer({ minimum: 1, maximum: 1000 })),
  },
  Strict,
)

export const SlackConfigSchema = T.Object(
  {
    signingSecret: T.String({ minLength: 8, description: "the Slack app's signing secret" }),
    botToken: T.Optional(
      T.String({ pattern: '^xox[a-z]-', description: 'chat.postMessage and chat.update' }),
    ),
    channel: T.Optional(Text),
    escalationChannel: T.Optional(Text),
    webhookUrl: T.Optional(
      T.String({ pattern: '^https?://', description: 'an incoming webhook instead of a bot' }),
    ),
    apiBaseUrl: T.Optional(T.String({ pattern: '^https?://' })),
    users: T.Record(T.String(), Text, {
      description: 'Slack user id (U…/W…) → jitgate user id; nobody else may decide from Slack',
    }),
    rejectReason: T.Optional(T.String({ minLength: 1, maxLength: 500 })),
  },
  Strict,
)

export const EmailConfigSchema = T.Object(
  {
    host: Text,
    port: T.Integer({ minimum: 1, maximum: 65535 }),
    /** TLS from the start (465); otherwise STARTTLS when offered, required with `requireTls`. */
    secure: T.Optional(T.Boolean()),
    requireTls: T.Optional(T.Boolean()),
    user: T.Optional(Text),
    password: T.Optional(Text),
    from: Text,
    addresses: T.Record(Text, T.String({ pattern: '^[^@\\s<>]+@[^@\\s<>]+$' }), {
      description: 'jitgate user id → email address',
    }),
  },
  Strict,
)

export const NotifyConfigSchema = T.Object(
  {
    publicUrl: T.String({ pattern: '^https?://', description: 'where people open jitgate, for links' }),
    pollMs: T.Optional(T.Integer({ minimum: 10, maximum: 60_000 })),
    batchSize: T.Optional(T.Integer({ minimum: 1, maximum: 1000 })),
    sendConcurrency: T.Optional(T.Integer({ minimum: 1, maximum: 100 })),
    sendTimeoutMs: T.Optional(T.Integer({ minimum: 100, maximum: 120_000 })),
    retryScheduleMs: T.Optional(T.Array(T.Integer({ minimum: 0, maximum: 604_800_000 }), { maxItems: 30 })),
    retryJitter: T.Optional(T.Number({ minimum: 0, maximum: 1 })),
    keepDeliveriesDays: T.Optional(T.Integer({ minimum: 1, maximum: 3650 })),
    webhooks: T.Optional(WebhookConfigSchema),
    slack: T.Optional(SlackConfigSchema),
    email: T.Optional(EmailConfigSchema),
  },
  Strict,
)

export type NotifyConfig = Static<typeof NotifyConfigSchema>
export type SlackConfig = Static<typeof SlackConfigSchema>
export type EmailConfig = Static<typeof EmailConfigSchema>

export interface WebhookSettings {
  readonly allowPrivateNetworks: boolean
  readonly allowedHosts?: readonly string[]
  readonly disableAfterFailures: number
}

export interface SlackSettings extends SlackConfig {
  readonly apiBaseUrl: string
  readonly rejectReason: string
}

export interface NotifySettings {
  readonly publicUrl: string
  readonly pollMs: number
  readonly batchSize: number
  readonly sendConcurrency: number
  readonly sendTimeoutMs: number
  readonly retry: RetryPolicy
  readonly keepDeliveriesDays: number
  readonly webhooks: WebhookSettings
  readonly slack?: SlackSettings
  readonly email?: EmailConfig
}

/** Fills the defaults and checks what the schema cannot; throws `notify_config_invalid` listing every problem. */
export function resolveNotifyConfig(config: NotifyConfig, path = 'notify'): NotifySettings {
  const problems: ErrorDetail[] = []
  const slack = config.slack
  if (slack !== undefined) {
    const viaBot = slack.botToken !== undefined
    if (viaBot === (slack.webhookUrl !== undefined))
      problems.push({ path: `${path}.slack`, message: 'needs either botToken (with channel) or webhookUrl' })
    if (viaBot && slack.channel === undefined)
      problems.push({ path: `${path}.slack.channel`, message: 'is required with botToken' })
    for (const id of Object.keys(slack.users).filter((id) => !SLACK_USER.test(id)))
      problems.push({
        path: `${path}.slack.users.${id.slice(0, 40)}`,
        message: 'is not a Slack user id (U… or W…)',
      })
  }
  const email = config.email
  if (email !== undefined && (email.user === undefined) !== (email.password === undefined))
    problems.push({ path: `${path}.email`, message: 'user and password go together' })
  if (problems.length > 0) {
    throw new NotifyError(
      'notify_config_invalid',
      `the notification settings have ${problems.length} problem(s)`,
      problems,
    )
  }
  return Object.freeze({
    publicUrl: config.publicUrl.replace(/\/+$/, ''),
    pollMs: config.pollMs ?? 1_000,
    batchSize: config.batchSize ?? 100,
    sendConcurrency: config.sendConcurrency ?? 8,
    sendTimeoutMs: config.sendTimeoutMs ?? 10_000,
    retry: {
      scheduleMs: config.retryScheduleMs ?? DEFAULT_RETRY_SCHEDULE_MS,
      jitter: config.retryJitter ?? DEFAULT_JITTER,
    },
    keepDeliveriesDays: config.keepDeliveriesDays ?? 30,
    webhooks: {
      allowPrivateNetworks: config.webhooks?.allowPrivateNetworks ?? true,
      ...(config.webhooks?.allowedHosts === undefined ? {} : { allowedHosts: config.webhooks.allowedHosts }),
      disableAfterFailures: config.webhooks?.disableAfterFailures ?? 5,
    },
    ...(slack === undefined
      ? {}
      : {
          slack: {
            ...slack,
            apiBaseUrl: (slack.apiBaseUrl ?? 'https://slack.com/api').replace(/\/+$/, ''),
            rejectReason: slack.rejectReason ?? 'rejected in Slack',
          },
        }),
    ...(email === undefined ? {} : { email }),
  })
}
