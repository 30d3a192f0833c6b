// Waiting for an approval request to be decided, for the PostgreSQL gateway's policy gate
// (a client held until its statement is approved): the long poll's mechanism
// (src/approvals/request-wait-routes.ts) without HTTP. It hangs on the node's one
// REQUEST_CHANNEL subscription (RequestWaiters), so an approval committed on any node
// (LISTEN/NOTIFY on PostgreSQL) ends the wait at once; a wake-up only says "read it again".
import type { ApprovalRequest, ApprovalService, RequestWaiters } from '../approvals/index.ts'

export interface RequestWaitDeps {
  readonly approvals: Pick<ApprovalService, 'get'>
  /** Started by the caller (start-server.ts shares the long poll's). */
  readonly waiters: Pick<RequestWaiters, 'watch'>
}

/**
 * Resolves with request `id` once its state is no longer `pending`, or with the request as
 * it is when `timeoutMs` has passed or the waiters stop (the node is closing). Rejects with
 * the signal's reason when `signal` aborts (the client left), and with `request_not_found`
 * for an unknown id.
 */
export type WaitForRequest = (id: string, timeoutMs: number, signal?: AbortSignal) => Promise<ApprovalRequest>

export function requestWaiter(deps: RequestWaitDeps): WaitForRequest {
  return async (id, timeoutMs, signal) => {
    signal?.throwIfAborted()
    // Watch before reading: a change committed between the read and the wait is not lost.
    const watch = deps.waiters.watch(id)
    const timer = setTimeout(() => watch.end(), Math.max(0, timeoutMs))
    const abort = () => watch.end()
    signal?.addEventListener('abort', abort, { once: true })
    try {
      let current = await deps.approvals.get(id)
      while (current.state === 'pending' && (await watch.next())) current = await deps.approvals.get(id)
      signal?.throwIfAborted()
      return current
    } finally {
      clearTimeout(timer)
      signal?.removeEventListener('abort', abort)
      watch.end()
    }
  }
}
