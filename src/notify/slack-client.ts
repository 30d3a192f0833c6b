// The few Slack Web API calls jitgate makes (chat.postMessage, chat.update,
// chat.postEphemeral with a bot token), or an incoming webhook when no bot is configured.
// The API base URL is configuration, so tests point it at a local receiver.
import { httpPost } from './http-post.ts'
import type { SlackSettings } from './notify-config.ts'
import type { SlackMessage } from './slack-blocks.ts'

export class SlackApiError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message)
    this.name = 'SlackApiError'
  }
}

export interface SlackClientDeps {
  readonly settings: Pick<SlackSettings, 'apiBaseUrl' | 'botToken' | 'webhookUrl'>
  readonly timeoutMs: number
}

const MAX_ANSWER_BYTES = 64 * 1024

export class SlackClient {
  constructor(private readonly deps: SlackClientDeps) {}

  /** Only a bot can edit what it posted; an incoming webhook posts anew. */
  get canUpdate(): boolean {
    return this.deps.settings.botToken !== undefined
  }

  /** Posts `message`; returns `channel:ts` when Slack says where it went (bot only). */
  async post(channel: string | undefined, message: SlackMessage): Promise<string | undefined> {
    const webhookUrl = this.deps.settings.webhookUrl
    if (!this.canUpdate && webhookUrl !== undefined) {
      await this.#send(new URL(webhookUrl), {}, { text: message.text, blocks: message.blocks }, false)
      return undefined
    }
    const answer = await this.#call('chat.postMessage', {
      channel,
      text: message.text,
      blocks: message.blocks,
    })
    return typeof answer.channel === 'string' && typeof answer.ts === 'string'
      ? `${answer.channel}:${answer.ts}`
      : undefined
  }

  /** Replaces the message at `ref` (`channel:ts`). */
  async update(ref: string, message: SlackMessage): Promise<void> {
    const at = ref.indexOf(':')
    await this.#call('chat.update', {
      channel: ref.slice(0, at),
      ts: ref.slice(at + 1),
      text: message.text,
      blocks: message.blocks,
    })
  }

  /** A message only `user` sees in `channel` (bot only; a no-op otherwise). */
  async ephemeral(channel: string, user: string, text: string): Promise<void> {
    if (!this.canUpdate) return
    await this.#call('chat.postEphemeral', { channel, user, text })
  }

  async #call(method: string, body: Record<string, unknown>): Promise<Record<string, unknown>> {
    const url = new URL(`${this.deps.settings.apiBaseUrl}/${method}`)
    const headers = { authorization: `Bearer ${this.deps.settings.botToken}` }
    return this.#send(url, headers, body, true)
  }

  async #send(
    url: URL,
    headers: Record<string, string>,
    body: Record<string, unknown>,
    api: boolean,
  ): Promise<Record<string, unknown>> {
    let response: Awaited<ReturnType<typeof httpPost>>
    try {
      response = await httpPost(url, {
        headers: { ...headers, 'content-type': 'application/json; charset=utf-8' },
        body: JSON.stringify(body),
        timeoutMs: this.deps.timeoutMs,
        maxResponseBytes: MAX_ANSWER_BYTES,
      })
    } catch (error) {
      throw new SlackApiError(`Slack: ${(error as Error).message}`)
    }
    if (response.status < 200 || response.status >= 300)
      throw new SlackApiError(`Slack answered HTTP ${response.status}`, response.status)
    if (!api) return {}
    let answer: Record<string, unknown>
    try {
      answer = JSON.parse(response.body) as Record<string, unknown>
    } catch {
      throw new SlackApiError('Slack answered something other than JSON', response.status)
    }
    // Slack's error codes (`channel_not_found`, `invalid_auth`) are safe to keep and show.
    if (answer.ok !== true)
      throw new SlackApiError(
        `Slack refused: ${String(answer.error ?? 'unknown error').slice(0, 60)}`,
        response.status,
      )
    return answer
  }
}
