// Grants over the store: the facts the policy engine takes (`has_grant()`), using a grant,
// and revoking it. A grant's state is read from its row at decision time, so a revocation
// holds on every node at once, and expiry needs no sweeper.
import type { GrantFact } from '../policy/index.ts'
import { grantDraft } from './approval-audit.ts'
import { type ApprovalStore, GRANT_CHANNEL, type ServiceClock } from './approval-ports.ts'
import { grantNotFound } from './approval-service-errors.ts'
import { type Grant, grantsAsFacts, revokeGrant, useGrant } from './grant.ts'
import { decodePageCursor, type Page, pageLimit, pageOf } from './page-cursor.ts'

export interface GrantServiceDeps {
  readonly store: ApprovalStore
  readonly clock: ServiceClock
}

/** A listing as a client asks for it: filters, the previous page's cursor, a page size. */
export interface GrantListing {
  readonly actorId?: string
  /** true: active now; false: not active now; absent: all. */
  readonly active?: boolean
  readonly cursor?: string
  readonly limit?: number
}

export class GrantService {
  constructor(private readonly deps: GrantServiceDeps) {}

  /** `actorId`'s active grants at `now`, as `facts.grants` for PolicySet.evaluate. */
  activeGrantFacts(actorId: string, now: Date = this.deps.clock.now()): Promise<GrantFact[]> {
    return this.deps.store.transact(async (tx) =>
      grantsAsFacts(await tx.grants.liveFor(actorId, now), now, actorId),
    )
  }

  async get(grantId: string): Promise<Grant> {
    return this.deps.store.transact(async (tx) => {
      const grant = await tx.grants.load(grantId)
      if (grant === undefined) throw grantNotFound(grantId)
      return grant
    })
  }

  /** The grant the approval of `requestId` created, if any. */
  forRequest(requestId: string): Promise<Grant | undefined> {
    return this.deps.store.transact((tx) => tx.grants.forRequest(requestId))
  }

  /** One page of grants, newest first; throws `invalid_cursor` for a cursor this API did not make. */
  list(listing: GrantListing = {}): Promise<Page<Grant>> {
    const { actorId, active, cursor } = listing
    const limit = pageLimit(listing.limit)
    const after = cursor === undefined ? undefined : decodePageCursor(cursor)
    return this.deps.store.transact(async (tx) => {
      const rows = await tx.grants.list({
        ...(actorId === undefined ? {} : { actorId }),
        ...(active === undefined ? {} : { active }),
        ...(after === undefined ? {} : { after }),
        now: this.deps.clock.now(),
        limit: limit + 1,
      })
      return pageOf(rows, limit)
    })
  }

  /**
   * One use of the grant, audited: a single-use grant is consumed (a second use is refused
   * with grant_not_active), a window grant stays active until it expires.
   */
  use(grantId: string, by: string): Promise<Grant> {
    return this.deps.store.transact(async (tx) => {
      const grant = await tx.grants.load(grantId, { lock: true })
      if (grant === undefined) throw grantNotFound(grantId)
      const used = useGrant(grant, this.deps.clock.now())
      if (used !== grant) await tx.grants.update(used)
      await tx.audit([grantDraft('grant.used', used, by)])
      if (used !== grant) await tx.notify(GRANT_CHANNEL, grantId)
      return used
    })
  }

  /** Revokes the grant at once; revoking it again changes nothing and audits nothing. */
  revoke(grantId: string, by: string, reason?: string): Promise<Grant> {
    return this.deps.store.transact(async (tx) => {
      const grant = await tx.grants.load(grantId, { lock: true })
      if (grant === undefined) throw grantNotFound(grantId)
      const revoked = revokeGrant(
        grant,
        { by, ...(reason === undefined ? {} : { reason }) },
        this.deps.clock.now(),
      )
      if (revoked === grant) return grant
      await tx.grants.update(revoked)
      await tx.audit([grantDraft('grant.revoked', revoked, by)])
      await tx.notify(GRANT_CHANNEL, grantId)
      return revoked
    })
  }
}
