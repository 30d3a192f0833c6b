// The `consumeSingleUseGrant` port over the approvals store as it is: the actor's live grants
// (a handful), those of single use on the resources asked for, whose approved request carried
// the statement's fingerprint; each then used through GrantService.use, which locks the grant
// and consumes it once (a concurrent second use fails). Uses on several resources are not one
// transaction: if a later one fails, the earlier ones are spent and nothing runs (never more).
import type { ApprovalStore, Grant, GrantService, ServiceClock } from '../../approvals/index.ts'
import { isGrantActive } from '../../approvals/index.ts'
import { JitgateError } from '../../shared/index.ts'
import type { GrantQuery, UsedGrant } from './gate-ports.ts'

export interface SingleUseGrantDeps {
  readonly store: ApprovalStore
  readonly grants: Pick<GrantService, 'use'>
  readonly clock: ServiceClock
}

/** The port's implementation over `deps`. */
export function singleUseGrantConsumer(
  deps: SingleUseGrantDeps,
): (query: GrantQuery) => Promise<readonly UsedGrant[] | undefined> {
  return async (query) => {
    const now = deps.clock.now()
    const matching = await deps.store.transact(async (tx) => {
      const found: Grant[] = []
      for (const grant of await tx.grants.liveFor(query.actorId, now)) {
        if (
          grant.mode !== 'single_use' ||
          !isGrantActive(grant, now) ||
          !query.resources.includes(grant.resource)
        )
          continue
        const loaded = await tx.requests.load(grant.requestId)
        if (fingerprintOf(loaded?.request.action.context) === query.fingerprint) found.push(grant)
      }
      return found
    })
    const chosen = query.resources.map((resource) => matching.find((g) => g.resource === resource))
    if (chosen.some((grant) => grant === undefined)) return undefined
    const used: UsedGrant[] = []
    for (const grant of chosen as Grant[]) {
      try {
        await deps.grants.use(grant.id, query.by)
      } catch (error) {
        // Used by someone else meanwhile (grant_not_active): this statement has no grant.
        if (error instanceof JitgateError && error.code === 'grant_not_active') return undefined
        throw error
      }
      used.push({ grantId: grant.id, requestId: grant.requestId })
    }
    return used
  }
}

function fingerprintOf(context: Readonly<Record<string, unknown>> | undefined): unknown {
  const statement = context?.statement
  return typeof statement === 'object' && statement !== null
    ? (statement as { readonly fingerprint?: unknown }).fingerprint
    : undefined
}
