// What the wire server tells its log and what it tells a client it turns away. A client is
// told the error's own message and SQLSTATE for jitgate's errors, and nothing of anything
// else (a bug's message could hold anything); the log gets the whole error.
import type { Socket } from 'node:net'
import { JitgateError } from '../../shared/index.ts'
import { errorResponse } from './backend-messages.ts'
import { GatewayError, sqlstateFor } from './gateway-error.ts'

/** The logger's shape the gateway needs (pino's fits). */
export interface GatewayLog {
  debug(details: object, message: string): void
  info(details: object, message: string): void
  warn(details: object, message: string): void
  error(details: object, message: string): void
}

/** The message a client may read for `error`. */
export function clientMessage(error: unknown): string {
  if (error instanceof GatewayError && error.code === 'upstream_unavailable')
    return 'the upstream database is unavailable; try again later'
  return error instanceof JitgateError ? error.message : 'jitgate failed on this connection (see its log)'
}

// A refused login reads the same whatever the reason (a wrong key, an unknown user, a key made
// before verifiers were kept), so that users cannot be probed; the hint covers each.
const LOGIN_HINT =
  'the password is an API key of the user you connect as; a key made before jitgate kept SCRAM verifiers (store migration 0006) cannot log in over SCRAM: create a new key'

/** A FATAL ErrorResponse for `error`. */
export function fatalResponse(error: unknown): Buffer {
  const login = error instanceof JitgateError && error.code === 'invalid_credentials'
  return errorResponse({
    severity: 'FATAL',
    code: sqlstateFor(error),
    message: clientMessage(error),
    ...(login ? { hint: LOGIN_HINT } : {}),
  })
}

/** Logs `error` as the client's doing (debug) or jitgate's (error). */
export function logFailure(log: GatewayLog, error: unknown, context: object): void {
  if (error instanceof JitgateError && error.status < 500)
    log.debug({ ...context, code: error.code }, error.message)
  else if (error instanceof JitgateError)
    log.warn({ ...context, code: error.code, err: error }, error.message)
  else log.error({ ...context, err: error }, 'unexpected failure on a gateway connection')
}

// A client told to go away gets a moment to read why, not a half-open connection for ever.
const LINGER_MS = 5000

/** Ends a connection, with a FATAL ErrorResponse for `error` when the socket is still writable. */
export function endConnection(socket: Socket, error?: unknown): void {
  if (!socket.writable) {
    socket.destroy()
    return
  }
  socket.setTimeout(LINGER_MS, () => socket.destroy())
  if (error === undefined) socket.end()
  else socket.end(fatalResponse(error))
}

/** Logs why a connection is refused and ends it with a FATAL ErrorResponse. */
export function refuseConnection(
  socket: Socket,
  error: unknown,
  log: GatewayLog,
  context: object = {},
): void {
  logFailure(log, error, context)
  endConnection(socket, error)
}
