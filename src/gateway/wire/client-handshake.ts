// A client's way in, turn by turn: SSLRequest (TLS with the gateway's certificate) or
// GSSENCRequest (refused), CancelRequest (handed on), the startup packet, then authentication
// with an API key as the password: SCRAM-SHA-256 against the key's stored verifier, or
// cleartext over TLS for tokens that have no verifier (OIDC). Whatever goes wrong ends the
// connection with a FATAL ErrorResponse; the process never minds a client's bytes.
import type { Socket } from 'node:net'
import { type SecureContext, TLSSocket } from 'node:tls'
import type { Principal } from '../../auth/index.ts'
import { negotiateProtocolVersion, SSL_ACCEPTED, SSL_REFUSED } from './backend-messages.ts'
import { authenticateClient, type ClientAuthDeps } from './client-auth.ts'
import { readStartupPacket, type StartupPacket } from './frontend-messages.ts'
import { GatewayError } from './gateway-error.ts'
import { MessageFramer } from './message-framer.ts'
import { MessageStream } from './message-stream.ts'
import { readStartupRequest, type StartupRequest } from './startup-parameters.ts'
import { type GatewayLog, refuseConnection } from './wire-log.ts'

export interface HandshakeSettings {
  readonly tls?: { readonly context: SecureContext; readonly required: boolean }
  readonly method: 'scram-sha-256' | 'password'
  /** The whole handshake must be over by then (PostgreSQL's authentication_timeout). */
  readonly timeoutMs: number
}

export interface HandshakeDeps extends ClientAuthDeps {
  readonly log: GatewayLog
  /** A CancelRequest came in: pass it on if the key is a session's. */
  readonly cancel: (processId: number, secret: Buffer) => void
}

export interface ClientHello {
  readonly socket: Socket
  /** Holds any bytes the client sent past its authentication. */
  readonly framer: MessageFramer
  readonly tls: boolean
  readonly request: StartupRequest
  readonly startup: ReadonlyMap<string, string>
  readonly principal: Principal
}

// PostgreSQL's own limit on a startup packet; authentication messages (a JWT) get a little more.
const MAX_STARTUP = 10_000
const MAX_AUTH_MESSAGE = 16_384
const ignore = (): void => undefined

/** The authenticated client, or undefined when the connection ended here (refused, cancel, probe). */
export async function clientHandshake(
  raw: Socket,
  settings: HandshakeSettings,
  deps: HandshakeDeps,
): Promise<ClientHello | undefined> {
  const handshake = new Handshake(raw, settings, deps)
  const timer = setTimeout(() => handshake.socket.destroy(), settings.timeoutMs)
  try {
    return await handshake.run()
  } catch (error) {
    handshake.stream.detach()
    refuseConnection(handshake.socket, error, deps.log)
    return undefined
  } finally {
    clearTimeout(timer)
  }
}

class Handshake {
  socket: Socket
  tls = false
  readonly framer = new MessageFramer(MAX_STARTUP)
  stream: MessageStream

  constructor(
    private readonly raw: Socket,
    private readonly settings: HandshakeSettings,
    private readonly deps: HandshakeDeps,
  ) {
    this.socket = raw
    this.framer.startup = true
    this.stream = new MessageStream(raw, this.framer, 'the client')
  }

  async run(): Promise<ClientHello | undefined> {
    const packet = await this.#startup()
    if (packet === undefined) return undefined
    if (packet.major !== 3)
      throw new GatewayError(
        'wire_feature_unsupported',
        `protocol ${packet.major}.${packet.minor} is not supported: jitgate speaks 3.0`,
      )
    if (this.settings.tls?.required === true && !this.tls)
      throw new GatewayError('wire_tls_required', 'jitgate requires TLS: connect with sslmode=require')
    const request = readStartupRequest(packet.parameters)
    if (packet.minor > 0 || request.protocolOptions.length > 0)
      this.socket.write(negotiateProtocolVersion(0, request.protocolOptions))
    this.framer.startup = false
    this.framer.maxLength = MAX_AUTH_MESSAGE
    const context = {
      method: this.settings.method,
      tls: this.tls,
      user: request.user,
      address: this.raw.remoteAddress ?? 'unknown',
    }
    const principal = await authenticateClient(this.stream, context, this.deps)
    this.stream.detach()
    const { socket, framer, tls } = this
    return { socket, framer, tls, request, startup: packet.parameters, principal }
  }

  /** The startup packet, after TLS if asked for; undefined when it was a cancel request. */
  async #startup(): Promise<Extract<StartupPacket, { kind: 'startup' }> | undefined> {
    for (;;) {
      await this.stream.next()
      const packet = readStartupPacket(this.framer.buffer, this.framer.start, this.framer.end)
      if (packet.kind === 'startup') return packet
      if (packet.kind === 'cancel') {
        this.deps.cancel(packet.processId, packet.secret)
        this.socket.end()
        return undefined
      }
      const tls = this.settings.tls
      if (packet.kind === 'gssenc' || tls === undefined || this.tls) {
        this.socket.write(SSL_REFUSED)
        continue
      }
      // Bytes sent before the TLS handshake could be read as if they came over TLS.
      if (this.framer.pending > 0)
        throw new GatewayError('wire_protocol_violation', 'data arrived after SSLRequest')
      this.stream.detach()
      this.socket.write(SSL_ACCEPTED)
      this.socket = await startTls(this.raw, tls.context)
      this.tls = true
      this.stream = new MessageStream(this.socket, this.framer, 'the client')
    }
  }
}

async function startTls(raw: Socket, context: SecureContext): Promise<Socket> {
  const secure = new TLSSocket(raw, { isServer: true, secureContext: context, ALPNProtocols: ['postgresql'] })
  secure.on('error', ignore)
  await new Promise<void>((resolve, reject) => {
    secure.once('secure', resolve)
    secure.once('close', () =>
      reject(new GatewayError('wire_protocol_violation', 'the TLS handshake failed')),
    )
  })
  return secure
}
