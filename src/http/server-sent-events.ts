// One server-sent event stream (text/event-stream) on a Fastify reply: the reply is taken
// over from Fastify, a `retry:` hint and a comment heartbeat keep proxies and clients from
// timing out, and the stream ends when the client goes, the server closes, or the client
// reads too slowly to keep up (its buffer is not allowed to grow without bound).
import type { FastifyReply, FastifyRequest } from 'fastify'

export interface EventStreamOptions {
  /** How long a client waits before reconnecting (the `retry:` field). */
  readonly retryMs: number
  /** A comment line this often, so idle connections stay open through proxies. */
  readonly heartbeatMs: number
  /** Bytes a slow client may have queued before the stream is ended (default 1 MiB). */
  readonly maxBufferedBytes?: number
}

const DEFAULT_MAX_BUFFERED = 1024 * 1024

export class EventStream {
  readonly #reply: FastifyReply
  readonly #heartbeat: NodeJS.Timeout
  readonly #onEnd = new Set<() => void>()
  readonly #maxBuffered: number
  #ended = false

  /** Takes the reply over, writes the headers and the retry hint. */
  constructor(request: FastifyRequest, reply: FastifyReply, options: EventStreamOptions) {
    this.#reply = reply
    this.#maxBuffered = options.maxBufferedBytes ?? DEFAULT_MAX_BUFFERED
    reply.hijack()
    reply.raw.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      // nginx buffers responses unless told not to.
      'x-accel-buffering': 'no',
      'x-request-id': request.id,
    })
    reply.raw.on('close', () => this.end())
    this.#write(`retry: ${options.retryMs}\n\n`)
    this.#heartbeat = setInterval(() => this.comment('heartbeat'), options.heartbeatMs)
  }

  get ended(): boolean {
    return this.#ended
  }

  /** One event; `data` is sent as one line of JSON. */
  send(event: string, data: unknown): void {
    this.#write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`)
  }

  comment(text: string): void {
    this.#write(`: ${text.replace(/[\r\n]/g, ' ')}\n\n`)
  }

  /** Runs `fn` once when the stream ends, for whatever reason. */
  onEnd(fn: () => void): void {
    if (this.#ended) fn()
    else this.#onEnd.add(fn)
  }

  end(): void {
    if (this.#ended) return
    this.#ended = true
    clearInterval(this.#heartbeat)
    if (!this.#reply.raw.writableEnded) this.#reply.raw.end()
    for (const fn of this.#onEnd) fn()
    this.#onEnd.clear()
  }

  #write(text: string): void {
    if (this.#ended) return
    this.#reply.raw.write(text)
    if (this.#reply.raw.writableLength > this.#maxBuffered) this.end()
  }
}
