// From the verified claims of an OIDC token to a principal: which claim is the user id,
// which holds the groups, and which roles each group brings. Pure: the claims are already
// verified (oidc-verifier.ts).
import { ROLES, type Role } from './permissions.ts'
import { isPlainText } from './plain-text.ts'
import type { Principal } from './principal.ts'

export interface ClaimMapping {
  /** The claim holding the user id (default `sub`; `email`, `preferred_username`…). */
  readonly userIdClaim: string
  /** The claim holding the groups (`groups`, `realm_access.roles`); none: no groups. */
  readonly groupsClaim?: string
  /** Roles each group brings (`{ 'sec-team': ['approver'] }`). */
  readonly groupRoles: Readonly<Record<string, readonly Role[]>>
  /** Roles every valid token carries (default `['requester']`; `[]` for none). */
  readonly defaultRoles: readonly Role[]
}

const MAX_TEXT = 256
const MAX_GROUPS = 256

/**
 * The value at `path`: the claim of that exact name first (namespaced claims such as
 * `https://example.com/groups` hold dots), else the dotted path into nested objects.
 * Only own properties count, so `__proto__` or `constructor` find nothing.
 */
export function claimAt(claims: Readonly<Record<string, unknown>>, path: string): unknown {
  if (Object.hasOwn(claims, path)) return claims[path]
  let value: unknown = claims
  for (const part of path.split('.')) {
    if (typeof value !== 'object' || value === null || Array.isArray(value) || !Object.hasOwn(value, part))
      return undefined
    value = (value as Record<string, unknown>)[part]
  }
  return value
}

/** The principal the claims stand for; undefined when the user id claim is missing or unusable. */
export function principalFromClaims(
  claims: Readonly<Record<string, unknown>>,
  mapping: ClaimMapping,
): Principal | undefined {
  const id = claimAt(claims, mapping.userIdClaim)
  if (!isUsableText(id)) return undefined
  const groups = mapping.groupsClaim === undefined ? [] : groupsIn(claimAt(claims, mapping.groupsClaim))
  return { id, kind: 'oidc', roles: rolesFor(groups, mapping), groups }
}

/**
 * The groups a claim lists: an array of names, or one name. Anything else lists none:
 * fewer groups can only mean fewer rights.
 */
export function groupsIn(value: unknown): string[] {
  const items = typeof value === 'string' ? [value] : Array.isArray(value) ? value : []
  const groups = items.filter(isUsableText)
  return [...new Set(groups)].slice(0, MAX_GROUPS)
}

/** The default roles and those of every group, in the order of ROLES. */
export function rolesFor(groups: readonly string[], mapping: ClaimMapping): Role[] {
  const roles = new Set<Role>(mapping.defaultRoles)
  for (const group of groups) {
    if (!Object.hasOwn(mapping.groupRoles, group)) continue
    for (const role of mapping.groupRoles[group] ?? []) roles.add(role)
  }
  return ROLES.filter((role) => roles.has(role))
}

function isUsableText(value: unknown): value is string {
  return isPlainText(value, MAX_TEXT)
}
