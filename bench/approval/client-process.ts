// The approval bench's clients, in a process of their own as real clients are: the waiting
// client and the approving one must not share the server's event loop, or the bench would
// time their JSON parsing and request building as the server's. The parent sends one trial
// at a time over IPC; this process creates the request, times the baseline round trip, long
// polls, approves, and reports both times measured on its own clock.
import { Agent, request } from 'node:http'

export interface TrialCommand {
  readonly waiterUrl: string
  readonly approverUrl: string
  readonly requester: string
  readonly approver: string
  readonly resource: string
}

export type TrialReply =
  | { readonly ok: true; readonly unblockMs: number; readonly rttMs: number }
  | { readonly ok: false; readonly error: string }

// Keep-alive, as any client that talks to jitgate more than once does.
const agent = new Agent({ keepAlive: true, maxSockets: 8 })

function call(url: string, token: string, method = 'GET', body?: unknown): Promise<unknown> {
  const payload = body === undefined ? undefined : JSON.stringify(body)
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method,
        agent,
        headers: {
          authorization: `Bearer ${token}`,
          ...(payload === undefined
            ? {}
            : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }),
        },
      },
      (res) => {
        const chunks: Buffer[] = []
        res.on('data', (chunk: Buffer) => chunks.push(chunk))
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8')
          if ((res.statusCode ?? 500) >= 300)
            reject(new Error(`${method} ${url} answered ${res.statusCode}: ${text}`))
          else resolve(JSON.parse(text))
        })
        res.on('error', reject)
      },
    )
    req.on('error', reject)
    req.end(payload)
  })
}

async function trial(command: TrialCommand): Promise<TrialReply> {
  const created = (await call(`${command.waiterUrl}/v1/requests`, command.requester, 'POST', {
    action: 'data.export',
    resource: command.resource,
  })) as { request: { id: string } }
  const id = created.request.id
  const t0 = performance.now()
  await call(`${command.waiterUrl}/v1/requests/${id}`, command.requester)
  const rttMs = performance.now() - t0
  const waiting = call(
    `${command.waiterUrl}/v1/requests/${id}/wait?timeout=30s&state=pending`,
    command.requester,
  )
  // Let the long poll reach the server and subscribe before the approval is sent.
  await new Promise((resolve) => setTimeout(resolve, 20))
  const start = performance.now()
  const approving = call(`${command.approverUrl}/v1/requests/${id}/approve`, command.approver, 'POST', {})
  const answer = (await waiting) as { request: { state: string } }
  const unblockMs = performance.now() - start
  await approving
  if (answer.request.state === 'pending')
    throw new Error(`request ${id} was still pending when the wait returned`)
  return { ok: true, unblockMs, rttMs }
}

process.on('message', (command: TrialCommand) => {
  trial(command).then(
    (reply) => process.send?.(reply),
    (error: unknown) =>
      process.send?.({ ok: false, error: error instanceof Error ? error.message : String(error) }),
  )
})
