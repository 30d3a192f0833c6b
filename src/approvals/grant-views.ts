// A grant as the HTTP API shows it: the stored record plus what it is now (`status`:
// scheduled, active, expired, consumed or revoked), since expiry is a time, not a state.
// The schemas are the response allowlists and the OpenAPI document's.
import { type Static, Type as T } from '@sinclair/typebox'
import { type Grant, type GrantStatus, grantStatus } from './grant.ts'

const Time = T.String({ description: 'RFC 3339 UTC' })

const GRANT_STATUSES: readonly GrantStatus[] = ['scheduled', 'active', 'expired', 'consumed', 'revoked']

export const GrantStatusSchema = T.Union(
  GRANT_STATUSES.map((s) => T.Literal(s)),
  { description: 'what the grant is at the time of the answer' },
)

/** The part of a grant a request's view carries. */
export const GrantSummarySchema = T.Object({
  id: T.String(),
  mode: T.Union([T.Literal('single_use'), T.Literal('window')]),
  startsAt: Time,
  expiresAt: Time,
  state: T.Union([T.Literal('issued'), T.Literal('consumed'), T.Literal('revoked')], {
    description: 'what was done to it; expiry shows in status',
  }),
  status: GrantStatusSchema,
})

export const GrantViewSchema = T.Composite([
  GrantSummarySchema,
  T.Object({
    requestId: T.String(),
    actorId: T.String({ description: 'who may act under it' }),
    verb: T.String(),
    resource: T.String(),
    fields: T.Optional(T.Array(T.String())),
    policyVersion: T.String(),
    createdAt: Time,
    consumedAt: T.Optional(Time),
    revokedAt: T.Optional(Time),
    revokedBy: T.Optional(T.String()),
    revocationReason: T.Optional(T.String()),
  }),
])

export type GrantView = Static<typeof GrantViewSchema>
export type GrantSummary = Static<typeof GrantSummarySchema>

export function toGrantSummary(grant: Grant, now: Date): GrantSummary {
  const { id, mode, startsAt, expiresAt, state } = grant
  return { id, mode, startsAt, expiresAt, state, status: grantStatus(grant, now) }
}

export function toGrantView(grant: Grant, now: Date): GrantView {
  const { fields, ...rest } = grant
  return { ...rest, ...(fields === undefined ? {} : { fields: [...fields] }), ...toGrantSummary(grant, now) }
}
