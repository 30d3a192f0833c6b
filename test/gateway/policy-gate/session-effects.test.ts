// What statements change in the gate's record of a session: jitgate's settings read from
// `SET jitgate.…` in every form PostgreSQL accepts for them (and refused when the gate cannot
// read it), RESET, RESET ALL and DISCARD ALL clearing them, and prepared statements tracked.
import assert from 'node:assert/strict'
import { before, describe, it } from 'node:test'
import { initClassifier } from '../../../src/gateway/classify/index.ts'
import { classifyMessage } from '../../../src/gateway/policy-gate/classified-message.ts'
import type { SessionEffect } from '../../../src/gateway/policy-gate/session-effects.ts'
import { flagsAfter, SessionState } from '../../../src/gateway/policy-gate/session-state.ts'

before(() => initClassifier())

function effectsOf(sql: string) {
  const [entry] = classifyMessage(sql, 'prod', undefined).statements
  if (entry === undefined) throw new Error(`${sql} has no statement`)
  return entry.effects
}

describe('jitgate settings', () => {
  const read: [string, SessionEffect[]][] = [
    ['SET jitgate.unmask = on', [{ kind: 'unmask', value: true }]],
    ['set JITGATE.UNMASK to ON', [{ kind: 'unmask', value: true }]],
    ["SET SESSION jitgate.unmask = 'true'", [{ kind: 'unmask', value: true }]],
    ['SET jitgate.unmask = 1', [{ kind: 'unmask', value: true }]],
    ['SET jitgate.unmask = off', [{ kind: 'unmask', value: false }]],
    ['SET jitgate.unmask TO DEFAULT', [{ kind: 'unmask', value: false }]],
    ['RESET jitgate.unmask', [{ kind: 'unmask', value: false }]],
    [
      "SET jitgate.reason = 'INC-2291: a customer''s login fails'",
      [{ kind: 'reason', value: "INC-2291: a customer's login fails" }],
    ],
    ['SET jitgate.reason = inc2291', [{ kind: 'reason', value: 'inc2291' }]],
    ["SET jitgate.reason = '  '", [{ kind: 'reason', value: undefined }]],
    ['RESET jitgate.reason', [{ kind: 'reason', value: undefined }]],
    ['RESET ALL', [{ kind: 'reset_all' }]],
    ['DISCARD ALL', [{ kind: 'reset_all' }, { kind: 'forget_prepared' }]],
    ['DEALLOCATE ALL', [{ kind: 'forget_prepared' }]],
    ['SET search_path = public', []],
    ['SELECT 1', []],
  ]
  for (const [sql, expected] of read)
    it(`reads ${sql}`, () => {
      const effects = effectsOf(sql)
      assert.ok(effects.ok)
      assert.deepEqual(effects.effects, expected)
    })

  const refused: [string, RegExp][] = [
    ['SET LOCAL jitgate.unmask = on', /SET LOCAL is not supported/],
    ['SET jitgate.unmaks = on', /no setting jitgate.unmaks/],
    ['SET jitgate.unmask = maybe', /on or off/],
    ['SET jitgate.unmask = on, off', /cannot read the value/],
    ["SET jitgate.reason = E'x'", /cannot read the value/],
    ['SET /* hidden */ jitgate.unmask = off', /cannot read this jitgate setting/],
    ['SET "jitgate".unmask = off', /cannot read this jitgate setting/],
  ]
  for (const [sql, message] of refused)
    it(`refuses ${sql}`, () => {
      const effects = effectsOf(sql)
      assert.ok(!effects.ok)
      assert.match(effects.invalid.message, message)
      assert.match(effects.invalid.hint, /\S/)
    })
})

describe('the session record', () => {
  it('takes settings in order, and RESET ALL back to the defaults', () => {
    const start = { unmask: false, reason: undefined }
    const on = flagsAfter(start, [
      { kind: 'unmask', value: true },
      { kind: 'reason', value: 'INC-1' },
    ])
    assert.deepEqual(on, { unmask: true, reason: 'INC-1' })
    assert.deepEqual(flagsAfter(on, [{ kind: 'reset_all' }]), start)
    assert.equal(flagsAfter(start, []), start)
  })

  it('remembers statements prepared in SQL with what they run, and forgets them', () => {
    const state = new SessionState()
    const prepare = effectsOf("PREPARE wipe (int) AS DELETE FROM orders WHERE id = $1 AND note = 'x'")
    assert.ok(prepare.ok)
    state.apply(prepare.effects)
    const wipe = state.prepared('wipe')
    assert.equal(wipe?.classification.kind, 'write')
    assert.equal(wipe?.text, 'PREPARE wipe (int) AS DELETE FROM orders WHERE id = $1 AND note = ?')
    assert.equal(state.classifications.get('wipe')?.writes, true)
    const deallocate = effectsOf('DEALLOCATE wipe')
    assert.ok(deallocate.ok)
    state.apply(deallocate.effects)
    assert.equal(state.prepared('wipe'), undefined)
    assert.equal(state.classifications.size, 0)
  })
})
