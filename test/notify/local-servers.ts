// Real servers on 127.0.0.1 for the notification tests: an HTTP receiver that records what
// it gets and answers as told (a webhook endpoint, or Slack's Web API), and an SMTP sink
// (smtp-server) that keeps every message it accepts.
import { createServer, type IncomingHttpHeaders } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { TestContext } from 'node:test'
import { SMTPServer } from 'smtp-server'

export interface Received {
  readonly path: string
  readonly headers: IncomingHttpHeaders
  readonly body: string
}

export interface Answer {
  readonly status: number
  readonly body?: string
}

export interface Receiver {
  readonly url: string
  readonly received: Received[]
}

/** `answer` is called with each request and how many came before it. */
export async function startReceiver(
  t: TestContext,
  answer: (request: Received, count: number) => Answer = () => ({ status: 204 }),
): Promise<Receiver> {
  const received: Received[] = []
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      const request = {
        path: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      }
      const reply = answer(request, received.length)
      received.push(request)
      res.writeHead(reply.status, { 'content-type': 'application/json' }).end(reply.body ?? '')
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())))
  const { port } = server.address() as AddressInfo
  return { url: `http://127.0.0.1:${port}`, received }
}

/** A stand-in for slack.com/api: chat.postMessage answers a channel and ts, every call ok. */
export function slackAnswers(request: Received, count: number): Answer {
  if (request.path.endsWith('/chat.postMessage'))
    return {
      status: 200,
      body: JSON.stringify({ ok: true, channel: 'C0APPROVE', ts: `1700000000.00010${count}` }),
    }
  return { status: 200, body: JSON.stringify({ ok: true }) }
}

export interface SmtpMessage {
  readonly from: string | undefined
  readonly to: readonly string[]
  readonly headers: Readonly<Record<string, string>>
  /** The decoded text body. */
  readonly text: string
}

export interface SmtpSink {
  readonly port: number
  readonly messages: SmtpMessage[]
}

export async function startSmtpSink(t: TestContext): Promise<SmtpSink> {
  const messages: SmtpMessage[] = []
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      let raw = ''
      stream.setEncoding('utf8')
      stream.on('data', (chunk: string) => {
        raw += chunk
      })
      stream.on('end', () => {
        const from = session.envelope.mailFrom === false ? undefined : session.envelope.mailFrom.address
        messages.push({ from, to: session.envelope.rcptTo.map((r) => r.address), ...parse(raw) })
        callback()
      })
    },
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())))
  const { port } = server.server.address() as AddressInfo
  return { port, messages }
}

/** Headers (unfolded, lowercase names) and the body, quoted-printable decoded when it is. */
function parse(raw: string): { headers: Record<string, string>; text: string } {
  const split = raw.indexOf('\r\n\r\n')
  const head = raw.slice(0, split).replace(/\r\n[ \t]+/g, ' ')
  const headers: Record<string, string> = {}
  for (const line of head.split('\r\n')) {
    const colon = line.indexOf(':')
    headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim()
  }
  let body = raw.slice(split + 4)
  if (headers['content-transfer-encoding']?.toLowerCase() === 'quoted-printable') {
    const bytes = body
      .replace(/=\r\n/g, '')
      .replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)))
    body = Buffer.from(bytes, 'latin1').toString('utf8')
  }
  return { headers, text: body.replace(/\r\n/g, '\n') }
}
