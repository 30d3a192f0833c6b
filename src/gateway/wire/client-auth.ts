// Authenticating a client with an API key as its password. SCRAM-SHA-256 checks the proof
// against the verifiers kept with the user's keys, so the key never crosses the wire; the
// cleartext method (TLS only) takes any token the authenticator knows, OIDC ones included.
// A failure is counted per client address, reported for the audit log, and answered as
// coarsely as over HTTP: a wrong key and an unknown user read the same.
import {
  AuthenticationError,
  type AuthFailureReason,
  AuthRateLimitedError,
  type Principal,
} from '../../auth/index.ts'
import {
  AUTHENTICATION_CLEARTEXT,
  AUTHENTICATION_OK,
  authenticationSasl,
  authenticationSaslContinue,
  authenticationSaslFinal,
} from './backend-messages.ts'
import { expectType, readPassword, readSaslInitialResponse, readSaslResponse } from './frontend-messages.ts'
import type {
  GatewayAuthenticator,
  GatewayAuthFailure,
  GatewayAuthFailureReason,
  LoginFailureLimit,
  ScramVerifierStore,
} from './gateway-credentials.ts'
import { GatewayError } from './gateway-error.ts'
import type { MessageStream } from './message-stream.ts'
import { parseScramVerifier, SCRAM_ITERATIONS, type ScramVerifier, subjectScramSalt } from './scram.ts'
import { scramServerFinal, scramServerFirst } from './scram-server.ts'

export interface ClientAuthDeps {
  readonly verifiers: ScramVerifierStore
  readonly authenticator: GatewayAuthenticator
  readonly failures?: LoginFailureLimit
  readonly onAuthFailure?: (failure: GatewayAuthFailure) => void
  readonly now: () => Date
  readonly randomBytes: (size: number) => Buffer
}

export interface ClientAuthContext {
  readonly method: 'scram-sha-256' | 'password'
  readonly tls: boolean
  readonly user: string
  readonly address: string
}

const PASSWORD = 0x70 // 'p': PasswordMessage, SASLInitialResponse and SASLResponse alike
const MECHANISM = 'SCRAM-SHA-256'

/** The principal the client proved to be; throws what the client is told otherwise. */
export async function authenticateClient(
  stream: MessageStream,
  context: ClientAuthContext,
  deps: ClientAuthDeps,
): Promise<Principal> {
  const retryAfter = deps.failures?.retryAfterSeconds(context.address, deps.now().getTime()) ?? 0
  if (retryAfter > 0) throw new AuthRateLimitedError(retryAfter)
  const result =
    context.method === 'scram-sha-256'
      ? await scram(stream, context, deps)
      : await password(stream, context, deps)
  if (!result.ok) throw failure(result.reason, result.keyId, context, deps)
  // The verifiers were the user's own, and a token must name the same user as the startup packet.
  if (result.principal.id !== context.user)
    throw failure('user_mismatch', result.principal.keyId, context, deps)
  if (result.final !== undefined) stream.socket.write(authenticationSaslFinal(result.final))
  stream.socket.write(AUTHENTICATION_OK)
  return result.principal
}

type Outcome =
  | { readonly ok: true; readonly principal: Principal; readonly final?: string }
  | { readonly ok: false; readonly reason: GatewayAuthFailureReason; readonly keyId?: string }

async function scram(
  stream: MessageStream,
  context: ClientAuthContext,
  deps: ClientAuthDeps,
): Promise<Outcome> {
  const { socket, framer } = stream
  socket.write(authenticationSasl([MECHANISM]))
  await stream.next()
  expectType(framer.type, PASSWORD, 'SASL authentication')
  const initial = readSaslInitialResponse(framer.buffer, framer.start, framer.end)
  if (initial.mechanism !== MECHANISM)
    throw new GatewayError(
      'wire_protocol_violation',
      `the client chose ${initial.mechanism}, which was not offered`,
    )
  const stored = await deps.verifiers.verifiersOf(context.user)
  const keys: { keyId: string; verifier: ScramVerifier }[] = []
  for (const { keyId, verifier } of stored) {
    const parsed = parseScramVerifier(verifier)
    if (parsed !== undefined) keys.push({ keyId, verifier: parsed })
  }
  // An unknown user gets the salt its keys would have: the exchange runs to the end either way.
  const params = keys[0]?.verifier ?? { salt: subjectScramSalt(context.user), iterations: SCRAM_ITERATIONS }
  const first = scramServerFirst(
    initial.data.toString('utf8'),
    params,
    deps.randomBytes(18).toString('base64'),
  )
  if (!first.ok) throw new GatewayError('wire_protocol_violation', `SCRAM: ${first.error}`)
  socket.write(authenticationSaslContinue(first.serverFirst))
  await stream.next()
  expectType(framer.type, PASSWORD, 'SASL authentication')
  const clientFinal = readSaslResponse(framer.buffer, framer.start, framer.end).toString('utf8')
  const final = scramServerFinal(
    first.state,
    clientFinal,
    keys.map((key) => key.verifier),
  )
  if (!final.ok && final.error !== 'proof')
    throw new GatewayError('wire_protocol_violation', `SCRAM: ${final.error}`)
  const key = final.ok ? keys[final.index] : undefined
  if (!final.ok || key === undefined)
    return { ok: false, reason: keys.length === 0 ? 'no_scram_verifier' : 'key_mismatch' }
  const result = await deps.authenticator.keyProven(key.keyId, deps.now())
  return result.ok ? { ok: true, principal: result.principal, final: final.serverFinal } : result
}

async function password(
  stream: MessageStream,
  context: ClientAuthContext,
  deps: ClientAuthDeps,
): Promise<Outcome> {
  // A token in cleartext over plain TCP could be read by anyone on the path.
  if (!context.tls)
    throw new GatewayError(
      'wire_tls_required',
      'password authentication needs TLS: connect with sslmode=require',
    )
  stream.socket.write(AUTHENTICATION_CLEARTEXT)
  await stream.next()
  expectType(stream.framer.type, PASSWORD, 'password authentication')
  const token = readPassword(stream.framer.buffer, stream.framer.start, stream.framer.end)
  return deps.authenticator.token(token, deps.now())
}

function failure(
  reason: GatewayAuthFailureReason,
  keyId: string | undefined,
  context: ClientAuthContext,
  deps: ClientAuthDeps,
): AuthenticationError {
  const at = deps.now()
  deps.failures?.recordFailure(context.address, at.getTime())
  deps.onAuthFailure?.({ reason, address: context.address, at, ...(keyId === undefined ? {} : { keyId }) })
  return new AuthenticationError(clientReason(reason))
}

// The client hears what an HTTP caller would: the gateway's own reasons read as a wrong key.
function clientReason(reason: GatewayAuthFailureReason): AuthFailureReason {
  return reason === 'user_mismatch' || reason === 'no_scram_verifier' ? 'key_mismatch' : reason
}
