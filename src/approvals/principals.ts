// Who a principal (`user:ID`, `group:NAME`, `idp:NAME`) stands for, judged against the
// policy groups frozen into a request. Anything unknown stands for nobody: an approver
// is eligible only when a principal clearly names them.
import type { ApprovalObligation, PolicySet } from '../policy/index.ts'
import type { FrozenGroup } from './approval-request.ts'

/** An approver as eligibility sees them: an id and the identity-provider groups of their login. */
export interface Identity {
  readonly id: string
  readonly groups: readonly string[]
}

function inGroup(group: FrozenGroup | undefined, who: Identity): boolean {
  if (group === undefined) return false
  return group.users.includes(who.id) || who.groups.some((g) => group.idpGroups.includes(g))
}

/** True when `principal` names `who`, directly or through a group. */
export function principalIncludes(
  principal: string,
  who: Identity,
  groups: Readonly<Record<string, FrozenGroup>>,
): boolean {
  const colon = principal.indexOf(':')
  const kind = principal.slice(0, colon)
  const name = principal.slice(colon + 1)
  if (colon < 1 || name === '') return false
  if (kind === 'user') return who.id === name
  if (kind === 'idp') return who.groups.includes(name)
  // Own-property check: a group called `constructor` must not find Object.prototype's.
  if (kind === 'group') return Object.hasOwn(groups, name) && inGroup(groups[name], who)
  return false
}

/** True when any of `principals` names `who`. */
export function anyPrincipalIncludes(
  principals: readonly string[],
  who: Identity,
  groups: Readonly<Record<string, FrozenGroup>>,
): boolean {
  return principals.some((p) => principalIncludes(p, who, groups))
}

/** Every principal the approval names: its steps' and its escalation's. */
function namedPrincipals(approval: ApprovalObligation): string[] {
  return [...approval.steps.flatMap((s) => s.anyOf), ...(approval.escalation?.to ?? [])]
}

/**
 * The policy groups the approval names, copied as sorted plain lists: the request is
 * judged by the groups of the policy version it was created under, like its decision.
 */
export function freezeGroups(
  approval: ApprovalObligation,
  groups: PolicySet['groups'],
): Record<string, FrozenGroup> {
  const frozen = new Map<string, FrozenGroup>()
  for (const principal of namedPrincipals(approval)) {
    if (!principal.startsWith('group:')) continue
    const name = principal.slice('group:'.length)
    const group = groups.get(name)
    if (group === undefined) continue
    frozen.set(name, { users: [...group.users].sort(), idpGroups: [...group.idpGroups].sort() })
  }
  // fromEntries defines own properties, so even a group named `__proto__` stays data.
  return Object.fromEntries(frozen)
}

/** The users a principal lists by id (for showing who can approve); groups from the IdP list nobody. */
export function knownUsers(principal: string, groups: Readonly<Record<string, FrozenGroup>>): string[] {
  if (principal.startsWith('user:')) return [principal.slice('user:'.length)]
  if (!principal.startsWith('group:')) return []
  const name = principal.slice('group:'.length)
  return Object.hasOwn(groups, name) ? [...(groups[name]?.users ?? [])] : []
}
