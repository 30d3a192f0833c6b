// What the issue-4 walk-through is made of: a policy set compiled from YAML here (an internal
// account reset needs one peer AND one manager, and is allowed under a 15-minute grant),
// the real services over a migrated store, a fake clock, and an HTTP executor pointed at a
// counting endpoint on 127.0.0.1.
import assert from 'node:assert/strict'
import { ApprovalService } from '../../src/approvals/approval-service.ts'
import { ApprovalSweeper } from '../../src/approvals/approval-sweeper.ts'
import { ExecutionService } from '../../src/approvals/execution-service.ts'
import { ExecutionWorker } from '../../src/approvals/execution-worker.ts'
import { ExecutorRegistry } from '../../src/approvals/executors/executor.ts'
import { HttpExecutor } from '../../src/approvals/executors/http-executor.ts'
import { GrantService } from '../../src/approvals/grant-service.ts'
import type { Approver } from '../../src/approvals/index.ts'
import type { Actor, Decision, PolicyInput, PolicySet } from '../../src/policy/index.ts'
import { compilePolicySet } from '../../src/policy/index.ts'
import { SqlApprovalStore } from '../../src/store/approval-store.ts'
import { SqlExecutionStore } from '../../src/store/execution-store.ts'
import type { DatabaseHandle } from '../../src/store/index.ts'
import type { FakeClock } from '../approvals/approval-fixtures.ts'
import { newId } from '../approvals/approval-fixtures.ts'

export const POLICY = `kind: Groups
groups:
  support: { idp_groups: [support] }
  support-managers: { users: [mia], idp_groups: [support-managers] }
---
kind: Policy
name: account-operations
rules:
  - name: account-calls-need-approval
    effect: require_approval
    match: { verbs: http.call, resources: "http://accounts/**" }
    when: member_of("support") && !has_grant()
    approval:
      steps:
        - { name: peer, any_of: [group:support] }
        - { name: manager, any_of: [group:support-managers] }
      reason_required: true
      timeout: 1h
      grant: { mode: window, max: 1h, default: 15m }
  - name: account-calls-under-a-grant
    effect: allow
    match: { verbs: http.call, resources: "http://accounts/**" }
    when: member_of("support") && has_grant()
`

export function policySet(): PolicySet {
  const result = compilePolicySet([{ file: 'account-operations.yaml', text: POLICY }])
  if (!result.ok)
    throw new Error(`the walk-through policy does not compile: ${JSON.stringify(result.errors)}`)
  return result.set
}

/** The requester, a peer (support) and a manager (named in support-managers). */
export const BOB: Actor = { id: 'bob', groups: ['support'] }
export const ERIN: Approver = { id: 'erin', groups: ['support'] }
export const MIA: Approver = { id: 'mia', groups: [] }

/** The window every grant gets from the policy: 15 minutes. */
export const WINDOW_SECONDS = 15 * 60
/** How long a request may stay pending: 1 hour. */
export const TIMEOUT_SECONDS = 60 * 60

/** bob's reset of `customer`'s account, as the executor needs it in the context. */
export function resetInput(customer: string, now: Date): PolicyInput {
  const path = `/${customer}/reset`
  return {
    actor: BOB,
    action: 'http.call',
    resource: `http://accounts${path}`,
    context: {
      time: now.toISOString(),
      endpoint: 'accounts',
      method: 'POST',
      path,
      body: { reason: 'locked' },
    },
  }
}

/** One idempotent `http.call` executor for the `accounts` endpoint at `endpointUrl`. */
export function executors(endpointUrl: string): ExecutorRegistry {
  return new ExecutorRegistry([
    new HttpExecutor({
      verbs: 'http.call',
      idempotent: true,
      timeoutMs: 5_000,
      endpoints: { accounts: { baseUrl: `${endpointUrl}/accounts`, methods: ['POST'], paths: ['/**'] } },
    }),
  ])
}

/** The real services over `handle`, all on the same fake clock. */
export function services(handle: DatabaseHandle, clock: FakeClock, registry: ExecutorRegistry) {
  const options = { now: () => clock.now(), newId }
  const approvalStore = new SqlApprovalStore(handle, options)
  const executionStore = new SqlExecutionStore(handle, options)
  return {
    approvals: new ApprovalService({ store: approvalStore, clock, newId }),
    grants: new GrantService({ store: approvalStore, clock }),
    sweeper: new ApprovalSweeper({ store: approvalStore }),
    executions: new ExecutionService({ store: executionStore, executors: registry, clock, newId }),
    worker: (owner: string) =>
      new ExecutionWorker({ store: executionStore, executors: registry, clock, owner }),
  }
}

export type Services = ReturnType<typeof services>

/** The decision on bob's reset of `customer` now, with the grants the store holds for him as facts. */
export async function decide(
  s: Services,
  set: PolicySet,
  clock: FakeClock,
  customer: string,
): Promise<{ input: PolicyInput; decision: Decision }> {
  const now = clock.now()
  const input = {
    ...resetInput(customer, now),
    facts: { grants: await s.grants.activeGrantFacts(BOB.id, now) },
  }
  return { input, decision: set.evaluate(input) }
}

/** A pending request for bob's reset of `customer`, from the require_approval decision the policy gives now. */
export async function request(
  s: Services,
  set: PolicySet,
  clock: FakeClock,
  customer: string,
  reason: string,
) {
  const { input, decision } = await decide(s, set, clock, customer)
  assert.equal(decision.effect, 'require_approval')
  const created = await s.approvals.createRequest({
    requester: BOB,
    input,
    decision,
    groups: set.groups,
    reason,
  })
  assert.equal(created.state, 'pending')
  return created
}

/** Asserts that `promise` rejects with `code` and, when given, a message matching `message`. */
export async function rejectsWith(promise: Promise<unknown>, code: string, message?: RegExp): Promise<void> {
  await assert.rejects(promise, (error: Error & { code?: string }) => {
    assert.equal(error.code, code)
    if (message !== undefined) assert.match(error.message, message)
    return true
  })
}
