// Allows kept for statements that come again: only where the policy set reads no time and the
// actor has no grants, only allows, and per session actor, classification, table and unmask. The
// rest is decided afresh every time, which the office-hours policy at two times shows.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { initClassifier } from '../../../src/gateway/classify/index.ts'
import { classifyMessage } from '../../../src/gateway/policy-gate/classified-message.ts'
import { decideStatements } from '../../../src/gateway/policy-gate/decide-statements.ts'
import { DecisionMemo } from '../../../src/gateway/policy-gate/decision-memo.ts'
import { compilePolicySet, type GrantFact, type PolicySet } from '../../../src/policy/index.ts'

await initClassifier()

function compile(when: string): PolicySet {
  const result = compilePolicySet([
    {
      file: 'memo.yaml',
      text: `kind: Policy
name: memo
rules:
  - name: reads
    effect: allow
    match: { verbs: db.query, resources: "pg://app/**" }
    when: ${JSON.stringify(when)}
  - name: others
    effect: require_approval
    match: { verbs: db.query, resources: "pg://app/**" }
    when: ${JSON.stringify(`!(${when})`)}
    approval: { steps: [{ name: peers, any_of: ["user:ann"] }] }
`,
    },
  ])
  if (!result.ok) throw new Error(JSON.stringify(result.errors))
  return result.set
}

/** `set` with its evaluations counted. */
function counted(set: PolicySet) {
  const calls = { n: 0 }
  const evaluate = set.evaluate.bind(set)
  set.evaluate = (input, options) => {
    calls.n++
    return evaluate(input, options)
  }
  return calls
}

const actor = { id: 'bob', groups: ['engineering'] }
const [entry] = classifyMessage('SELECT id FROM customers WHERE id = 1', 'app', undefined).statements

function decide(set: PolicySet, memo: DecisionMemo, time: string, grants: readonly GrantFact[] = []) {
  if (entry === undefined) throw new Error('no statement')
  const origin = { actor, time, ip: '10.0.0.7', client: 'psql', grants }
  const [plan] = decideStatements(
    set,
    origin,
    { unmask: false, reason: undefined },
    [entry],
    memo.scope(set, actor, grants),
  )
  return plan?.verdict?.effect
}

describe('kept decisions', () => {
  it('answer a statement again without evaluating, when the set reads no time and there are no grants', () => {
    const set = compile('!context.statement.writes')
    assert.equal(set.readsTime, false)
    const calls = counted(set)
    const memo = new DecisionMemo()
    assert.equal(decide(set, memo, '2026-03-03T09:15:00Z'), 'allow')
    assert.equal(decide(set, memo, '2026-03-08T23:15:00Z'), 'allow')
    assert.equal(calls.n, 1)
    // Another actor object (another session) is decided on its own.
    const other = new DecisionMemo()
    decide(set, other, '2026-03-03T09:15:00Z')
    assert.equal(calls.n, 2)
  })

  it('are not kept when the set reads the time: office hours change the answer', () => {
    const set = compile("within_hours(now, 'UTC', '09:00', '17:00')")
    assert.equal(set.readsTime, true)
    const calls = counted(set)
    const memo = new DecisionMemo()
    assert.equal(decide(set, memo, '2026-03-03T09:15:00Z'), 'allow')
    assert.equal(decide(set, memo, '2026-03-03T20:15:00Z'), 'require_approval')
    assert.equal(decide(set, memo, '2026-03-03T10:15:00Z'), 'allow')
    assert.equal(calls.n, 3)
  })

  it('are not kept for an actor with grants, whose expiry is a time, nor for what is not an allow', () => {
    const set = compile('!context.statement.writes')
    const calls = counted(set)
    const memo = new DecisionMemo()
    const grant: GrantFact = {
      id: 'g1',
      verb: 'db.query',
      resource: 'pg://app/**',
      expiresAt: '2026-03-03T10:00:00Z',
    }
    decide(set, memo, '2026-03-03T09:15:00Z', [grant])
    decide(set, memo, '2026-03-03T09:15:00Z', [grant])
    assert.equal(calls.n, 2)
    const approvals = compile('false')
    const approvalCalls = counted(approvals)
    assert.equal(decide(approvals, memo, '2026-03-03T09:15:00Z'), 'require_approval')
    assert.equal(decide(approvals, memo, '2026-03-03T09:15:00Z'), 'require_approval')
    assert.equal(approvalCalls.n, 2)
  })
})
