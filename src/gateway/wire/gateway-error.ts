// The errors of the PostgreSQL gateway, each with a stable code and the SQLSTATE a client
// sees for it, and the mapping of jitgate's other error codes (auth, policy) to SQLSTATEs, so
// a refusal reads the same over HTTP and on the wire.
import { JitgateError } from '../../shared/index.ts'

const GATEWAY_CODES = {
  /** A client or an upstream broke the protocol: malformed, oversized or unexpected message. */
  wire_protocol_violation: { sqlstate: '08P01', status: 400 },
  /** A feature jitgate does not carry: protocol 2, replication, FunctionCall, GSSAPI. */
  wire_feature_unsupported: { sqlstate: '0A000', status: 400 },
  /** TLS is required and the client did not ask for it. */
  wire_tls_required: { sqlstate: '28000', status: 401 },
  /** A startup parameter jitgate does not pass on, or a missing user name. */
  wire_startup_invalid: { sqlstate: '08004', status: 400 },
  /** No upstream is configured under the `database` the client named. */
  upstream_unknown: { sqlstate: '3D000', status: 404 },
  /** The upstream could not be reached or refused jitgate's own credentials. */
  upstream_unavailable: { sqlstate: '08006', status: 503 },
  /** Every pooled connection of the upstream stayed busy for the acquire timeout. */
  upstream_pool_exhausted: { sqlstate: '53300', status: 503 },
  /** The statement gate refused a statement (default SQLSTATE; the gate may choose another). */
  statement_refused: { sqlstate: '42501', status: 403 },
  /** The gateway is stopping: sessions end as at a PostgreSQL shutdown. */
  gateway_shutdown: { sqlstate: '57P01', status: 503 },
  /** The statement gate failed: fail safe, the statement is refused. */
  statement_gate_failed: { sqlstate: 'XX000', status: 500 },
} as const

export type GatewayErrorCode = keyof typeof GATEWAY_CODES

export class GatewayError extends JitgateError {
  declare readonly code: GatewayErrorCode
  readonly sqlstate: string

  constructor(code: GatewayErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(code, message, { status: GATEWAY_CODES[code].status, cause: options.cause })
    this.sqlstate = GATEWAY_CODES[code].sqlstate
  }
}

// jitgate codes raised elsewhere, as PostgreSQL would name the condition.
const OTHER_CODES: Readonly<Record<string, string>> = {
  authentication_required: '28000',
  invalid_credentials: '28P01',
  credentials_expired: '28P01',
  credentials_revoked: '28P01',
  auth_rate_limited: '53400',
  auth_unavailable: '08006',
  permission_denied: '42501',
  policy_denied: '42501',
}

/** The SQLSTATE for an error: its own for gateway errors, a mapped one for other jitgate codes. */
export function sqlstateFor(error: unknown): string {
  if (error instanceof GatewayError) return error.sqlstate
  if (error instanceof JitgateError) return OTHER_CODES[error.code] ?? 'XX000'
  return 'XX000'
}
