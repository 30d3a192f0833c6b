// Which policy expressions may read the time of the action: what lets the gateway keep
// decisions. Over-approximates on purpose; never misses a read.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { compilePolicySet } from '../../src/policy/index.ts'

function setWith(when: string) {
  const result = compilePolicySet([
    {
      file: 't.yaml',
      text: `kind: Policy\nname: t\nrules:\n  - name: r\n    effect: allow\n    match: { verbs: "*" }\n    when: ${JSON.stringify(when)}\n`,
    },
  ])
  if (!result.ok) throw new Error(`${when}: ${JSON.stringify(result.errors)}`)
  return result.set
}

describe('a policy set that reads the time', () => {
  const reading = [
    "now > timestamp('2026-01-01T00:00:00Z')",
    "within_hours(now, 'Europe/Lisbon', '09:00', '18:00')",
    "context.time == '2026-01-01T00:00:00Z'",
    "context['time'] == '2026-01-01T00:00:00Z'",
    "context['ti' + 'me'] == 'x'",
    'has(context.time)',
    "'time' in context",
    "context.statement.columns.exists(now, now == 'x')",
    'size(context) > 2',
  ]
  for (const when of reading)
    it(`is found in ${when}`, () => {
      assert.equal(setWith(when).readsTime, true)
    })

  const notReading = [
    '!context.statement.writes',
    "context.ip == '10.0.0.1' && actor.id == 'bob'",
    "context['client'] == 'psql'",
    "'engineering' in actor.groups && has(context.unmask)",
    "context.statement.columns.exists(c, c == 'customers.ssn')",
  ]
  for (const when of notReading)
    it(`is not found in ${when}`, () => {
      assert.equal(setWith(when).readsTime, false)
    })
})
