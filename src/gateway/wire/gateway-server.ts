// The PostgreSQL wire server: accepts clients, runs their handshake, gives each a session on
// a pooled connection to the upstream it names, and routes cancel requests by the keys it
// handed out. Sessions are independent: one client's failure ends that client's connection
// and nothing else.
import { randomBytes as cryptoRandomBytes, timingSafeEqual } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { createServer, type Server, type Socket } from 'node:net'
import { createSecureContext, type SecureContext } from 'node:tls'
import { type ClientHello, clientHandshake, type HandshakeSettings } from './client-handshake.ts'
import type { GatewaySettings, UpstreamSettings } from './gateway-config.ts'
import type {
  GatewayAuthenticator,
  GatewayAuthFailure,
  LoginFailureLimit,
  ScramVerifierStore,
} from './gateway-credentials.ts'
import { GatewayError } from './gateway-error.ts'
import { ProxySession } from './proxy-session.ts'
import { applyStartupSettings, greeting } from './session-open.ts'
import { forwardEverything, type StatementGate } from './statement-gate.ts'
import { cancelUpstream } from './upstream-connect.ts'
import { UpstreamPool } from './upstream-pool.ts'
import type { UpstreamTarget } from './upstream-target.ts'
import { type GatewayLog, logFailure, refuseConnection } from './wire-log.ts'

export interface PostgresGatewayOptions {
  readonly settings: GatewaySettings
  readonly verifiers: ScramVerifierStore
  readonly authenticator: GatewayAuthenticator
  /** Default: forwardEverything. */
  readonly gate?: StatementGate
  readonly failures?: LoginFailureLimit
  readonly onAuthFailure?: (failure: GatewayAuthFailure) => void
  readonly log: GatewayLog
  readonly newId: () => string
  readonly now?: () => Date
  readonly randomBytes?: (size: number) => Buffer
}

interface LiveSession {
  readonly session: ProxySession
  readonly secret: Buffer
  readonly pool: UpstreamPool
}

const ignore = (): void => undefined

export class PostgresGateway {
  readonly #sessions = new Map<number, LiveSession>()
  readonly #handshaking = new Set<Socket>()
  readonly #sockets = new Set<Socket>()
  readonly #randomBytes: (size: number) => Buffer

  private constructor(
    private readonly server: Server,
    private readonly options: PostgresGatewayOptions,
    private readonly handshake: HandshakeSettings,
    private readonly pools: ReadonlyMap<string, UpstreamPool>,
  ) {
    this.#randomBytes = options.randomBytes ?? cryptoRandomBytes
  }

