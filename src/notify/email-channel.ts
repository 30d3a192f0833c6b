// Sends email deliveries through a Mailer (SMTP, see smtp-mailer.ts). The address is looked
// up when sending, so the outbox holds user ids, never addresses; the text is rendered from
// the request as it is then, and an "approval needed" for a request decided meanwhile is skipped.
import type { ClaimedDelivery, DeliveryChannelSender, SendResult } from './delivery.ts'
import { emailFor } from './email-messages.ts'
import type { NotifyClock, RequestReader } from './notify-ports.ts'
import { summarize } from './request-summary.ts'

export interface OutgoingEmail {
  readonly to: string
  readonly subject: string
  readonly text: string
}

/** Hands a message to the mail server; rejects with an error carrying `code`/`responseCode` when it cannot. */
export interface Mailer {
  send(message: OutgoingEmail): Promise<void>
}

/** Who gets mail where. */
export interface UserDirectory {
  emailOf(userId: string): string | undefined
}

/** A directory from configuration (`email.addresses`): user id → address. */
export function configDirectory(addresses: Readonly<Record<string, string>>): UserDirectory {
  return { emailOf: (userId) => (Object.hasOwn(addresses, userId) ? addresses[userId] : undefined) }
}

export interface EmailChannelDeps {
  readonly mailer: Mailer
  readonly directory: UserDirectory
  readonly requests: RequestReader
  readonly clock: NotifyClock
  readonly publicUrl: string
}

export class EmailChannel implements DeliveryChannelSender {
  constructor(private readonly deps: EmailChannelDeps) {}

  async send(delivery: ClaimedDelivery): Promise<SendResult> {
    if (delivery.kind === 'event' || delivery.recipient === undefined)
      return { ok: false, error: 'not an email delivery', permanent: true }
    const to = this.deps.directory.emailOf(delivery.recipient)
    if (to === undefined) return { ok: false, error: 'no email address for the recipient', permanent: true }
    const request = await this.deps.requests.load(delivery.subjectId)
    if (request === undefined) return { ok: false, error: 'the request no longer exists', permanent: true }
    if (delivery.kind !== 'outcome' && request.state !== 'pending')
      return { ok: true, skipped: 'the request was decided before the message went out' }
    const message = emailFor(delivery.kind, summarize(request, this.deps.clock.now()), this.deps.publicUrl)
    try {
      await this.deps.mailer.send({ to, ...message })
      return { ok: true }
    } catch (error) {
      return smtpFailure(error as Error & { code?: string; responseCode?: number })
    }
  }
}

/** By code only: a server's message may quote the address. A refused recipient will stay refused. */
function smtpFailure(error: { code?: string; responseCode?: number }): SendResult {
  const status = error.responseCode
  const code = error.code ?? 'error'
  return {
    ok: false,
    error: `SMTP ${code}${status === undefined ? '' : ` ${status}`}`,
    ...(status === undefined ? {} : { status }),
    ...(code === 'EENVELOPE' && status !== undefined && status >= 500 ? { permanent: true } : {}),
  }
}
