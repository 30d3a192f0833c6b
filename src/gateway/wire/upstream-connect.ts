// jitgate's own login to an upstream database: TCP, TLS when configured (SSLRequest first,
// as libpq does), the startup packet, then whichever authentication the upstream asks for
// (SCRAM-SHA-256 with the server's signature checked, MD5, cleartext over TLS, trust), up
// to the first ReadyForQuery. Also the CancelRequest, sent on a connection of its own.
import { createHash, randomBytes } from 'node:crypto'
import { connect as netConnect, type Socket } from 'node:net'
import { connect as tlsConnect } from 'node:tls'
import { serialize } from 'pg-protocol'
import {
  readAuthentication,
  readBackendKeyData,
  readFields,
  readParameterStatus,
} from './backend-messages.ts'
import { GatewayError } from './gateway-error.ts'
import { MessageFramer } from './message-framer.ts'
import { MessageStream } from './message-stream.ts'
import { scramClientFinal, scramClientFirst, scramServerVerified } from './scram-client.ts'
import type { UpstreamTarget } from './upstream-target.ts'

export interface UpstreamConnection {
  readonly socket: Socket
  /** Holds any bytes read past the first ReadyForQuery. */
  readonly framer: MessageFramer
  /** ParameterStatus values as last reported (server_version, client_encoding…). */
  readonly parameters: Map<string, string>
  readonly processId: number
  readonly secret: Buffer
}

// Upstream messages are not limited beyond PostgreSQL's own 1 GB.
const MAX_UPSTREAM_MESSAGE = 0x40000000
const ignore = (): void => undefined

/** Opens a logged-in connection; throws `upstream_unavailable` naming the upstream, never its password. */
export async function connectUpstream(target: UpstreamTarget): Promise<UpstreamConnection> {
  const socket = await openSocket(target)
  const stream = new MessageStream(
    socket,
    new MessageFramer(MAX_UPSTREAM_MESSAGE),
    `the upstream ${target.name}`,
  )
  const timer = setTimeout(() => socket.destroy(), target.connectTimeoutMs)
  try {
    // pg-protocol adds client_encoding=UTF8, the baseline DISCARD ALL returns to.
    socket.write(serialize.startup({ user: target.user, database: target.database }))
    const connection = await login(target, stream)
    stream.detach()
    return connection
  } catch (error) {
    socket.destroy()
    throw unavailable(target, error)
  } finally {
    clearTimeout(timer)
  }
}

/** Asks the upstream to cancel what the connection with this key runs; best effort, as in libpq. */
export async function cancelUpstream(
  target: UpstreamTarget,
  processId: number,
  secret: Buffer,
): Promise<void> {
  const socket = await openSocket(target)
  const message = Buffer.alloc(12 + secret.length)
  message.writeInt32BE(message.length, 0)
  message.writeInt32BE(80877102, 4)
  message.writeInt32BE(processId, 8)
  secret.copy(message, 12)
  // The server answers by closing the connection once it has read the request.
  await new Promise<void>((resolve) => {
    socket.once('close', () => resolve())
    socket.setTimeout(target.connectTimeoutMs, () => socket.destroy())
    socket.end(message)
  })
}

async function openSocket(target: UpstreamTarget): Promise<Socket> {
  const socket = netConnect({ host: target.host, port: target.port, noDelay: true })
  socket.on('error', ignore)
  socket.setTimeout(target.connectTimeoutMs, () => socket.destroy(new Error('connection timed out')))
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve)
      socket.once('close', () => reject(new Error('connection closed')))
      socket.once('error', reject)
    })
    if (target.tls.mode === 'disable') return socket
    socket.write(serialize.requestSsl())
    const answer = await new Promise<Buffer>((resolve, reject) => {
      socket.once('data', resolve)
      socket.once('close', () => reject(new Error('connection closed')))
    })
    if (answer.length !== 1 || answer[0] !== 0x53) throw new Error('the server does not accept TLS')
    const secure = tlsConnect({
      socket,
      servername: target.tls.serverName ?? target.host,
      rejectUnauthorized: target.tls.mode === 'verify-full',
      ...(target.tls.ca === undefined ? {} : { ca: target.tls.ca }),
    })
    secure.on('error', ignore)
    await new Promise<void>((resolve, reject) => {
      secure.once('secureConnect', resolve)
      secure.once('error', reject)
      secure.once('close', () => reject(new Error('connection closed during the TLS handshake')))
    })
    return secure
  } catch (error) {
    socket.destroy()
    throw unavailable(target, error)
  } finally {
    socket.setTimeout(0)
  }
}

