// Clients of the live routes for the tests: a long poll that can be aborted, and a reader
// of a server-sent event stream that waits for the event a test expects.
import assert from 'node:assert/strict'
import type { RequestView } from '../../src/approvals/index.ts'
import type { ApiServer, User } from './api-harness.ts'

export interface SentEvent {
  readonly event: string
  readonly data: unknown
}

export interface EventClient {
  readonly status: number
  readonly contentType: string | null
  /** Everything received so far, comments and retry hints included. */
  text(): string
  /** The next event (after those already taken) that `match` accepts; fails after `ms`. */
  next(match: (event: SentEvent) => boolean, ms?: number): Promise<SentEvent>
  /** The events received so far that nobody took. */
  pending(): SentEvent[]
  close(): void
}

export async function openEvents(s: ApiServer, as: User): Promise<EventClient> {
  const abort = new AbortController()
  const res = await s.call(as, 'GET', '/v1/events', undefined, { signal: abort.signal })
  const body = res.body
  assert.ok(body !== null)
  const reader = body.getReader()
  const decoder = new TextDecoder()
  let text = ''
  let parsed = 0
  const queue: SentEvent[] = []
  const parse = () => {
    const blocks = text.slice(parsed).split('\n\n')
    // The last piece is incomplete until a blank line ends it.
    for (const block of blocks.slice(0, -1)) {
      parsed += block.length + 2
      const lines = block.split('\n')
      const event = lines.find((l) => l.startsWith('event: '))?.slice(7)
      const data = lines.find((l) => l.startsWith('data: '))?.slice(6)
      if (event !== undefined) queue.push({ event, data: data === undefined ? undefined : JSON.parse(data) })
    }
  }
  const next: EventClient['next'] = async (match, ms = 10_000) => {
    const deadline = Date.now() + ms
    for (;;) {
      const index = queue.findIndex(match)
      if (index >= 0) return queue.splice(index, 1)[0] as SentEvent
      const left = deadline - Date.now()
      if (left <= 0) throw new Error(`no matching event within ${ms} ms; received:\n${text}`)
      let timer: NodeJS.Timeout | undefined
      const chunk = await Promise.race([
        reader.read(),
        new Promise<'timeout'>((resolve) => {
          timer = setTimeout(() => resolve('timeout'), left)
        }),
      ])
      clearTimeout(timer)
      if (chunk === 'timeout') continue
      if (chunk.done) throw new Error(`the stream ended; received:\n${text}`)
      text += decoder.decode(chunk.value, { stream: true })
      parse()
    }
  }
  return {
    status: res.status,
    contentType: res.headers.get('content-type'),
    text: () => text,
    next,
    pending: () => [...queue],
    close: () => abort.abort(),
  }
}

export interface WaitResult {
  readonly status: number
  readonly body: { request: RequestView; changed: boolean; code?: string }
  readonly headers: Headers
  readonly ms: number
}

/** Starts a long poll; `abort` drops the connection as a client going away would. */
export function startWait(
  s: ApiServer,
  as: User,
  id: string,
  query: string,
): { result: Promise<WaitResult>; abort: () => void } {
  const controller = new AbortController()
  const started = Date.now()
  const result = s
    .call(as, 'GET', `/v1/requests/${id}/wait${query}`, undefined, { signal: controller.signal })
    .then(async (res) => ({
      status: res.status,
      headers: res.headers,
      body: (await res.json()) as WaitResult['body'],
      ms: Date.now() - started,
    }))
  return { result, abort: () => controller.abort() }
}

/** Resolves once `check` holds; for state held by the server under test, not for timing. */
export async function until(check: () => boolean, what: string, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}
