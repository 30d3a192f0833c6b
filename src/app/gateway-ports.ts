// What the PostgreSQL gateway's policy gate and masking need of the rest of the node, in one
// place for the composition root to hand over: catalog queries on side pools to the
// upstreams, waiting for an approval request, and grant changes for cached grant facts.
import type { ApprovalService, RequestNotifier, RequestWaiters } from '../approvals/index.ts'
import type { UpstreamSettings } from '../gateway/index.ts'
import { CatalogPools, type CatalogQuery } from './catalog-pools.ts'
import { type GrantChangeListener, GrantChanges } from './grant-changes.ts'
import { requestWaiter, type WaitForRequest } from './request-wait.ts'

export interface GatewayPorts {
  /**
   * Catalog reads on upstream `upstream` with jitgate's own credentials (a side pool of at
   * most 2 connections, READ ONLY): the policy gate's function catalog
   * (USER_FUNCTIONS_SQL) and the masking module's CatalogQuery both run through it.
   * Throws `upstream_unknown` for a name not configured.
   */
  readonly catalogQuery: (upstream: string) => CatalogQuery
  readonly waitForRequest: WaitForRequest
  /** Hears grant changes until the returned function is called (grant-changes.ts). */
  readonly onGrantChange: (listener: GrantChangeListener) => () => void
}

export interface GatewayPortsDeps {
  readonly upstreams: Readonly<Record<string, UpstreamSettings>>
  readonly approvals: Pick<ApprovalService, 'get'>
  readonly notifier: RequestNotifier
  /** The node's request waiters, started by the caller. */
  readonly waiters: Pick<RequestWaiters, 'watch' | 'listen'>
  readonly log: { warn(details: object, message: string): void }
}

export interface RunningGatewayPorts {
  readonly ports: GatewayPorts
  /** Ends the side pools and the grant subscription. */
  close(): Promise<void>
}

/** Subscribes to grant changes; resolves once they are being received. */
export async function startGatewayPorts(deps: GatewayPortsDeps): Promise<RunningGatewayPorts> {
  const catalogs = new CatalogPools(deps.upstreams, { log: deps.log })
  const grants = new GrantChanges({
    notifier: deps.notifier,
    requests: deps.waiters,
    approvals: deps.approvals,
    log: deps.log,
  })
  await grants.start()
  return {
    ports: {
      catalogQuery: (upstream) => catalogs.query(upstream),
      waitForRequest: requestWaiter({ approvals: deps.approvals, waiters: deps.waiters }),
      onGrantChange: (listener) => grants.listen(listener),
    },
    close: async () => {
      await grants.stop()
      await catalogs.close()
    },
  }
}
