// Building the policy input from a classification: the resources (`public.` for unqualified
// names, the upstream itself when no table is touched), `context.statement` with its columns as
// one list, the origin the gateway saw, and which grant facts might cover a resource.
import assert from 'node:assert/strict'
import { before, describe, it } from 'node:test'
import { classify, initClassifier } from '../../../src/gateway/classify/index.ts'
import {
  type ClassifiedMessage,
  classifyMessage,
} from '../../../src/gateway/policy-gate/classified-message.ts'
import {
  grantsThatMayCover,
  policyInput,
  resourcesOf,
  statementContext,
} from '../../../src/gateway/policy-gate/index.ts'

before(() => initClassifier())

function classified(sql: string) {
  const [first] = classify(sql)
  if (first === undefined || first.kind === 'error') throw new Error(`${sql} does not classify`)
  return first
}

function only(message: ClassifiedMessage) {
  const [entry] = message.statements
  if (entry === undefined) throw new Error('no statement')
  return entry
}

describe('resources', () => {
  const cases: [string, string[]][] = [
    ['SELECT * FROM customers', ['pg://prod/public.customers']],
    [
      'SELECT * FROM billing.payment_methods p JOIN customers c ON c.id = p.customer_id',
      ['pg://prod/billing.payment_methods', 'pg://prod/public.customers'],
    ],
    [
      'UPDATE orders SET total = 1 FROM customers WHERE orders.customer_id = customers.id',
      ['pg://prod/public.customers', 'pg://prod/public.orders'],
    ],
    ['INSERT INTO audit.notes SELECT * FROM audit.notes', ['pg://prod/audit.notes']],
    ['SELECT 1', ['pg://prod/']],
    ['BEGIN', ['pg://prod/']],
  ]
  for (const [sql, expected] of cases)
    it(`of ${sql}`, () => {
      assert.deepEqual([...resourcesOf('prod', classified(sql))].sort(), [...expected].sort())
    })
})

describe('context.statement', () => {
  it('carries the classification, the columns read and written as one list, the fingerprint and text', () => {
    const context = statementContext(
      classified('UPDATE customers SET email = NULL WHERE id = 7 RETURNING email'),
      'abc',
      'UPDATE customers SET email = NULL WHERE id = $1 RETURNING email',
    )
    assert.equal(context.kind, 'write')
    assert.equal(context.writes, true)
    assert.deepEqual(context.tables, { read: ['customers'], write: ['customers'] })
    assert.deepEqual([...context.columns].sort(), ['customers.email', 'customers.id'])
    assert.equal(context.fingerprint, 'abc')
    assert.ok(Object.isFrozen(context))
  })

  it('takes a valid jitgate setting as a statement that changes nothing', () => {
    const entry = only(classifyMessage('SET jitgate.unmask = on', 'prod', undefined))
    assert.deepEqual(
      [entry.context.kind, entry.context.writes, entry.context.reasons],
      ['utility', false, []],
    )
    const other = only(classifyMessage('SET search_path = x', 'prod', undefined))
    assert.equal(other.context.writes, true)
  })
})

describe('the policy input', () => {
  it('is a db.query action with the gateway’s origin and the actor’s grants as facts', () => {
    const entry = only(classifyMessage('SELECT email FROM customers WHERE id = 1', 'prod', undefined))
    const grants = [{ id: 'g1', verb: 'db.query', resource: 'pg://prod/public.customers' }]
    const input = policyInput(
      {
        actor: { id: 'bob', groups: ['engineering'] },
        time: '2026-03-03T09:15:00.000Z',
        ip: '10.0.0.7',
        client: 'psql',
        unmask: true,
        grants,
      },
      'pg://prod/public.customers',
      entry.context,
    )
    assert.deepEqual(input, {
      actor: { id: 'bob', groups: ['engineering'] },
      action: 'db.query',
      resource: 'pg://prod/public.customers',
      context: {
        time: '2026-03-03T09:15:00.000Z',
        ip: '10.0.0.7',
        client: 'psql',
        unmask: true,
        statement: entry.context,
      },
      facts: { grants },
    })
    assert.equal(entry.context.text, 'SELECT email FROM customers WHERE id = $1')
  })
})

describe('grants that may cover a resource', () => {
  const grants = [
    { id: 'exact', verb: 'db.query', resource: 'pg://prod/public.customers' },
    { id: 'schema', verb: 'db.*', resource: 'pg://prod/public.*' },
    { id: 'other-table', verb: 'db.query', resource: 'pg://prod/public.orders' },
    { id: 'other-verb', verb: 'dsar.erase', resource: 'pg://prod/**' },
    { id: 'escaped', verb: 'db.query', resource: 'pg://prod/public.c\\*' },
  ]
  it('are those whose literal part leads to the verb and the resource', () => {
    assert.deepEqual(
      grantsThatMayCover(grants, 'pg://prod/public.customers').map((g) => g.id),
      ['exact', 'schema'],
    )
    assert.deepEqual(
      grantsThatMayCover(grants, 'pg://prod/public.c*').map((g) => g.id),
      ['schema', 'escaped'],
    )
  })
})
