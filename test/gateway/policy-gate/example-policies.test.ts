// The gate's decisions on the example policies (examples/policies), as a psql session against
// `prod` would meet them: statements classified by the real classifier, decided per table on
// the real policy set at a fixed time. Office hours, masked reads, unmasked reads and writes
// needing approval, schema changes denied, jitgate's own setting allowed.
import assert from 'node:assert/strict'
import { before, describe, it } from 'node:test'
import { initClassifier } from '../../../src/gateway/classify/index.ts'
import { classifyMessage } from '../../../src/gateway/policy-gate/classified-message.ts'
import { decideStatements, refusalOf } from '../../../src/gateway/policy-gate/decide-statements.ts'
import { mergeRunObligations } from '../../../src/gateway/policy-gate/index.ts'
import { compilePolicySet, type PolicySet, readPolicyFiles } from '../../../src/policy/index.ts'

let set: PolicySet
before(async () => {
  await initClassifier()
  const result = compilePolicySet(await readPolicyFiles('examples/policies'))
  if (!result.ok) throw new Error('the example policies do not compile')
  set = result.set
})

const TUESDAY_MORNING = '2026-03-03T09:15:00.000Z'
const SUNDAY = '2026-03-08T09:15:00.000Z'

function decide(sql: string, options: { unmask?: boolean; time?: string; groups?: string[] } = {}) {
  const { statements } = classifyMessage(sql, 'prod', undefined)
  return decideStatements(
    set,
    {
      actor: { id: 'bob', groups: options.groups ?? ['engineering'] },
      time: options.time ?? TUESDAY_MORNING,
      ip: '10.20.4.17',
      client: 'psql',
      grants: [],
    },
    { unmask: options.unmask ?? false, reason: undefined },
    statements,
  )
}

const effects = (sql: string, options?: Parameters<typeof decide>[1]) =>
  decide(sql, options).map((p) => p.verdict?.effect)

describe('the example database policy through the gate', () => {
  it('lets engineers read production masked, with its row limit and timeout', () => {
    const plans = decide('SELECT c.email, o.total FROM customers c JOIN orders o ON o.customer_id = c.id')
    assert.deepEqual(
      plans.map((p) => p.verdict?.effect),
      ['allow'],
    )
    assert.deepEqual(
      plans[0]?.tables.map((t) => [t.resource, t.decision.rules.map((r) => r.name)]),
      [
        ['pg://prod/public.customers', ['engineers-read-prod-masked']],
        ['pg://prod/public.orders', ['engineers-read-prod-masked']],
      ],
    )
    const obligations = mergeRunObligations(plans[0]?.tables.map((t) => t.decision) ?? [], set.fieldClasses)
    assert.deepEqual([obligations.rowLimit, obligations.statementTimeoutSeconds], [1000, 30])
    assert.equal(obligations.mask?.['pii.email']?.transform, 'partial')
  })

  it('allows BEGIN, SET and SET jitgate.unmask (on pg://prod/), then asks approval for raw values', () => {
    assert.deepEqual(
      effects('BEGIN; SET statement_timeout = 5000; SET jitgate.unmask = on; SELECT email FROM customers'),
      ['allow', 'allow', 'allow', 'require_approval'],
    )
    const [plan] = decide('SET jitgate.unmask = on')
    assert.deepEqual(
      plan?.tables.map((t) => t.resource),
      ['pg://prod/'],
    )
  })

  it('asks approval for writes, per table', () => {
    const [plan] = decide(
      'UPDATE orders SET status = 1 FROM customers WHERE orders.customer_id = customers.id',
    )
    assert.ok(plan?.verdict?.effect === 'require_approval')
    assert.deepEqual(
      plan.verdict.pending.map((t) => t.decision.rules.map((r) => r.name)),
      [['prod-writes-need-approval'], ['prod-writes-need-approval']],
    )
  })

  it('denies schema changes, and production outside office hours to those not on call', () => {
    const drop = refusalOf(decide('DROP TABLE orders'))
    assert.match(
      drop?.refusal.message ?? '',
      /^jitgate: rule no-manual-ddl-or-dcl-on-prod denies this statement: /,
    )
    assert.deepEqual(effects('SELECT 1', { time: SUNDAY }), ['deny'])
    assert.deepEqual(effects('SELECT 1', { time: SUNDAY, groups: ['engineering', 'oncall'] }), ['allow'])
  })

  it('refuses a whole message whose second statement is denied', () => {
    const refused = refusalOf(decide('SELECT 1; ALTER TABLE orders ADD COLUMN note text'))
    assert.equal(refused?.index, 1)
    assert.match(refused?.refusal.detail ?? '', /^Statement 2 of 2; none of them ran\./)
  })
})
