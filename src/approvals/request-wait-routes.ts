// Learning of a decision at once, without polling: a long poll on one request, and a
// server-sent event stream of every request the caller may see. Both hang on the node's
// one REQUEST_CHANNEL subscription (request-waiters.ts), so an approval committed on any
// node of the cluster reaches them, and both let go of it when the client leaves.
import type { FastifyInstance, FastifyReply } from 'fastify'
import type { Principal } from '../auth/index.ts'
import { EventStream, ProblemSchema, principalOf } from '../http/index.ts'
import { parseDuration } from '../shared/index.ts'
import { DEFAULT_LIVE_LIMITS, LiveLimitError, type LiveLimits, OpenCounter } from './live-limits.ts'
import { canSeeRequest } from './request-access.ts'
import { PROBLEMS, REQUEST_TAGS, type RequestApi } from './request-api.ts'
import {
  type IdParams,
  IdParamsSchema,
  type WaitQuery,
  WaitQuerySchema,
  WaitResultSchema,
} from './request-route-schemas.ts'

const DEFAULT_WAIT_SECONDS = 30
const MAX_WAIT_SECONDS = 60
const STREAM = { retryMs: 3_000, heartbeatMs: 15_000 }

/** Seconds in `30s`, `1m`, `1m30s` or a bare `45`, at most MAX_WAIT_SECONDS (the schema checked the form). */
export function waitSeconds(timeout: string | undefined): number {
  if (timeout === undefined) return DEFAULT_WAIT_SECONDS
  const seconds = /^[0-9]+$/.test(timeout) ? Number(timeout) : (parseDuration(timeout) ?? 0)
  return Math.min(seconds, MAX_WAIT_SECONDS)
}

export async function requestWaitRoutes(
  app: FastifyInstance,
  api: RequestApi,
  limits: LiveLimits = DEFAULT_LIVE_LIMITS,
): Promise<void> {
  const waits = new OpenCounter(limits.maxWaitsPerPrincipal, 'long polls')
  const streams = new OpenCounter(limits.maxStreamsPerPrincipal, 'event streams')
  app.get<{ Params: IdParams; Querystring: WaitQuery }>(
    '/v1/requests/:id/wait',
    {
      config: { permission: 'request.read' },
      exposeHeadRoute: false,
      schema: {
        summary: 'Wait for a request to change state (long poll)',
        description:
          'Answers at once when the request’s state differs from `state` (without `state`: when it is no longer pending); otherwise when it changes, on any node, or when `timeout` has passed (default 30s, at most 60s), with `changed` false. Pass the state you saw and call again to follow a request. Visibility as for GET /v1/requests/{id}. A caller may have 32 long polls open at once (429 beyond).',
        tags: REQUEST_TAGS,
        params: IdParamsSchema,
        querystring: WaitQuerySchema,
        response: { 200: WaitResultSchema, ...PROBLEMS, 429: ProblemSchema },
      },
    },
    async (request, reply) => {
      const viewer = principalOf(request)
      const { id } = request.params
      const seen = request.query.state ?? 'pending'
      const release = openOrRefuse(waits, viewer.id, reply)
      // Watch before reading: a change committed between the read and the wait is not lost.
      const watch = api.waiters.watch(id)
      const timer = setTimeout(() => watch.end(), waitSeconds(request.query.timeout) * 1000)
      const gone = () => watch.end()
      reply.raw.once('close', gone)
      try {
        let current = await api.load(viewer, id)
        while (current.state === seen && (await watch.next())) current = await api.deps.approvals.get(id)
        return { request: await api.view(current), changed: current.state !== seen }
      } finally {
        clearTimeout(timer)
        reply.raw.off('close', gone)
        watch.end()
        release()
      }
    },
  )

  const feed = new RequestFeed(api, app.log, limits.credentialRecheckMs)
  app.addHook('preClose', async () => feed.close())
  app.get(
    '/v1/events',
    {
      config: { permission: 'request.read' },
      exposeHeadRoute: false,
      schema: {
        summary: 'Stream request changes (server-sent events)',
        description:
          'text/event-stream: one `event: request` with `data: {"id","state"}` each time a request the caller may see changes (requesters: their own), on any node; `event: resync` when changes may have been missed (reload what you show); a comment heartbeat every 15 s; `retry:` 3 s. Events carry no ids and Last-Event-ID is not honoured: after reconnecting, reload the requests you show. The caller’s credentials are checked again every minute: once the key is revoked or expired, `event: end` is sent and the stream closes. A caller may have 8 streams open at once (429 beyond).',
        tags: REQUEST_TAGS,
        response: {
          200: {
            description: 'the event stream',
            content: { 'text/event-stream': { schema: { type: 'string' } } },
          },
          401: PROBLEMS[401],
          403: PROBLEMS[403],
          429: ProblemSchema,
        },
      },
    },
    async (request, reply) => {
      const viewer = principalOf(request)
      const release = openOrRefuse(streams, viewer.id, reply)
      const stream = new EventStream(request, reply, STREAM)
      stream.onEnd(release)
      feed.add(viewer, stream, () => request.credentialsStillValid())
      return reply
    },
  )
}

/** Counts one more open for `principalId`; over the limit, sets Retry-After and throws the 429. */
function openOrRefuse(counter: OpenCounter, principalId: string, reply: FastifyReply): () => void {
  try {
    return counter.take(principalId)
  } catch (error) {
    if (error instanceof LiveLimitError) reply.header('retry-after', String(error.retryAfterSeconds))
    throw error
  }
}

interface Subscriber {
  readonly viewer: Principal
  readonly stream: EventStream
}

/** The event streams of this node: each change is read once and sent to whoever may see it. */
class RequestFeed {
  readonly #subscribers = new Set<Subscriber>()
  readonly #unlisten: () => void
  // One change at a time, so that a stream never shows an older state after a newer one.
  #queue: Promise<void> = Promise.resolve()

  constructor(
    private readonly api: RequestApi,
    private readonly log: FastifyInstance['log'],
    private readonly recheckMs: number,
  ) {
    this.#unlisten = api.waiters.listen((id) => {
      if (this.#subscribers.size === 0) return
      this.#queue = this.#queue.then(() => this.#publish(id))
    })
  }

  /** Streams changes `viewer` may see until the stream ends or `stillValid` says no more. */
  add(viewer: Principal, stream: EventStream, stillValid: () => Promise<boolean>): void {
    const subscriber = { viewer, stream }
    this.#subscribers.add(subscriber)
    const recheck = setInterval(() => {
      void stillValid().then((valid) => {
        if (valid || stream.ended) return
        stream.send('end', { reason: 'credentials_no_longer_valid' })
        stream.end()
      })
    }, this.recheckMs)
    stream.onEnd(() => {
      clearInterval(recheck)
      this.#subscribers.delete(subscriber)
    })
  }

  close(): void {
    this.#unlisten()
    for (const { stream } of [...this.#subscribers]) stream.end()
  }

  async #publish(id: string | null): Promise<void> {
    if (id === null) {
      for (const { stream } of this.#subscribers) stream.send('resync', {})
      return
    }
    try {
      const request = await this.api.deps.approvals.get(id)
      for (const { viewer, stream } of this.#subscribers)
        if (canSeeRequest(viewer, request)) stream.send('request', { id, state: request.state })
    } catch (error) {
      // The streams stay open; a change we could not read is one event short.
      this.log.warn({ err: error, requestId: id }, 'a request change could not be streamed')
    }
  }
}
