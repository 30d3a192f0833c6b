// Who sees which requests and grants over the API. Roles gate routes; this narrows what a
// route shows: a principal whose only way to read requests is the requester role sees
// their own requests and grants, anyone whose other roles grant request.read (approvers,
// auditors) sees all. A request someone may not see answers 404, exactly as a missing
// one does, so that ids cannot be probed.
import { type Principal, ROLE_PERMISSIONS } from '../auth/index.ts'
import type { ApprovalRequest } from './approval-request.ts'
import { requestNotFound } from './approval-service-errors.ts'

export type Viewer = Pick<Principal, 'id' | 'roles'>

/** True when a role other than requester grants `viewer` request.read: they read every request. */
export function readsEveryRequest(viewer: Viewer): boolean {
  return viewer.roles.some(
    (role) =>
      role !== 'requester' &&
      Object.hasOwn(ROLE_PERMISSIONS, role) &&
      ROLE_PERMISSIONS[role].includes('request.read'),
  )
}

export function canSeeRequest(viewer: Viewer, request: Pick<ApprovalRequest, 'requester'>): boolean {
  return readsEveryRequest(viewer) || request.requester.id === viewer.id
}

/** `request` when `viewer` may see it; `request_not_found` otherwise. */
export function visibleTo<R extends Pick<ApprovalRequest, 'id' | 'requester'>>(
  viewer: Viewer,
  request: R,
): R {
  if (!canSeeRequest(viewer, request)) throw requestNotFound(request.id)
  return request
}

/**
 * The owner filter a listing must apply for `viewer`: undefined for every owner, else their
 * own id; `asked` is the owner the client filtered on. Null: the listing is empty (a
 * requester asking for someone else's).
 */
export function ownerFilter(viewer: Viewer, asked: string | undefined): string | undefined | null {
  if (readsEveryRequest(viewer)) return asked
  return asked === undefined || asked === viewer.id ? viewer.id : null
}
