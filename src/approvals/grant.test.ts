// Grants: the window (from approval or a later asked-for start, capped by the policy),
// the exact expiry boundary, single use, revocation, and the facts the engine sees.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { ApprovalError, InvalidTransitionError } from './errors.ts'
import {
  createGrant,
  type Grant,
  grantStatus,
  grantsAsFacts,
  isGrantActive,
  revokeGrant,
  useGrant,
} from './grant.ts'
import { approvedRequest, at, newRequest, type RequestOptions } from './test-fixtures.ts'

/** Approved at +120 s (09:02:00Z); the grant is created a moment later. */
const grantFor = (options: RequestOptions = {}): Grant =>
  createGrant({ id: 'grt_1', request: approvedRequest(options) }, at(121))

function refuses(fn: () => unknown, code: string, message: string): void {
  assert.throws(
    fn,
    (err: unknown) =>
      (err instanceof ApprovalError || err instanceof InvalidTransitionError) &&
      err.code === code &&
      err.message === message,
  )
}

describe('createGrant', () => {
  it('scopes the grant to the request and starts the window at approval, not at the request', () => {
    assert.deepEqual(grantFor({ fields: ['customers.email'] }), {
      id: 'grt_1',
      requestId: 'req_1',
      actorId: 'bob',
      verb: 'db.query',
      resource: 'pg://prod/public.customers',
      fields: ['customers.email'],
      mode: 'window',
      policyVersion: 'v1',
      createdAt: '2026-03-03T09:02:01.000Z',
      startsAt: '2026-03-03T09:02:00.000Z',
      expiresAt: '2026-03-03T09:17:00.000Z',
      state: 'issued',
    })
  })

  it('starts at the later start the requester asked for, never before approval', () => {
    const later = grantFor({ grant: { startAt: '2026-03-03T10:00:00+01:00' } })
    assert.deepEqual(
      [later.startsAt, later.expiresAt],
      ['2026-03-03T09:02:00.000Z', '2026-03-03T09:17:00.000Z'],
    )
    const tomorrow = grantFor({ grant: { startAt: '2026-03-04T08:00:00Z' } })
    assert.deepEqual(
      [tomorrow.startsAt, tomorrow.expiresAt],
      ['2026-03-04T08:00:00.000Z', '2026-03-04T08:15:00.000Z'],
    )
    assert.equal(grantStatus(tomorrow, at(200)), 'scheduled')
    assert.equal(isGrantActive(tomorrow, new Date('2026-03-04T08:00:00Z')), true)
  })

  it("lasts the requested time, capped by the policy's max and the decision's max TTL", () => {
    const asked = (durationSeconds: number, maxTtlSeconds?: number): string =>
      grantFor({ grant: { durationSeconds }, ...(maxTtlSeconds === undefined ? {} : { maxTtlSeconds }) })
        .expiresAt
    assert.equal(asked(1800), '2026-03-03T09:32:00.000Z')
    assert.equal(asked(7200), '2026-03-03T10:02:00.000Z')
    assert.equal(asked(1800, 600), '2026-03-03T09:12:00.000Z')
  })

  it('gives a single-use grant 15 minutes', () => {
    const single = grantFor({ approval: { grant: { mode: 'single_use' } } })
    assert.deepEqual([single.mode, single.expiresAt], ['single_use', '2026-03-03T09:17:00.000Z'])
  })

  it('needs an approved request', () => {
    refuses(
      () => createGrant({ id: 'grt_1', request: newRequest() }, at(1)),
      'not_approved',
      "a grant needs an approved request; this one is 'pending'",
    )
  })
})

describe('grant lifetime', () => {
  const grant = grantFor()

  it('is active until just before expiresAt and expired at it, with no sweeper', () => {
    const expiry = new Date(grant.expiresAt)
    assert.equal(isGrantActive(grant, new Date(expiry.getTime() - 1)), true)
    assert.equal(isGrantActive(grant, expiry), false)
    assert.equal(grantStatus(grant, expiry), 'expired')
    refuses(
      () => useGrant(grant, expiry),
      'grant_not_active',
      'the grant expired at 2026-03-03T09:17:00.000Z, so it does not allow the action',
    )
  })

  it('lets a window grant be used again and again; a single-use grant once', () => {
    assert.equal(useGrant(grant, at(300)), grant)
    assert.equal(useGrant(grant, at(400)), grant)
    const single = grantFor({ approval: { grant: { mode: 'single_use' } } })
    const used = useGrant(single, at(300))
    assert.deepEqual([used.state, used.consumedAt], ['consumed', at(300).toISOString()])
    refuses(
      () => useGrant(used, at(301)),
      'grant_not_active',
      'the grant was already used at 2026-03-03T09:05:00.000Z (single use), so it does not allow the action',
    )
  })

  it('stops at once when revoked; revoking twice changes nothing; a used grant cannot be revoked', () => {
    const revoked = revokeGrant(grant, { by: 'mia', reason: 'incident closed' }, at(300))
    assert.deepEqual(
      [revoked.state, revoked.revokedAt, revoked.revokedBy, revoked.revocationReason],
      ['revoked', at(300).toISOString(), 'mia', 'incident closed'],
    )
    assert.equal(isGrantActive(revoked, at(300)), false)
    assert.equal(revokeGrant(revoked, { by: 'max' }, at(400)), revoked)
    refuses(
      () => useGrant(revoked, at(301)),
      'grant_not_active',
      'the grant was revoked at 2026-03-03T09:05:00.000Z, so it does not allow the action',
    )
    const used = useGrant(grantFor({ approval: { grant: { mode: 'single_use' } } }), at(300))
    refuses(
      () => revokeGrant(used, { by: 'mia' }, at(400)),
      'invalid_transition',
      "cannot 'revoke' a grant in state 'consumed'; allowed events: none",
    )
  })
})

describe('grantsAsFacts', () => {
  const grant = grantFor()

  it("lists only this actor's active grants, with their expiry", () => {
    const others: Grant[] = [
      { ...grant, id: 'grt_other', actorId: 'erin' },
      revokeGrant({ ...grant, id: 'grt_revoked' }, { by: 'mia' }, at(200)),
      { ...grant, id: 'grt_later', startsAt: at(900).toISOString() },
    ]
    assert.deepEqual(grantsAsFacts([grant, ...others], at(300), 'bob'), [
      {
        id: 'grt_1',
        verb: 'db.query',
        resource: 'pg://prod/public.customers',
        expiresAt: '2026-03-03T09:17:00.000Z',
      },
    ])
    assert.deepEqual(grantsAsFacts([grant], new Date(grant.expiresAt), 'bob'), [])
  })

  it('escapes glob syntax, so a grant covers exactly its own resource', () => {
    const odd = { ...grant, resource: 'svc://crm/{a,b}/*?\\x' }
    assert.equal(grantsAsFacts([odd], at(300), 'bob')[0]?.resource, 'svc://crm/\\{a\\,b\\}/\\*\\?\\\\x')
  })
})
