// The PostgreSQL wire protocol of the gateway: a server that authenticates clients with API
// keys (SCRAM-SHA-256), proxies them to configured upstreams over pooled connections, and
// passes every statement through a StatementGate and every result set through an optional
// RowTransform (docs/adr/0008-postgres-gateway-protocol.md).
export type { ErrorFields, RowColumn, RowDescription, TransactionStatus } from './backend-messages.ts'
export {
  type ApprovalSettings,
  type GatewayConfig,
  GatewayConfigSchema,
  type GatewayConfigSources,
  type GatewaySettings,
  resolveGatewayConfig,
  type UpstreamSettings,
} from './gateway-config.ts'
export type {
  GatewayAuthenticator,
  GatewayAuthFailure,
  GatewayAuthFailureReason,
  LoginFailureLimit,
  ScramVerifierStore,
  StoredScramVerifier,
} from './gateway-credentials.ts'
export { GatewayError, type GatewayErrorCode, sqlstateFor } from './gateway-error.ts'
export { PostgresGateway, type PostgresGatewayOptions } from './gateway-server.ts'
export {
  apiKeyScramVerifier,
  formatScramVerifier,
  parseScramVerifier,
  SCRAM_ITERATIONS,
  type ScramVerifier,
  scramVerifier,
  subjectScramSalt,
} from './scram.ts'
export {
  type ForwardedEnd,
  type ForwardedResult,
  forwardEverything,
  type GateAbortReason,
  type GateDecision,
  type GateSession,
  type GateStatement,
  type NoticeFields,
  type RowTransform,
  type RowTransformFactory,
  type StatementGate,
} from './statement-gate.ts'
export type { GatewayLog } from './wire-log.ts'
