// Webhook subscriptions as commands: create (the secret is returned this once), list, get,
// delete, re-enable after automatic disabling, and the delivery log. Every change is one
// transaction with its audit event, so who pointed jitgate's events where is on record.
import type { AuditActor, AuditDraft } from '../audit/index.ts'
import type { Delivery } from './delivery.ts'
import { checkEventFilter } from './event-filter.ts'
import type { WebhookSettings } from './notify-config.ts'
import { NotifyError, webhookNotFound } from './notify-errors.ts'
import type { NotifyClock, NotifyStore, WebhookSubscription } from './notify-ports.ts'
import { newWebhookSecret } from './webhook-signature.ts'
import { bareHost, checkWebhookUrl } from './webhook-url.ts'

export interface WebhookServiceDeps {
  readonly store: NotifyStore
  readonly clock: NotifyClock
  readonly newId: () => string
  readonly randomBytes: (size: number) => Uint8Array
  readonly settings: WebhookSettings
}

export interface CreateWebhookCommand {
  readonly url: string
  readonly events: readonly string[]
  readonly description?: string
}

export interface DeliveryPage {
  readonly items: readonly Delivery[]
  /** Pass as `cursor` for the next (older) page; absent on the last. */
  readonly nextCursor?: string
}

export const MAX_PAGE = 200

export class WebhookService {
  constructor(private readonly deps: WebhookServiceDeps) {}

  /** The new subscription and its secret, which is never shown again. */
  async create(command: CreateWebhookCommand, by: AuditActor) {
    const url = checkWebhookUrl(command.url, this.deps.settings)
    const events = checkEventFilter(command.events)
    const secret = newWebhookSecret(this.deps.randomBytes)
    const subscription = await this.deps.store.transact(async (tx) => {
      const now = this.deps.clock.now().toISOString()
      const created: WebhookSubscription = {
        id: this.deps.newId(),
        url: url.href,
        events,
        ...(command.description === undefined ? {} : { description: command.description }),
        createdBy: by.id,
        createdAt: now,
        updatedAt: now,
        startSeq: await tx.events.headSeq(),
        consecutiveFailures: 0,
      }
      await tx.subscriptions.insert(created, secret)
      await tx.audit([draft('webhook.created', created, by, { host: bareHost(url), events: [...events] })])
      return created
    })
    return { subscription, secret }
  }

  list(): Promise<readonly WebhookSubscription[]> {
    return this.deps.store.transact((tx) => tx.subscriptions.list())
  }

  get(id: string): Promise<WebhookSubscription> {
    return this.deps.store.transact(async (tx) => {
      const found = await tx.subscriptions.load(id)
      if (found === undefined) throw webhookNotFound(id)
      return found
    })
  }

  /** Deletes it and its delivery log; what was still queued for it is not sent. */
  delete(id: string, by: AuditActor): Promise<void> {
    return this.deps.store.transact(async (tx) => {
      const found = await tx.subscriptions.load(id, { lock: true })
      if (found === undefined || !(await tx.subscriptions.delete(id))) throw webhookNotFound(id)
      await tx.audit([draft('webhook.deleted', found, by, {})])
    })
  }

  /** Enables it again with a clean failure count; deliveries queued while disabled go out. */
  enable(id: string, by: AuditActor): Promise<WebhookSubscription> {
    return this.deps.store.transact(async (tx) => {
      const found = await tx.subscriptions.load(id, { lock: true })
      if (found === undefined) throw webhookNotFound(id)
      if (found.disabledAt === undefined) return found
      const { disabledAt: _at, disabledReason: _reason, ...rest } = found
      const enabled = { ...rest, consecutiveFailures: 0, updatedAt: this.deps.clock.now().toISOString() }
      await tx.subscriptions.update(enabled)
      await tx.audit([draft('webhook.enabled', enabled, by, {})])
      return enabled
    })
  }

  /** One page of a subscription's deliveries, newest event first. */
  deliveries(
    id: string,
    query: { readonly cursor?: string; readonly limit?: number },
  ): Promise<DeliveryPage> {
    const limit = Math.min(MAX_PAGE, Math.max(1, query.limit ?? 50))
    const beforeSeq = query.cursor === undefined ? undefined : parseCursor(query.cursor)
    return this.deps.store.transact(async (tx) => {
      if ((await tx.subscriptions.load(id)) === undefined) throw webhookNotFound(id)
      const items = await tx.deliveries.page(id, {
        limit: limit + 1,
        ...(beforeSeq === undefined ? {} : { beforeSeq }),
      })
      const page = items.slice(0, limit)
      const last = page[page.length - 1]
      return items.length > limit && last !== undefined
        ? { items: page, nextCursor: String(last.eventSeq) }
        : { items: page }
    })
  }
}

function parseCursor(cursor: string): number {
  if (!/^[1-9]\d{0,15}$/.test(cursor))
    throw new NotifyError('webhook_cursor_invalid', 'the cursor is not one this API returned', [
      { path: '/cursor', message: 'pass nextCursor from the previous page as it is' },
    ])
  return Number(cursor)
}

function draft(
  type: 'webhook.created' | 'webhook.deleted' | 'webhook.enabled',
  subscription: WebhookSubscription,
  by: AuditActor,
  details: Record<string, string | string[]>,
): AuditDraft {
  return { actor: by, type, subject: { type: 'webhook', id: subscription.id }, details }
}
