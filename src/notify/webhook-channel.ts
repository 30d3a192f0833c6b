// Sends webhook deliveries: the stored body, signed for this attempt (the id stays the same
// across retries so receivers can drop duplicates; the timestamp is the attempt's). Any 2xx
// is a success; anything else, or no answer within the timeout, is a failure to retry.
import type { ClaimedDelivery, DeliveryChannelSender, SendResult } from './delivery.ts'
import { httpPost } from './http-post.ts'
import type { WebhookSettings } from './notify-config.ts'
import { signWebhook } from './webhook-signature.ts'
import { checkWebhookUrl, guardedLookup } from './webhook-url.ts'

export interface WebhookChannelDeps {
  readonly settings: WebhookSettings
  readonly timeoutMs: number
  readonly now: () => Date
  /** Sent as User-Agent, e.g. `jitgate/0.1.0`. */
  readonly userAgent: string
}

export class WebhookChannel implements DeliveryChannelSender {
  readonly #lookup

  constructor(private readonly deps: WebhookChannelDeps) {
    this.#lookup = guardedLookup(deps.settings.allowPrivateNetworks)
  }

  async send(delivery: ClaimedDelivery): Promise<SendResult> {
    const webhook = delivery.webhook
    if (webhook === undefined) return { ok: false, error: 'the subscription was deleted', permanent: true }
    let url: URL
    try {
      // Checked again: the rules may have tightened since the subscription was made.
      url = checkWebhookUrl(webhook.url, this.deps.settings)
    } catch (error) {
      return { ok: false, error: (error as Error).message, permanent: true }
    }
    const timestamp = Math.floor(this.deps.now().getTime() / 1000)
    const headers = {
      'content-type': 'application/json',
      'user-agent': this.deps.userAgent,
      ...signWebhook(webhook.secret, delivery.id, timestamp, delivery.payload),
    }
    try {
      const response = await httpPost(url, {
        headers,
        body: delivery.payload,
        timeoutMs: this.deps.timeoutMs,
        ...(this.#lookup === undefined ? {} : { lookup: this.#lookup }),
      })
      const status = response.status
      return status >= 200 && status < 300
        ? { ok: true, status }
        : { ok: false, status, error: `HTTP ${status}` }
    } catch (error) {
      return { ok: false, error: (error as Error).message }
    }
  }
}
