// Sends Slack deliveries. The message is rendered from the request as it is when sent, so a
// retry or a late message never shows a stale state: "approval needed" for a request decided
// meanwhile is skipped, and the outcome replaces the request's earlier messages (bot) or is
// posted as a new one (incoming webhook, or nothing posted before).
import type { ClaimedDelivery, DeliveryChannelSender, SendResult } from './delivery.ts'
import type { NotifyClock, NotifyStore } from './notify-ports.ts'
import { summarize } from './request-summary.ts'
import { slackRequestMessage } from './slack-blocks.ts'
import { SlackApiError, type SlackClient } from './slack-client.ts'

export interface SlackChannelDeps {
  readonly client: Pick<SlackClient, 'post' | 'update' | 'canUpdate'>
  readonly store: Pick<NotifyStore, 'requests' | 'slackMessages'>
  readonly clock: NotifyClock
  readonly publicUrl: string
  readonly channel?: string
  readonly escalationChannel?: string
}

export class SlackChannel implements DeliveryChannelSender {
  constructor(private readonly deps: SlackChannelDeps) {}

  async send(delivery: ClaimedDelivery): Promise<SendResult> {
    const request = await this.deps.store.requests.load(delivery.subjectId)
    if (request === undefined) return { ok: false, error: 'the request no longer exists', permanent: true }
    if (delivery.kind !== 'outcome' && request.state !== 'pending')
      return { ok: true, skipped: 'the request was decided before the message went out' }
    const message = slackRequestMessage(
      summarize(request, this.deps.clock.now()),
      delivery.kind,
      this.deps.publicUrl,
    )
    try {
      if (delivery.kind === 'outcome') {
        const refs = this.deps.client.canUpdate ? await this.deps.store.slackMessages(request.id) : []
        for (const ref of refs) await this.deps.client.update(ref, message)
        if (refs.length > 0) return { ok: true }
      }
      const channel =
        delivery.kind === 'escalated' ? (this.deps.escalationChannel ?? this.deps.channel) : this.deps.channel
      const ref = await this.deps.client.post(channel, message)
      return { ok: true, ...(ref === undefined ? {} : { externalRef: ref }) }
    } catch (error) {
      if (!(error instanceof SlackApiError)) throw error
      return {
        ok: false,
        error: error.message,
        ...(error.status === undefined ? {} : { status: error.status }),
      }
    }
  }
}
