// The gateway's statement gate as a node runs it: the policy gate (src/gateway/policy-gate)
// over the node's policies, grants, approvals and audit log, with masking
// (src/gateway/masking) on the catalog side pools and the node's anonymization keys. Cached
// grant facts are dropped whenever a grant or request changes, on any node.
import type { AnonymizeKeys } from '../anonymize/index.ts'
import type { CatalogEntry } from '../gateway/classify/index.ts'
import {
  createPolicyGate,
  functionCatalog,
  type GatewaySettings,
  gateApprovalSettings,
  type PolicyGate,
  StatementMasking,
  singleUseGrantConsumer,
  USER_FUNCTIONS_SQL,
  USER_OPERATORS_SQL,
} from '../gateway/index.ts'
import type { GatewayPorts } from './gateway-ports.ts'
import type { JitgateNode } from './jitgate-node.ts'

export interface NodePolicyGate {
  readonly gate: PolicyGate
  /** Stops hearing grant changes and waits for the statements' audit events in flight. */
  close(): Promise<void>
}

export function nodePolicyGate(
  node: JitgateNode,
  ports: GatewayPorts,
  settings: GatewaySettings,
  options: { readonly keys: AnonymizeKeys; readonly serverUrl: string },
): NodePolicyGate {
  const log = node.logger.child({ component: 'policy-gate' })
  const base = (node.config.server.publicUrl ?? options.serverUrl).replace(/\/+$/, '')
  const gate = createPolicyGate({
    policies: node.registry,
    grantFacts: (actorId, now) => node.grants.activeGrantFacts(actorId, now),
    audit: (draft) => node.audit.append(draft),
    createRequest: (command) => node.approvals.createRequest(command),
    waitForRequest: (id, timeoutMs, signal) => ports.waitForRequest(id, timeoutMs, signal),
    cancelRequest: (id, by) => node.approvals.cancel(id, by),
    consumeSingleUseGrant: singleUseGrantConsumer({
      store: node.approvalStore,
      grants: node.grants,
      clock: { now: node.now },
    }),
    functionCatalog: async (upstream) => {
      const query = ports.catalogQuery(upstream)
      const [functions, operators] = [await query(USER_FUNCTIONS_SQL), await query(USER_OPERATORS_SQL)]
      return functionCatalog(
        functions as unknown as readonly CatalogEntry[],
        operators as unknown as readonly CatalogEntry[],
      )
    },
    masking: new StatementMasking({
      catalog: (upstream) => ports.catalogQuery(upstream),
      transforms: { keys: options.keys },
      now: node.now,
    }),
    clock: { now: node.now },
    newId: node.newId,
    approvalLink: (id) => `${base}/v1/requests/${id}`,
    approval: gateApprovalSettings(settings),
    ...(settings.audit.readBatchMs === undefined ? {} : { statementLogMs: settings.audit.readBatchMs }),
    log,
  })
  // A change to any grant or request (null: the notification connection was lost) may change
  // what an actor's grants allow: every cached fact is dropped.
  const unlisten = ports.onGrantChange(() => gate.invalidate())
  return {
    gate,
    close: async () => {
      unlisten()
      await gate.flush()
    },
  }
}
