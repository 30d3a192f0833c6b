// The PostgreSQL gateway of a node, when the configuration has a `gateway` section: the wire
// server (src/gateway/wire) over the node's API keys (SCRAM verifiers kept with each key),
// its authenticator (the `password` method), the per-address login failure limit HTTP uses,
// and the audit log for refused logins. The statement gate forwards everything unless the
// caller builds one from the ports (gateway-ports.ts). close() tells every session (57P01),
// drains the upstream pools, then ends the side pools.
import type { ApprovalService, RequestNotifier, RequestWaiters } from '../approvals/index.ts'
import type { AuditWriter } from '../audit/index.ts'
import type { ApiKeyService, Authenticator } from '../auth/index.ts'
import {
  forwardEverything,
  type GatewayLog,
  type GatewaySettings,
  type LoginFailureLimit,
  PostgresGateway,
  type StatementGate,
} from '../gateway/index.ts'
import { gatewayLoginFailedDraft } from './gateway-audit.ts'
import { GatewayCredentials } from './gateway-credentials.ts'
import { type GatewayPorts, startGatewayPorts } from './gateway-ports.ts'

export interface GatewayWiringDeps {
  readonly settings: GatewaySettings
  readonly apiKeys: Pick<ApiKeyService, 'scramVerifiersOf' | 'authenticateProven'>
  readonly authenticator: Pick<Authenticator, 'authenticate'>
  readonly audit: Pick<AuditWriter, 'append'>
  readonly approvals: Pick<ApprovalService, 'get'>
  readonly notifier: RequestNotifier
  /** The node's request waiters, started by the caller (the long poll's). */
  readonly waiters: Pick<RequestWaiters, 'watch' | 'listen'>
  /** Shared with HTTP: failures on either count against the same address. */
  readonly failures: LoginFailureLimit
  readonly log: GatewayLog
  readonly now: () => Date
  readonly newId: () => string
  /** The statement gate, built from the ports; default: forwardEverything. */
  readonly gate?: (ports: GatewayPorts) => StatementGate
}

export interface RunningGateway {
  readonly gateway: PostgresGateway
  readonly ports: GatewayPorts
  /** Where it listens (port 0 in the configuration: the port picked). */
  readonly address: { readonly host: string; readonly port: number }
  close(): Promise<void>
}

/** Starts listening; throws when the port is taken or a certificate cannot be read. */
export async function startGateway(deps: GatewayWiringDeps): Promise<RunningGateway> {
  const { log } = deps
  const ports = await startGatewayPorts({
    upstreams: deps.settings.upstreams,
    approvals: deps.approvals,
    notifier: deps.notifier,
    waiters: deps.waiters,
    log,
  })
  try {
    const credentials = new GatewayCredentials({
      apiKeys: deps.apiKeys,
      authenticator: deps.authenticator,
      now: deps.now,
    })
    const gateway = await PostgresGateway.start({
      settings: deps.settings,
      verifiers: credentials,
      authenticator: credentials,
      gate: deps.gate?.(ports.ports) ?? forwardEverything,
      failures: deps.failures,
      onAuthFailure: (failure) => {
        deps.audit
          .append(gatewayLoginFailedDraft(failure))
          .catch((error: unknown) => log.error({ err: error }, 'could not audit a refused gateway login'))
      },
      log,
      newId: deps.newId,
      now: deps.now,
    })
    let closing: Promise<void> | undefined
    return {
      gateway,
      ports: ports.ports,
      address: gateway.address,
      close: () => {
        closing ??= gateway.close().finally(() => ports.close())
        return closing
      },
    }
  } catch (error) {
    await ports.close()
    throw error
  }
}
