// What a statement that needs approval does once its requests are open: run at once (every
// request was auto-approved), fail at once with the request ids (fail mode: the same statement
// runs when sent again after approval), or hold the client until the requests are decided
// (wait mode), never past the configured wait nor past the moment the first request expires. Pure.
import type { ApprovalRequest } from '../../approvals/index.ts'
import type { ApprovalSettings, GatewaySettings } from '../wire/index.ts'
import type { GateApprovalSettings } from './gate-ports.ts'

export type ApprovalPath =
  | { readonly path: 'run' }
  | { readonly path: 'fail' }
  | { readonly path: 'wait'; readonly waitMs: number }

/** The gate's approval settings from the gateway's: its own, and each upstream's. */
export function gateApprovalSettings(
  settings: Pick<GatewaySettings, 'approval' | 'upstreams'>,
): GateApprovalSettings {
  const upstreams: Record<string, ApprovalSettings> = {}
  for (const upstream of Object.values(settings.upstreams)) upstreams[upstream.name] = upstream.approval
  return { ...settings.approval, upstreams }
}

/** The settings of `upstream`: its own when configured, else the gateway's. */
export function approvalSettingsFor(settings: GateApprovalSettings, upstream: string): ApprovalSettings {
  const own = settings.upstreams?.[upstream]
  return own ?? { mode: settings.mode, timeoutMs: settings.timeoutMs }
}

/** Approved and not taken by an executor: the gateway may run it (once, on its grant). */
export function isApproved(request: ApprovalRequest): boolean {
  return request.state === 'approved'
}

export function chooseApprovalPath(
  settings: ApprovalSettings,
  requests: readonly ApprovalRequest[],
  now: Date,
): ApprovalPath {
  if (requests.length > 0 && requests.every(isApproved)) return { path: 'run' }
  if (settings.mode === 'fail' || requests.some((r) => r.state !== 'pending' && !isApproved(r)))
    return { path: 'fail' }
  let waitMs = settings.timeoutMs
  for (const request of requests)
    if (request.state === 'pending') waitMs = Math.min(waitMs, Date.parse(request.expiresAt) - now.getTime())
  return waitMs > 0 ? { path: 'wait', waitMs } : { path: 'fail' }
}
