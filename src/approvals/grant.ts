// Grants (just-in-time permits): what an approved request allows, to whom, and for how
// long. Whether a grant is active is a pure time-and-state check, so an expired grant
// stops working at its exact expiry with no sweeper, and the engine sees only active
// grants as facts.
import type { GrantFact } from '../policy/index.ts'
import type { ApprovalRequest } from './approval-request.ts'
import { ApprovalError, InvalidTransitionError } from './errors.ts'
import { isoOf, msOf, plusSeconds, reached } from './instant.ts'
import { requireText } from './request-history.ts'

/** Life of a single-use grant: long enough to run the action, short enough not to linger. */
export const SINGLE_USE_SECONDS = 900

export type GrantMode = 'single_use' | 'window'

/** What was done to a grant. Expiry is not a state: it follows from `expiresAt` and the time. */
export type GrantState = 'issued' | 'consumed' | 'revoked'

/** What a grant is at a given time. */
export type GrantStatus = 'scheduled' | 'active' | 'expired' | 'consumed' | 'revoked'

export interface Grant {
  readonly id: string
  readonly requestId: string
  /** Scope: who may act, which verb on which resource, and (when the action named them) which fields. */
  readonly actorId: string
  readonly verb: string
  readonly resource: string
  readonly fields?: readonly string[]
  readonly mode: GrantMode
  readonly policyVersion: string
  readonly createdAt: string
  /** Active from `startsAt` (inclusive) until `expiresAt` (exclusive). */
  readonly startsAt: string
  readonly expiresAt: string
  readonly state: GrantState
  readonly consumedAt?: string
  readonly revokedAt?: string
  readonly revokedBy?: string
  readonly revocationReason?: string
}

/**
 * How long the grant lasts: the requested duration, else the policy's default; never
 * more than the policy's maximum nor the decision's `maxTtlSeconds`. A single-use
 * grant lasts at most SINGLE_USE_SECONDS.
 */
export function grantLifetimeSeconds(request: ApprovalRequest): number {
  const spec = request.approval.grant
  const cap = spec.mode === 'window' ? spec.maxSeconds : SINGLE_USE_SECONDS
  const fallback = spec.mode === 'window' ? spec.defaultSeconds : SINGLE_USE_SECONDS
  const ttl = request.decision.obligations.maxTtlSeconds ?? Number.POSITIVE_INFINITY
  return Math.min(request.grantRequest.durationSeconds ?? fallback, cap, ttl)
}

/** The window: from approval, or the later start the requester asked for (never earlier), for the lifetime. */
export function grantWindow(
  request: ApprovalRequest,
  approvedAt: string,
): { startsAt: string; expiresAt: string } {
  const asked = request.grantRequest.startAt
  const startsAt = asked !== undefined && msOf(asked) > msOf(approvedAt) ? asked : approvedAt
  return { startsAt, expiresAt: plusSeconds(startsAt, grantLifetimeSeconds(request)) }
}

/** The fields the action named in `context.fields`, when it named any. */
function scopeFields(request: ApprovalRequest): readonly string[] | undefined {
  const fields = request.action.context?.fields
  return Array.isArray(fields) && fields.every((f) => typeof f === 'string') ? [...fields] : undefined
}

/** The grant an approved request produces. */
export function createGrant(
  spec: { readonly id: string; readonly request: ApprovalRequest },
  now: Date,
): Grant {
  const { request } = spec
  const createdAt = isoOf(now)
  if (request.state !== 'approved' || request.decidedAt === undefined)
    throw new ApprovalError(
      'not_approved',
      `a grant needs an approved request; this one is '${request.state}'`,
    )
  const fields = scopeFields(request)
  return {
    id: spec.id,
    requestId: request.id,
    actorId: request.requester.id,
    verb: request.action.action,
    resource: request.action.resource,
    ...(fields === undefined ? {} : { fields }),
    mode: request.approval.grant.mode,
    policyVersion: request.policyVersion,
    createdAt,
    ...grantWindow(request, request.decidedAt),
    state: 'issued',
  }
}

/** What `grant` is at `now`. */
export function grantStatus(grant: Grant, now: Date): GrantStatus {
  if (grant.state !== 'issued') return grant.state
  if (!reached(now, grant.startsAt)) return 'scheduled'
  return reached(now, grant.expiresAt) ? 'expired' : 'active'
}

/** True from `startsAt` until just before `expiresAt`, unless consumed or revoked. */
export function isGrantActive(grant: Grant, now: Date): boolean {
  return grantStatus(grant, now) === 'active'
}

function notActive(grant: Grant, status: Exclude<GrantStatus, 'active'>): ApprovalError {
  const why = {
    scheduled: `starts at ${grant.startsAt}`,
    expired: `expired at ${grant.expiresAt}`,
    consumed: `was already used at ${grant.consumedAt} (single use)`,
    revoked: `was revoked at ${grant.revokedAt}`,
  }[status]
  return new ApprovalError('grant_not_active', `the grant ${why}, so it does not allow the action`)
}

/**
 * Checks that `grant` allows one use at `now`. A single-use grant comes back consumed;
 * a window grant comes back as the same object (its uses are audited, not counted here).
 */
export function useGrant(grant: Grant, now: Date): Grant {
  const at = isoOf(now)
  const status = grantStatus(grant, now)
  if (status !== 'active') throw notActive(grant, status)
  return grant.mode === 'single_use' ? { ...grant, state: 'consumed', consumedAt: at } : grant
}

/**
 * Revokes `grant` at once. Revoking a revoked grant returns it unchanged; a consumed
 * grant has nothing left to revoke (409). An expired or scheduled grant can be revoked.
 */
export function revokeGrant(
  grant: Grant,
  revocation: { readonly by: string; readonly reason?: string },
  now: Date,
): Grant {
  const at = isoOf(now)
  if (grant.state === 'revoked') return grant
  if (grant.state === 'consumed') throw new InvalidTransitionError('grant', 'consumed', 'revoke', [])
  const reason =
    revocation.reason === undefined
      ? undefined
      : requireText(revocation.reason, 'reason', 'invalid_event', 'the reason is blank')
  return {
    ...grant,
    state: 'revoked',
    revokedAt: at,
    revokedBy: revocation.by,
    ...(reason === undefined ? {} : { revocationReason: reason }),
  }
}

/** Escapes glob syntax: the engine reads a fact's verb and resource as globs, and a grant covers exactly its own. */
function literalGlob(text: string): string {
  return text.replace(/[*?{},\\]/g, '\\$&')
}

/**
 * The active grants of `actorId` at `now`, as the facts the policy engine takes, so that
 * `has_grant()` sees nothing expired, revoked, consumed, not yet started or someone else's.
 */
export function grantsAsFacts(grants: readonly Grant[], now: Date, actorId: string): GrantFact[] {
  return grants
    .filter((g) => g.actorId === actorId && isGrantActive(g, now))
    .map((g) => ({
      id: g.id,
      verb: literalGlob(g.verb),
      resource: literalGlob(g.resource),
      ...(g.fields === undefined ? {} : { fields: g.fields }),
      expiresAt: g.expiresAt,
    }))
}
