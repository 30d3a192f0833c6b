// One client session bridged to its upstream connection. Client messages go through the
// client requests (the statement gate, in order); upstream messages through the response
// tracker, which says which to forward, replace or hide. Runs of messages nobody touches go
// out as the bytes that came in, one write per chunk, and each side stops reading while the
// other cannot keep up. A session ends once; its upstream connection is then reusable only
// if it sits between requests.
import type { Principal } from '../../auth/index.ts'
import { noticeResponse, readFields, readParameterStatus } from './backend-messages.ts'
import type { ClientHello } from './client-handshake.ts'
import { ClientRequests, type RequestOutlet } from './client-requests.ts'
import { GatewayError } from './gateway-error.ts'
import { FORWARD, REPLACE, ResponseTracker } from './response-tracker.ts'
import { supportedClientEncoding } from './startup-parameters.ts'
import type { GateAbortReason, GateSession, NoticeFields, StatementGate } from './statement-gate.ts'
import type { UpstreamConnection } from './upstream-connect.ts'
import { endConnection, type GatewayLog, logFailure } from './wire-log.ts'
import { PassWrites, WriteRun, writeOrWait } from './write-run.ts'

export interface ProxySessionInit {
  readonly id: string
  readonly hello: ClientHello
  readonly upstreamName: string
  readonly upstream: UpstreamConnection
  readonly gate: StatementGate
  readonly log: GatewayLog
  /** Asks the upstream to cancel what this session's connection runs (a statement timeout). */
  readonly cancelUpstream: () => Promise<void>
  /** Called once, when the session is over, with whether its upstream connection is reusable. */
  readonly onClose: (session: ProxySession, reusable: boolean) => void
}

// PostgreSQL's own limit on a message.
const MAX_SESSION_MESSAGE = 0x3fffffff
// While a decision is pending (an approval may take minutes) the client's next messages are
// still read, and held, up to this many bytes: reading is how a client that leaves is noticed,
// so that the session ends and its held statement never runs.
const HELD_BYTES = 1 << 20

export class ProxySession implements GateSession {
  readonly id: string
  readonly principal: Principal
  readonly user: string
  readonly upstream: string
  readonly client: { readonly address: string; readonly port: number; readonly tls: boolean }
  readonly startup: ReadonlyMap<string, string>

  readonly #init: ProxySessionInit
  readonly #socket: ClientHello['socket']
  readonly #up: UpstreamConnection
  readonly #tracker = new ResponseTracker()
  readonly #requests: ClientRequests
  readonly #upstreamWrites: PassWrites
  readonly #clientWrites: PassWrites
  readonly #toUpstream = new WriteRun((data) => this.#upstreamWrites.send(data))
  readonly #toClient = new WriteRun((data) => this.#clientWrites.send(data))
  // Aborted when the session ends, or when the client cancels the pending decision.
  #decision = new AbortController()
  #waitingGate = false
  #waitingUpstreamDrain = false
  #upstreamFatal = false
  #closed = false

  constructor(init: ProxySessionInit) {
    const { hello } = init
    this.#init = init
    this.#socket = hello.socket
    this.#up = init.upstream
    this.#upstreamWrites = new PassWrites(init.upstream.socket, (data) => this.#sendUpstream(data))
    this.#clientWrites = new PassWrites(hello.socket, (data) => this.#sendClient(data))
    this.id = init.id
    this.principal = hello.principal
    this.user = hello.request.user
    this.upstream = init.upstreamName
    this.startup = hello.startup
    this.client = {
      address: hello.socket.remoteAddress ?? 'unknown',
      port: hello.socket.remotePort ?? 0,
      tls: hello.tls,
    }
    this.#requests = new ClientRequests(this, init.gate, this.#tracker, this.#outlet(), init.log)
  }

  get transactionStatus() {
    return this.#tracker.transactionStatus
  }

  /** As the upstream last reported them (server_version, client_encoding…). */
  get parameters(): ReadonlyMap<string, string> {
    return this.#up.parameters
  }

  get upstreamConnection(): UpstreamConnection {
    return this.#up
  }

  get signal(): AbortSignal {
    return this.#decision.signal
  }

