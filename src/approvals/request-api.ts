// What the request route files share: their dependencies, the common problem responses,
// and reading a request as the caller may see it, with the grant and execution it led to.
import type { Principal } from '../auth/index.ts'
import { ProblemSchema } from '../http/index.ts'
import type { ActionService } from './action-service.ts'
import type { ApprovalRequest } from './approval-request.ts'
import type { ApprovalService } from './approval-service.ts'
import type { ExecutionService } from './execution-service.ts'
import type { GrantService } from './grant-service.ts'
import type { LiveLimits } from './live-limits.ts'
import { visibleTo } from './request-access.ts'
import type { CreationLimit } from './request-rate-limit.ts'
import { type RequestView, STATES_WITH_OUTCOME, toRequestView } from './request-views.ts'
import type { RequestNotifier, RequestWaiters } from './request-waiters.ts'

export interface RequestRouteDeps {
  readonly actions: Pick<ActionService, 'request'>
  readonly approvals: Pick<ApprovalService, 'get' | 'list' | 'approve' | 'reject' | 'cancel' | 'comment'>
  readonly grants: Pick<GrantService, 'forRequest'>
  readonly executions: Pick<ExecutionService, 'forRequest'>
  /** The store's notifier (`handle.notifier`): LISTEN/NOTIFY on PostgreSQL. */
  readonly notifier: RequestNotifier
  readonly now: () => Date
  /** Request creations per principal (default 30 a minute). */
  readonly creationLimit?: CreationLimit
  /** Long polls and streams per principal, and how often streams recheck credentials. */
  readonly liveLimits?: LiveLimits
  /** The node's fan-out of request changes; the routes make their own when absent. */
  readonly waiters?: RequestWaiters
}

export interface RequestApi {
  readonly deps: RequestRouteDeps
  readonly waiters: RequestWaiters
  /** The request `id` if `viewer` may see it; `request_not_found` (404) otherwise. */
  load(viewer: Principal, id: string): Promise<ApprovalRequest>
  /** The view of `request`, with its grant and execution when it may have them. */
  view(request: ApprovalRequest): Promise<RequestView>
}

export const REQUEST_TAGS = ['requests']

export const PROBLEMS = {
  400: ProblemSchema,
  401: ProblemSchema,
  403: ProblemSchema,
  404: ProblemSchema,
  409: ProblemSchema,
}

export function requestApi(deps: RequestRouteDeps, waiters: RequestWaiters): RequestApi {
  return {
    deps,
    waiters,
    load: async (viewer, id) => visibleTo(viewer, await deps.approvals.get(id)),
    view: async (request) => {
      if (!STATES_WITH_OUTCOME.has(request.state)) return toRequestView(request, deps.now())
      const [grant, execution] = await Promise.all([
        deps.grants.forRequest(request.id),
        deps.executions.forRequest(request.id),
      ])
      return toRequestView(request, deps.now(), {
        ...(grant === undefined ? {} : { grant }),
        ...(execution === undefined ? {} : { execution }),
      })
    },
  }
}
