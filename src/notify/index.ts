// Notifications: the audit log as the outbox. A dispatcher turns new audit events into
// deliveries (webhooks signed per Standard Webhooks, Slack Block Kit messages with Approve /
// Reject buttons, emails over SMTP) in the same transaction that moves its cursor; senders on
// every node claim due deliveries and send them with retries, outside any request's path.
// Other features import only from here.
export {
  type ClaimedDelivery,
  DELIVERY_CHANNELS,
  DELIVERY_STATES,
  type Delivery,
  type DeliveryChannel,
  type DeliveryChannelSender,
  type DeliveryDraft,
  type DeliveryState,
  MESSAGE_KINDS,
  type MessageKind,
  type SendResult,
} from './delivery.ts'
export { DeliverySender, type DeliverySenderDeps } from './delivery-sender.ts'
export {
  configDirectory,
  EmailChannel,
  type EmailChannelDeps,
  type Mailer,
  type OutgoingEmail,
  type UserDirectory,
} from './email-channel.ts'
export { type EmailMessage, emailFor } from './email-messages.ts'
export { checkEventFilter, matchesFilter } from './event-filter.ts'
export {
  type EmailConfig,
  EmailConfigSchema,
  type NotifyConfig,
  NotifyConfigSchema,
  type NotifySettings,
  resolveNotifyConfig,
  type SlackConfig,
  SlackConfigSchema,
  type SlackSettings,
  WebhookConfigSchema,
  type WebhookSettings,
} from './notify-config.ts'
export { type DispatchResult, NotifyDispatcher, type NotifyDispatcherDeps } from './notify-dispatcher.ts'
export { NotifyError, type NotifyErrorCode } from './notify-errors.ts'
export {
  DELIVERY_CHANNEL,
  type DeliveryOutcome,
  type DeliveryPageQuery,
  type DeliveryRepository,
  type NewDelivery,
  type NotifyClock,
  type NotifyLogger,
  type NotifyStore,
  type NotifyTransaction,
  type RequestReader,
  type SubscriptionRepository,
  type WebhookSubscription,
} from './notify-ports.ts'
export { NotifyWorkers, type NotifyWorkersDeps, type WakeUps } from './notify-workers.ts'
export {
  messageKindOf,
  planDeliveries,
  type Routing,
  type WebhookTarget,
  webhookPayload,
} from './plan-deliveries.ts'
export { type RequestSummary, summarize } from './request-summary.ts'
export {
  DEFAULT_RETRY_SCHEDULE_MS,
  healthAfter,
  maxAttempts,
  type RetryPolicy,
  retryDelayMs,
  settleAttempt,
} from './retry-policy.ts'
export {
  APPROVE_ACTION,
  escapeMrkdwn,
  OPEN_ACTION,
  REJECT_ACTION,
  type SlackBlock,
  type SlackMessage,
  slackRequestMessage,
} from './slack-blocks.ts'
export { SlackChannel, type SlackChannelDeps } from './slack-channel.ts'
export { SlackApiError, SlackClient, type SlackClientDeps } from './slack-client.ts'
export {
  parseSlackInteraction,
  type SlackDecision,
  type SlackIgnored,
  verifySlackSignature,
} from './slack-interaction.ts'
export {
  SLACK_INTERACTION_PATH,
  type SlackApprovals,
  type SlackInteractionDeps,
  slackInteractionRoute,
} from './slack-routes.ts'
export { createSmtpMailer, type SmtpMailer } from './smtp-mailer.ts'
export { WebhookChannel, type WebhookChannelDeps } from './webhook-channel.ts'
export { type WebhookRouteDeps, webhookRoutes } from './webhook-routes.ts'
export {
  type CreateWebhookCommand,
  type DeliveryPage,
  WebhookService,
  type WebhookServiceDeps,
} from './webhook-service.ts'
export { newWebhookSecret, signWebhook, verifyWebhook } from './webhook-signature.ts'
export { checkWebhookUrl, isPrivateAddress } from './webhook-url.ts'