  /**
   * The client sent a CancelRequest: a decision being awaited (an approval) stops. True when
   * something of the session may be running upstream, which must then be cancelled there too;
   * false when nothing is in flight (a cancel sent anyway would hit the client's next statement).
   */
  cancelPending(): boolean {
    if (this.#closed) return false
    if (this.#waitingGate) {
      const pending = this.#decision
      this.#decision = new AbortController()
      pending.abort('client_cancelled' satisfies GateAbortReason)
    }
    return !this.#tracker.idle
  }

  notice(fields: NoticeFields): void {
    if (!this.#closed)
      this.#clientWrites.send(noticeResponse({ ...fields, severity: fields.severity ?? 'NOTICE' }))
  }

  start(): void {
    this.#init.hello.framer.maxLength = MAX_SESSION_MESSAGE
    this.#socket.on('data', this.#onClientData)
    this.#socket.on('close', this.#onClientClose)
    this.#up.socket.on('data', this.#onUpstreamData)
    this.#up.socket.on('close', this.#onUpstreamClose)
    this.#socket.resume()
    this.#up.socket.resume()
    if (this.#init.hello.framer.pending > 0) this.#pumpClient()
    if (this.#up.framer.pending > 0) this.#pumpUpstream()
  }

  /** Ends the session, with a FATAL error for the client when `error` is given. */
  close(error?: unknown): void {
    if (this.#closed) return
    this.#closed = true
    this.#socket.off('data', this.#onClientData)
    this.#socket.off('close', this.#onClientClose)
    this.#up.socket.off('data', this.#onUpstreamData)
    this.#up.socket.off('close', this.#onUpstreamClose)
    if (error !== undefined) logFailure(this.#init.log, error, { session: this.id })
    endConnection(this.#socket, error)
    const reusable =
      !this.#up.socket.destroyed && this.#tracker.idle && !this.#waitingGate && this.#up.framer.pending === 0
    this.#tracker.abandon()
    this.#decision.abort('session_ended' satisfies GateAbortReason)
    this.#init.onClose(this, reusable)
  }

  #outlet(): RequestOutlet {
    const session = this
    return {
      run: this.#toUpstream,
      send: (data: Buffer) => {
        this.#toUpstream.flush()
        this.#upstreamWrites.send(data)
      },
      hold: (waiting: boolean) => {
        this.#waitingGate = waiting
        this.#flowControl()
      },
      resume: () => this.#pumpClient(),
      together: (fn: () => void) => {
        this.#upstreamWrites.begin()
        try {
          fn()
        } finally {
          this.#upstreamWrites.end()
        }
      },
      fail: (error: unknown) => this.close(error),
      cancel: () => {
        if (!this.#closed)
          this.#init
            .cancelUpstream()
            .catch((error: unknown) =>
              logFailure(this.#init.log, error, { session: this.id, action: 'statement timeout' }),
            )
      },
      get closed() {
        return session.#closed
      },
    }
  }

  readonly #onClientData = (chunk: Buffer): void => {
    const framer = this.#init.hello.framer
    framer.push(chunk)
    if (!this.#waitingGate) this.#pumpClient()
    else if (framer.pending > HELD_BYTES) this.#flowControl()
  }

  readonly #onClientClose = (): void => this.close()

  readonly #onUpstreamData = (chunk: Buffer): void => {
    this.#up.framer.push(chunk)
    this.#pumpUpstream()
  }

  // After a FATAL the client was told why already; otherwise it learns the connection was lost.
  readonly #onUpstreamClose = (): void => {
    if (this.#upstreamFatal) this.close()
    else
      this.close(
        new GatewayError('upstream_unavailable', `the connection to the upstream ${this.upstream} was lost`),
      )
  }

  #pumpClient(): void {
    if (this.#closed) return
    const framer = this.#init.hello.framer
    const requests = this.#requests
    this.#upstreamWrites.begin()
    try {
      while (!this.#closed && !requests.waiting && framer.next()) {
        if (!requests.handle(framer.type, framer.buffer, framer.start, framer.end)) {
          this.#toUpstream.flush()
          this.close()
          return
        }
      }
      this.#toUpstream.flush()
    } catch (error) {
      this.#toUpstream.flush()
      this.close(error)
    } finally {
      this.#upstreamWrites.end()
    }
  }

  #pumpUpstream(): void {
    const framer = this.#up.framer
    const tracker = this.#tracker
    this.#clientWrites.begin()
    try {
      while (!this.#closed && framer.next()) {
        const { type, buffer, start, end } = framer
        if (type === 0x53) this.#parameterStatus(buffer, start, end)
        else if (type === 0x45) this.#upstreamFatal ||= isFatal(buffer, start, end)
        const verdict = tracker.onMessage(type, buffer, start, end)
        if (verdict === FORWARD && tracker.prefix === undefined) {
          this.#toClient.add(buffer, start, end)
          continue
        }
        this.#toClient.flush()
        if (tracker.prefix !== undefined) this.#clientWrites.send(tracker.prefix)
        if (verdict === FORWARD) this.#toClient.add(buffer, start, end)
        else if (verdict === REPLACE) this.#clientWrites.send(tracker.replacement)
      }
      this.#toClient.flush()
    } catch (error) {
      this.#toClient.flush()
      this.close(error)
    } finally {
      this.#clientWrites.end()
    }
  }

  #parameterStatus(buffer: Buffer, start: number, end: number): void {
    const [name, value] = readParameterStatus(buffer, start, end)
    this.#up.parameters.set(name, value)
    // The gate reads statements as UTF-8: an encoding it cannot read would blind it.
    if (name === 'client_encoding' && !supportedClientEncoding(value))
      throw new GatewayError('wire_feature_unsupported', `jitgate speaks UTF8 with clients, not ${value}`)
  }

  #sendUpstream(data: Buffer): void {
    if (!writeOrWait(this.#up.socket, data) || this.#waitingUpstreamDrain) return
    this.#waitingUpstreamDrain = true
    this.#flowControl()
    this.#up.socket.once('drain', () => {
      this.#waitingUpstreamDrain = false
      this.#flowControl()
    })
  }

  #sendClient(data: Buffer): void {
    if (!writeOrWait(this.#socket, data) || this.#up.socket.isPaused()) return
    this.#up.socket.pause()
    this.#socket.once('drain', () => {
      if (!this.#closed) this.#up.socket.resume()
    })
  }

  #flowControl(): void {
    const held = this.#waitingGate && this.#init.hello.framer.pending > HELD_BYTES
    if (held || this.#waitingUpstreamDrain) this.#socket.pause()
    else if (!this.#closed) this.#socket.resume()
  }
}

function isFatal(buffer: Buffer, start: number, end: number): boolean {
  const severity = readFields(buffer, start, end).get('V')
  return severity === 'FATAL' || severity === 'PANIC'
}
