// Choosing wait or fail once a statement's requests are open: auto-approved ones run at once,
// fail mode fails, wait mode waits no longer than configured nor past the first expiry, and an
// upstream's own settings win over the gateway's.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { type ApprovalRequest, createApprovalRequest } from '../../../src/approvals/index.ts'
import { resolveGatewayConfig } from '../../../src/gateway/index.ts'
import {
  approvalSettingsFor,
  chooseApprovalPath,
  gateApprovalSettings,
} from '../../../src/gateway/policy-gate/index.ts'

const NOW = new Date('2026-03-03T09:00:00.000Z')

const PENDING = createApprovalRequest(
  {
    id: 'req_1',
    input: { actor: { id: 'bob' }, action: 'db.query', resource: 'pg://prod/public.customers' },
    decision: {
      effect: 'require_approval',
      reason: { code: 'rule_matched', message: 'Writes need approval.' },
      rules: [],
      obligations: {
        approval: {
          steps: [{ name: 'peer', anyOf: ['group:engineers'], quorum: 1 }],
          separationOfDuties: true,
          timeoutSeconds: 3600,
          reasonRequired: false,
          stepUp: false,
          grant: { mode: 'single_use' },
          autoApprove: false,
        },
      },
      policyVersion: 'v1',
    },
    groups: new Map(),
  },
  NOW,
)

/** A request in `state` that expires `expiresInSeconds` from now. */
function request(state: ApprovalRequest['state'], expiresInSeconds = 3600): ApprovalRequest {
  return { ...PENDING, state, expiresAt: new Date(NOW.getTime() + expiresInSeconds * 1000).toISOString() }
}

const wait = { mode: 'wait', timeoutMs: 300_000 } as const
const fail = { mode: 'fail', timeoutMs: 300_000 } as const

describe('the approval path', () => {
  const cases: [string, Parameters<typeof chooseApprovalPath>[0], ApprovalRequest[], unknown][] = [
    [
      'auto-approved requests run at once, in either mode',
      fail,
      [request('approved'), request('approved')],
      { path: 'run' },
    ],
    ['fail mode fails', fail, [request('pending')], { path: 'fail' }],
    ['wait mode waits the configured time', wait, [request('pending')], { path: 'wait', waitMs: 300_000 }],
    [
      'but not past the first request’s expiry',
      wait,
      [request('pending', 3600), request('pending', 60)],
      { path: 'wait', waitMs: 60_000 },
    ],
    [
      'one approved and one pending still waits',
      wait,
      [request('approved', 10), request('pending')],
      { path: 'wait', waitMs: 300_000 },
    ],
    ['an already expired request fails', wait, [request('pending', 0)], { path: 'fail' }],
    ['a request an executor took fails', wait, [request('executing')], { path: 'fail' }],
  ]
  for (const [name, settings, requests, expected] of cases)
    it(name, () => assert.deepEqual(chooseApprovalPath(settings, requests, NOW), expected))
})

describe('approval settings', () => {
  it('are the upstream’s own when it has them, else the gateway’s', () => {
    const settings = { ...wait, upstreams: { staging: fail } }
    assert.deepEqual(approvalSettingsFor(settings, 'staging'), fail)
    assert.deepEqual(approvalSettingsFor(settings, 'prod'), wait)
  })

  it('come from the gateway’s configuration', () => {
    const settings = resolveGatewayConfig(
      {
        approval: { mode: 'fail' },
        upstreams: {
          prod: { url: 'postgres://jitgate@db/app', approval: { mode: 'wait', timeout: '1m' } },
          staging: { url: 'postgres://jitgate@db/staging' },
        },
      },
      { env: {}, resolvePath: (path) => path },
    )
    const gate = gateApprovalSettings(settings)
    assert.deepEqual(approvalSettingsFor(gate, 'prod'), { mode: 'wait', timeoutMs: 60_000 })
    assert.deepEqual(approvalSettingsFor(gate, 'staging'), { mode: 'fail', timeoutMs: 300_000 })
  })
})
