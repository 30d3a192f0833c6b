// Creating a request: what is frozen in, and the input that is refused.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { Decision, PolicyInput } from '../policy/index.ts'
import { createApprovalRequest, type NewApprovalRequest } from './create-approval-request.ts'
import { ApprovalError } from './errors.ts'
import { MAX_TEXT_LENGTH } from './request-history.ts'
import { decisionWith, GROUPS, newRequest, T0 } from './test-fixtures.ts'

const INPUT: PolicyInput = {
  actor: { id: 'bob', groups: ['engineering'] },
  action: 'db.query',
  resource: 'pg://prod/public.customers',
  context: { unmask: true },
  facts: { grants: [] },
}

const spec = (changes: Partial<NewApprovalRequest> = {}): NewApprovalRequest => ({
  id: 'req_1',
  input: INPUT,
  decision: decisionWith(),
  groups: GROUPS,
  reason: 'incident INC-2291',
  ...changes,
})

function refuses(fn: () => unknown, code: string, message: string, path?: string): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof ApprovalError)
    assert.deepEqual([err.code, err.message], [code, message])
    if (path !== undefined) assert.equal(err.details[0]?.path, path)
    return true
  })
}

describe('createApprovalRequest', () => {
  it('freezes the action (without facts), the decision, the version and the named groups', () => {
    const request = newRequest()
    assert.equal(request.state, 'pending')
    assert.deepEqual(request.requester, { id: 'bob', groups: ['engineering'] })
    assert.equal(request.policyVersion, 'v1')
    assert.deepEqual(request.groups, {
      engineers: { users: [], idpGroups: ['engineering'] },
      'eng-managers': { users: ['mia'], idpGroups: ['eng-managers'] },
    })
    assert.deepEqual(
      [request.createdAt, request.expiresAt],
      ['2026-03-03T09:00:00.000Z', '2026-03-03T10:00:00.000Z'],
    )
    assert.deepEqual(request.history, [
      { at: '2026-03-03T09:00:00.000Z', event: 'create', by: 'bob', from: null, to: 'pending' },
    ])
    const created = createApprovalRequest(spec(), T0)
    assert.equal('facts' in created.action, false)
    assert.equal('actor' in created.action, false)
  })

  it('is not changed by later changes to its input', () => {
    const input = structuredClone(INPUT) as { context: Record<string, unknown> } & PolicyInput
    const request = createApprovalRequest(spec({ input }), T0)
    input.context.unmask = false
    assert.equal(request.action.context?.unmask, true)
  })

  it('refuses a decision that does not ask for approval', () => {
    const allow: Decision = { ...decisionWith(), effect: 'allow', obligations: {} }
    refuses(
      () => createApprovalRequest(spec({ decision: allow }), T0),
      'approval_not_required',
      "the decision is 'allow', not 'require_approval' with approval steps, so there is nothing to approve",
    )
  })

  it('needs a reason when the policy says so, and ignores a blank one when not', () => {
    const { reason: _none, ...noReason } = spec()
    refuses(
      () => createApprovalRequest(noReason, T0),
      'reason_required',
      'the policy requires a reason for this request',
      'reason',
    )
    const optional = spec({ decision: decisionWith({ reasonRequired: false }), reason: '  ' })
    assert.equal('reason' in createApprovalRequest(optional, T0), false)
    refuses(
      () => createApprovalRequest(spec({ reason: 'x'.repeat(MAX_TEXT_LENGTH + 1) }), T0),
      'text_too_long',
      'reason is longer than 4000 characters',
      'reason',
    )
  })

  it('checks the requested grant start and duration', () => {
    refuses(
      () => createApprovalRequest(spec({ grant: { startAt: 'tomorrow' } }), T0),
      'invalid_grant_request',
      'grant.startAt must be an RFC 3339 timestamp',
      'grant.startAt',
    )
    for (const durationSeconds of [0, -5, 1.5, Number.NaN])
      refuses(
        () => createApprovalRequest(spec({ grant: { durationSeconds } }), T0),
        'invalid_grant_request',
        'grant.durationSeconds must be a positive whole number',
        'grant.durationSeconds',
      )
    const ok = createApprovalRequest(
      spec({ grant: { startAt: '2026-03-03T11:00:00+01:00', durationSeconds: 60 } }),
      T0,
    )
    assert.deepEqual(ok.grantRequest, { startAt: '2026-03-03T10:00:00.000Z', durationSeconds: 60 })
  })

  it('refuses an invalid clock', () => {
    assert.throws(() => createApprovalRequest(spec(), new Date('nope')), RangeError)
  })
})