async function login(target: UpstreamTarget, stream: MessageStream): Promise<UpstreamConnection> {
  const { framer, socket } = stream
  const parameters = new Map<string, string>()
  let key: { processId: number; secret: Buffer } | undefined
  let scram: { nonce: string; bare: string; serverSignature?: Buffer } | undefined
  for (;;) {
    await stream.next()
    const { type, buffer, start, end } = framer
    if (type === 0x52) {
      const { code, data } = readAuthentication(buffer, start, end)
      scram = authenticate(target, socket, code, data, scram)
    } else if (type === 0x53) {
      const [name, value] = readParameterStatus(buffer, start, end)
      parameters.set(name, value)
    } else if (type === 0x4b) {
      key = readBackendKeyData(buffer, start, end)
    } else if (type === 0x45) {
      const fields = readFields(buffer, start, end)
      throw new Error(`${fields.get('C') ?? ''} ${fields.get('M') ?? 'an error without a message'}`)
    } else if (type === 0x5a) {
      if (key === undefined) throw new Error('the server sent no BackendKeyData')
      return { socket, framer, parameters, ...key }
    }
    // NoticeResponse and NegotiateProtocolVersion need nothing from us.
  }
}

type ScramState = { nonce: string; bare: string; serverSignature?: Buffer } | undefined

function authenticate(target: UpstreamTarget, socket: Socket, code: number, data: Buffer, scram: ScramState) {
  const password = target.password
  switch (code) {
    case 0:
      if (scram !== undefined && scram.serverSignature !== undefined)
        throw new Error('the server ended SCRAM without proving it knows the password')
      return undefined
    case 3:
    case 5:
      if (password === undefined) throw new Error('the server asks for a password and none is configured')
      if (code === 3 && target.tls.mode === 'disable')
        throw new Error('the server asks for a cleartext password over a connection without TLS')
      socket.write(serialize.password(code === 3 ? password : md5Password(target.user, password, data)))
      return undefined
    case 10: {
      const mechanisms = data.toString('utf8').split('\0')
      if (!mechanisms.includes('SCRAM-SHA-256'))
        throw new Error('the server offers no SASL mechanism jitgate knows')
      if (password === undefined) throw new Error('the server asks for a password and none is configured')
      const nonce = randomBytes(18).toString('base64')
      const first = scramClientFirst(nonce)
      socket.write(serialize.sendSASLInitialResponseMessage('SCRAM-SHA-256', first.message))
      return { nonce, bare: first.bare }
    }
    case 11: {
      if (scram === undefined || password === undefined) throw new Error('SASLContinue out of turn')
      const step = scramClientFinal(password, scram.nonce, scram.bare, data.toString('utf8'))
      if (!step.ok) throw new Error(step.error)
      socket.write(serialize.sendSCRAMClientFinalMessage(step.message))
      return { ...scram, serverSignature: step.serverSignature }
    }
    case 12:
      if (
        scram?.serverSignature === undefined ||
        !scramServerVerified(data.toString('utf8'), scram.serverSignature)
      )
        throw new Error('the server signature of SCRAM does not verify')
      return { nonce: scram.nonce, bare: scram.bare }
    default:
      throw new Error(`the server asks for authentication method ${code}, which jitgate does not speak`)
  }
}

function md5Password(user: string, password: string, salt: Buffer): string {
  const inner = createHash('md5')
    .update(password + user, 'utf8')
    .digest('hex')
  return `md5${createHash('md5').update(inner, 'latin1').update(salt).digest('hex')}`
}

function unavailable(target: UpstreamTarget, error: unknown): GatewayError {
  if (error instanceof GatewayError && error.code === 'upstream_unavailable') return error
  const why = error instanceof Error ? error.message : String(error)
  return new GatewayError('upstream_unavailable', `the upstream ${target.name} is unavailable: ${why}`, {
    cause: error,
  })
}
