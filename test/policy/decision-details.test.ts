// Details of decisions and loading that a reviewer found surprising and we fixed:
// explanations that say why rules were skipped, auto-approval errors shown, a lone
// window default, versions independent of where files are loaded from, and a hint
// for YAML's leading-`!` trap.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { compilePolicySet } from '../../src/policy/index.ts'
import { buildSet, compileErrors, input, policy } from './fixtures/policy-fixtures.ts'

describe('explanations', () => {
  const set = buildSet(
    policy(`  - name: broken
    effect: deny
    match: { verbs: db.query }
    when: context.missing == 1
  - name: reads
    effect: allow
    match: { verbs: db.query }
  - name: writes
    effect: require_approval
    match: { verbs: db.write }
    approval:
      steps: [ { any_of: [user:bob] } ]
      auto_approve: context.rows < 10
`),
  )

  it('says that rules were skipped because an earlier rule could not be evaluated', () => {
    const decision = set.evaluate(input(), { explain: true })
    assert.equal(decision.reason.code, 'condition_error')
    assert.deepEqual(decision.explanation?.[1], {
      rule: decision.explanation?.[1]?.rule,
      outcome: 'skipped',
      detail: 'not evaluated: an earlier rule could not be evaluated',
    })
  })

  it('shows the auto-approve condition and its value, and an error in it leaves the decision to people', () => {
    const yes = set.evaluate(input({ action: 'db.write', context: { rows: 3 } }), { explain: true })
    assert.equal(yes.obligations.approval?.autoApprove, true)
    assert.equal(yes.explanation?.[0]?.detail, 'no condition; auto_approve: context.rows < 10 → true')
    const broken = set.evaluate(input({ action: 'db.write' }), { explain: true })
    assert.equal(broken.effect, 'require_approval')
    assert.equal(broken.obligations.approval?.autoApprove, false)
    assert.equal(
      broken.explanation?.[0]?.detail,
      'no condition; auto_approve: context.rows < 10 → error (No such key: rows), so people decide',
    )
  })
})

describe('window grants', () => {
  it('takes a lone default as the longest window too', () => {
    const set = buildSet(
      policy(`  - name: w
    effect: require_approval
    match: { verbs: db.query }
    approval: { steps: [ { any_of: [user:bob] } ], grant: { mode: window, default: 30m } }
`),
    )
    assert.deepEqual(set.evaluate(input()).obligations.approval?.grant, {
      mode: 'window',
      maxSeconds: 1800,
      defaultSeconds: 1800,
    })
  })
})

describe('policy version', () => {
  it('is the same for the same files loaded from different folders', () => {
    const text = policy('  - { name: a, effect: allow, match: { verbs: db.query } }\n')
    const a = compilePolicySet([{ file: 'p3/a.yaml', text }])
    const b = compilePolicySet([{ file: '/tmp/scratch/p3/a.yaml', text }])
    assert.ok(a.ok && b.ok)
    assert.equal(a.set.version, b.set.version)
    const renamed = compilePolicySet([{ file: 'p3/b.yaml', text }])
    assert.ok(renamed.ok)
    assert.notEqual(renamed.set.version, a.set.version, 'a renamed file is a change')
  })
})

describe("YAML's leading !", () => {
  it('hints to quote a condition YAML read as a tag', () => {
    const [error] = compileErrors(
      policy('  - name: a\n    effect: allow\n    match: { verbs: db.query }\n    when: !has(context.x)\n'),
    )
    assert.equal(error?.hint, "quote an expression that starts with '!': when: '!has(context.x)'")
  })
})