  /** Reads the certificates, listens; throws when a file cannot be read or the port is taken. */
  static async start(options: PostgresGatewayOptions): Promise<PostgresGateway> {
    const { settings } = options
    const pools = new Map<string, UpstreamPool>()
    for (const upstream of Object.values(settings.upstreams))
      pools.set(upstream.name, new UpstreamPool(await targetOf(upstream), upstream.pool))
    const tls =
      settings.tls === undefined
        ? undefined
        : { context: await secureContext(settings.tls), required: settings.tls.required }
    const handshake: HandshakeSettings = {
      method: settings.auth.method,
      timeoutMs: settings.auth.timeoutMs,
      ...(tls === undefined ? {} : { tls }),
    }
    const server = createServer({ noDelay: true, pauseOnConnect: true })
    const gateway = new PostgresGateway(server, options, handshake, pools)
    server.on('connection', (socket) => gateway.#accept(socket))
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(settings.listen.port, settings.listen.host, () => resolve())
    })
    return gateway
  }

  get address(): { readonly host: string; readonly port: number } {
    const address = this.server.address()
    if (address === null || typeof address === 'string') throw new Error('the gateway is not listening')
    return { host: address.address, port: address.port }
  }

  get sessionCount(): number {
    return this.#sessions.size
  }

  poolStats(upstream: string) {
    return this.pools.get(upstream)?.stats
  }

  /** Stops listening and ends every session (57P01, as a PostgreSQL shutdown would). */
  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()))
    for (const socket of this.#handshaking) socket.destroy()
    for (const { session } of [...this.#sessions.values()])
      session.close(new GatewayError('gateway_shutdown', 'jitgate is shutting down'))
    for (const pool of this.pools.values()) pool.close()
    // What was written (a FATAL) goes out first; a client that does not hang up is not waited for.
    for (const socket of this.#sockets) socket.destroySoon()
    await closed
  }

  #accept(socket: Socket): void {
    socket.on('error', ignore)
    this.#sockets.add(socket)
    socket.once('close', () => this.#sockets.delete(socket))
    this.#handshaking.add(socket)
    this.#serve(socket)
      .catch((error: unknown) => refuseConnection(socket, error, this.options.log))
      .finally(() => this.#handshaking.delete(socket))
  }

  async #serve(socket: Socket): Promise<void> {
    const { options } = this
    const hello = await clientHandshake(socket, this.handshake, {
      verifiers: options.verifiers,
      authenticator: options.authenticator,
      ...(options.failures === undefined ? {} : { failures: options.failures }),
      ...(options.onAuthFailure === undefined ? {} : { onAuthFailure: options.onAuthFailure }),
      now: options.now ?? (() => new Date()),
      randomBytes: this.#randomBytes,
      log: options.log,
      cancel: (processId, secret) => this.#cancel(processId, secret),
    })
    if (hello === undefined) return
    try {
      await this.#open(hello)
    } catch (error) {
      refuseConnection(hello.socket, error, options.log)
    }
  }

  async #open(hello: ClientHello): Promise<void> {
    const name = hello.request.database
    const pool = this.pools.get(name)
    if (pool === undefined)
      throw new GatewayError('upstream_unknown', `no upstream is configured as "${name}"`)
    const upstream = await pool.acquire()
    try {
      await applyStartupSettings(upstream, hello.request.settings)
    } catch (error) {
      pool.release(upstream, { reusable: !upstream.socket.destroyed, transactionStatus: 'I' })
      throw error
    }
    if (hello.socket.destroyed) return pool.release(upstream, { reusable: true, transactionStatus: 'I' })
    this.#startSession(hello, pool, upstream)
  }

  #startSession(
    hello: ClientHello,
    pool: UpstreamPool,
    upstream: Awaited<ReturnType<UpstreamPool['acquire']>>,
  ): void {
    const { processId, secret } = this.#newKey()
    const session = new ProxySession({
      id: this.options.newId(),
      hello,
      upstreamName: pool.target.name,
      upstream,
      gate: this.options.gate ?? forwardEverything,
      log: this.options.log,
      cancelUpstream: () => cancelUpstream(pool.target, upstream.processId, upstream.secret),
      onClose: (closed, reusable) => {
        this.#sessions.delete(processId)
        // A statement may still run upstream for a client that is gone: stop it first.
        if (!reusable && !upstream.socket.destroyed)
          cancelUpstream(pool.target, upstream.processId, upstream.secret).catch(ignore)
        pool.release(upstream, { reusable, transactionStatus: closed.transactionStatus })
      },
    })
    this.#sessions.set(processId, { session, secret, pool })
    hello.socket.write(greeting(upstream.parameters, processId, secret))
    session.start()
  }

  #newKey(): { processId: number; secret: Buffer } {
    for (;;) {
      const processId = this.#randomBytes(4).readUInt32BE(0) >>> 1
      if (processId !== 0 && !this.#sessions.has(processId))
        return { processId, secret: this.#randomBytes(4) }
    }
  }

  // PostgreSQL answers a cancel request with nothing, whether or not the key matched.
  #cancel(processId: number, secret: Buffer): void {
    const live = this.#sessions.get(processId)
    if (live === undefined || secret.length !== live.secret.length || !timingSafeEqual(secret, live.secret))
      return
    // A statement held for a decision (an approval) has not reached the upstream: stop the wait.
    if (!live.session.cancelPending()) return
    const { upstreamConnection: upstream } = live.session
    cancelUpstream(live.pool.target, upstream.processId, upstream.secret).catch((error: unknown) =>
      logFailure(this.options.log, error, { session: live.session.id, action: 'cancel' }),
    )
  }
}

async function secureContext(tls: NonNullable<GatewaySettings['tls']>): Promise<SecureContext> {
  return createSecureContext({ cert: await readFile(tls.certFile), key: await readFile(tls.keyFile) })
}

async function targetOf(upstream: UpstreamSettings): Promise<UpstreamTarget> {
  const { tls } = upstream
  return {
    name: upstream.name,
    host: upstream.host,
    port: upstream.port,
    database: upstream.database,
    user: upstream.user,
    ...(upstream.password === undefined ? {} : { password: upstream.password }),
    tls:
      tls.mode === 'disable'
        ? { mode: 'disable' }
        : {
            mode: tls.mode,
            ...(tls.caFile === undefined ? {} : { ca: await readFile(tls.caFile, 'utf8') }),
            ...(tls.serverName === undefined ? {} : { serverName: tls.serverName }),
          },
    connectTimeoutMs: upstream.connectTimeoutMs,
  }
}
