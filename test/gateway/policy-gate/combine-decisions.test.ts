// Combining a statement's per-table decisions: the strictest effect wins (deny, consent,
// approval, allow), approval is asked for each table that needs it, and the obligations of what
// runs are merged the stricter way: the least revealing transform per field, however each mask
// names it, the smallest row limit and the shortest timeout.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  combineTables,
  masksAnything,
  mergeRunObligations,
  type TableDecision,
} from '../../../src/gateway/policy-gate/index.ts'
import type { Decision, Effect, FieldTransform, Obligations } from '../../../src/policy/index.ts'

function decision(effect: Effect, obligations: Obligations = {}, rule = `${effect}-rule`): Decision {
  return {
    effect,
    reason: { code: 'rule_matched', message: `${effect} by ${rule}` },
    rules: [{ name: rule, effect, source: { file: 'p.yaml', line: 1 } }],
    obligations,
    policyVersion: 'v1',
  }
}

function table(resource: string, d: Decision): TableDecision {
  return { resource, decision: d, input: { actor: { id: 'bob' }, action: 'db.query', resource } }
}

const t = (
  transform: FieldTransform['transform'],
  params: FieldTransform['params'] = {},
): FieldTransform => ({
  transform,
  params,
})

describe('the strictest table decides', () => {
  const cases: [string, Effect[], string][] = [
    ['all allow', ['allow', 'allow'], 'allow'],
    ['one denies', ['allow', 'require_approval', 'deny', 'require_consent'], 'deny'],
    ['consent over approval', ['require_approval', 'require_consent', 'allow'], 'require_consent'],
    ['approval over allow', ['allow', 'require_approval'], 'require_approval'],
    ['one table', ['require_approval'], 'require_approval'],
  ]
  for (const [name, effects, expected] of cases)
    it(name, () => {
      const verdict = combineTables(effects.map((e, i) => table(`pg://prod/public.t${i}`, decision(e))))
      assert.equal(verdict.effect, expected)
    })

  it('names the first denying table, and every table that needs approval', () => {
    const denied = combineTables([
      table('pg://prod/public.a', decision('allow')),
      table('pg://prod/public.b', decision('deny')),
      table('pg://prod/public.c', decision('deny')),
    ])
    assert.ok(denied.effect === 'deny')
    assert.equal(denied.deciding.resource, 'pg://prod/public.b')
    const approval = combineTables([
      table('pg://prod/public.a', decision('require_approval')),
      table('pg://prod/public.b', decision('allow')),
      table('pg://prod/public.c', decision('require_approval')),
    ])
    assert.ok(approval.effect === 'require_approval')
    assert.deepEqual(
      approval.pending.map((p) => p.resource),
      ['pg://prod/public.a', 'pg://prod/public.c'],
    )
    assert.deepEqual(
      approval.allowed.map((p) => p.resource),
      ['pg://prod/public.b'],
    )
  })

  it('refuses to combine no table at all', () => {
    assert.throws(() => combineTables([]), /one table at least/)
  })
})

describe('obligations of what runs', () => {
  const classes = new Map([
    ['customers.email', 'pii.email'],
    ['customers.ssn', 'pii.ssn'],
  ])

  it('keep the smallest row limit and the shortest timeout', () => {
    const merged = mergeRunObligations(
      [
        decision('allow', { rowLimit: 1000, statementTimeoutSeconds: 30 }),
        decision('allow', { rowLimit: 500 }),
        decision('require_approval', { statementTimeoutSeconds: 10 }),
      ],
      classes,
    )
    assert.deepEqual(merged, { rowLimit: 500, statementTimeoutSeconds: 10 })
  })

  it('pass one mask through as it is', () => {
    const mask = Object.freeze({ 'pii.email': t('partial', { keep: 'email_domain' }) })
    const merged = mergeRunObligations([decision('allow', { mask }), decision('allow', { mask })], classes)
    assert.equal(merged.mask, mask)
  })

  it('merge masks to the least revealing transform, by field, class or default', () => {
    const support = {
      'pii.email': t('partial', { keep: 'email_domain' }),
      'pii.ssn': t('redact'),
      '*': t('keep'),
    }
    const strict = { 'customers.email': t('pseudonym'), '*': t('redact') }
    const merged = mergeRunObligations(
      [decision('allow', { mask: support }), decision('allow', { mask: strict })],
      classes,
    )
    // strict's default redacts what it does not name, pii.email included.
    assert.deepEqual(merged.mask, {
      'pii.email': t('redact'),
      'pii.ssn': t('redact'),
      'customers.email': t('pseudonym'),
      '*': t('redact'),
    })
    const lenient = { 'pii.email': t('partial', { keep: 'email_domain' }), '*': t('keep') }
    const pseudonyms = { 'customers.email': t('pseudonym'), '*': t('keep') }
    assert.deepEqual(
      mergeRunObligations(
        [decision('allow', { mask: lenient }), decision('allow', { mask: pseudonyms })],
        classes,
      ).mask,
      {
        'pii.email': t('partial', { keep: 'email_domain' }),
        // support names the column by its class: the pseudonym reveals less.
        'customers.email': t('pseudonym'),
        '*': t('keep'),
      },
    )
  })

  it('say whether a mask changes anything', () => {
    assert.equal(masksAnything(undefined), false)
    assert.equal(masksAnything({ '*': t('keep'), 'pii.name': t('keep') }), false)
    assert.equal(masksAnything({ '*': t('keep'), 'pii.ssn': t('redact') }), true)
  })
})
