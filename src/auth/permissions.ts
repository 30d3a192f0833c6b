// The role matrix: which permission each role holds. Routes declare the permission they
// need, never roles, so that changing who may do what is an edit to this one table.
//
// Roles gate routes coarsely; what a permission covers for one object (a requester reads
// only their own requests, an approver approves only where a policy names them and never
// their own request) stays the services' business.
//
// | permission        | requester | approver | admin | auditor |
// |-------------------|-----------|----------|-------|---------|
// | decision.evaluate |     ✓     |          |       |         |
// | request.create    |     ✓     |          |       |         |
// | request.read      |     ✓     |    ✓     |       |    ✓    |
// | request.approve   |           |    ✓     |       |         |
// | grant.revoke      |           |    ✓     |       |         |
// | audit.read        |           |          |       |    ✓    |
// | policy.read       |           |    ✓     |   ✓   |    ✓    |
// | keys.manage       |           |          |   ✓   |         |
// | webhooks.manage   |           |          |   ✓   |         |
// | metrics.read      |           |          |   ✓   |    ✓    |
//
// admin runs jitgate (keys, webhooks) and reads nobody's data: whoever needs to approve or
// audit as well carries those roles too, which shows in their key or their IdP groups.

export const ROLES = ['requester', 'approver', 'admin', 'auditor'] as const
export type Role = (typeof ROLES)[number]

export const PERMISSIONS = [
  'decision.evaluate',
  'request.create',
  'request.read',
  'request.approve',
  'grant.revoke',
  'audit.read',
  'policy.read',
  'keys.manage',
  'webhooks.manage',
  'metrics.read',
] as const
export type Permission = (typeof PERMISSIONS)[number]

export const ROLE_PERMISSIONS: Readonly<Record<Role, readonly Permission[]>> = Object.freeze({
  requester: ['decision.evaluate', 'request.create', 'request.read'],
  approver: ['request.read', 'request.approve', 'grant.revoke', 'policy.read'],
  admin: ['policy.read', 'keys.manage', 'webhooks.manage', 'metrics.read'],
  auditor: ['request.read', 'audit.read', 'policy.read', 'metrics.read'],
})

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value)
}

export function isPermission(value: unknown): value is Permission {
  return typeof value === 'string' && (PERMISSIONS as readonly string[]).includes(value)
}

/** Whom a permission may be checked for: roles, and optionally scopes narrowing them. */
export interface Holder {
  readonly roles: readonly Role[]
  /** When present, only these permissions count, even if the roles grant more. */
  readonly scopes?: readonly Permission[]
}

/** Every permission the roles grant, narrowed to the scopes when there are any, in table order. */
export function permissionsOf(holder: Holder): Permission[] {
  const granted = new Set(holder.roles.flatMap(grantsOf))
  const scoped = holder.scopes === undefined ? granted : new Set(holder.scopes.filter((p) => granted.has(p)))
  return PERMISSIONS.filter((permission) => scoped.has(permission))
}

/** True when `holder` has `permission`. */
export function can(holder: Holder, permission: Permission): boolean {
  const byRole = holder.roles.some((role) => grantsOf(role).includes(permission))
  return byRole && (holder.scopes === undefined || holder.scopes.includes(permission))
}

// Roles may come from a store or a token: `constructor` must not find Object.prototype's.
function grantsOf(role: Role): readonly Permission[] {
  return Object.hasOwn(ROLE_PERMISSIONS, role) ? ROLE_PERMISSIONS[role] : []
}
