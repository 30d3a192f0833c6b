// The Mailer over SMTP with nodemailer: one pooled transport to the configured server, with
// timeouts so that a stuck server fails an attempt instead of holding a sender. Built by the
// composition root from `email` settings; closed when jitgate stops.
import nodemailer from 'nodemailer'
import type { Mailer, OutgoingEmail } from './email-channel.ts'
import type { EmailConfig } from './notify-config.ts'

export interface SmtpMailer extends Mailer {
  close(): void
}

export function createSmtpMailer(config: EmailConfig, timeoutMs: number): SmtpMailer {
  const transport = nodemailer.createTransport({
    host: config.host,
    port: config.port,
    secure: config.secure ?? false,
    // With credentials, never send them over a connection a network attacker kept in clear.
    requireTLS: config.requireTls ?? (config.user !== undefined && config.secure !== true),
    ...(config.user === undefined || config.password === undefined
      ? {}
      : { auth: { user: config.user, pass: config.password } }),
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
    // nodemailer logs nothing unless asked; keep it so: envelopes hold addresses.
    logger: false,
    debug: false,
  })
  return {
    async send(message: OutgoingEmail): Promise<void> {
      await transport.sendMail({
        from: config.from,
        to: message.to,
        subject: message.subject,
        text: message.text,
      })
    },
    close: () => transport.close(),
  }
}
