// The policy language names the new transforms: fpe with a format, noise with a
// percentage; their parameters are checked at load, and when rules disagree on a
// field the least revealing transform wins (token < fpe < generalize < noise < partial).
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { Masker } from '../../../src/anonymize/transforms/index.ts'
import { compilePolicySet, type PolicySet } from '../../../src/policy/index.ts'
import { formatErrorDetail } from '../../../src/shared/index.ts'
import { testKeys } from './fixtures.ts'

const PROFILE = `kind: MaskingProfile
name: research
fields:
  customers.card: { transform: fpe, format: card, purpose: research }
  customers.phone: { transform: fpe, format: phone }
  customers.account: { transform: fpe, format: alnum_ci }
  customers.salary: { transform: noise, percent: 5 }
  customers.email: { transform: partial, keep: email_domain }
default: redact
`

function compile(text: string): PolicySet | string[] {
  const result = compilePolicySet([{ file: 'policy.yaml', text }])
  return result.ok ? result.set : result.errors.map(formatErrorDetail)
}

const rule = (name: string, fields: string): string => `  - name: ${name}
    effect: allow
    match: { verbs: data.read }
    obligations:
      mask:
        fields:
${fields}`

describe('policy transforms fpe and noise', () => {
  it('load from a masking profile and drive the masker', () => {
    const set = compile(PROFILE)
    assert.ok(!Array.isArray(set), String(set))
    const profile = set.profiles.get('research')
    assert.deepEqual(profile?.fields['customers.card'], {
      transform: 'fpe',
      params: { format: 'card', purpose: 'research' },
    })
    assert.deepEqual(profile?.fields['customers.salary'], { transform: 'noise', params: { percent: 5 } })
    const masker = new Masker(profile?.fields ?? {}, { keys: testKeys(), table: 'customers' })
    const row = masker.maskObject({
      card: '4111 1111 1111 1111',
      phone: '+44 20 7946 0958',
      account: 'AB12CD34',
      salary: 50_000,
      email: 'ada@example.com',
      notes: 'x',
    })
    assert.match(String(row.card), /^\d{4} \d{4} \d{4} \d{4}$/)
    assert.match(String(row.phone), /^\+44 \d\d \d{4} \d{4}$/)
    assert.match(String(row.account), /^[0-9A-Z]{8}$/)
    assert.ok(Math.abs((row.salary as number) - 50_000) <= 2_500)
    assert.equal(row.notes, '[redacted]')
  })

  const errors: [string, string, string][] = [
    ['fpe without a format', '  x.y: fpe\n', "policy.yaml:4:8: transform 'fpe' needs parameters"],
    [
      'fpe with an unknown format',
      '  x.y: { transform: fpe, format: hex }\n',
      'policy.yaml:4:34: \'fields.x.y.format\' must be one of digits, alnum, alnum_ci, card, phone; got "hex"',
    ],
    [
      'noise without a percentage',
      '  x.y: { transform: noise, purpose: a }\n',
      "policy.yaml:4:8: transform 'noise' needs one of percent",
    ],
    [
      'noise over 100 %',
      '  x.y: { transform: noise, percent: 150 }\n',
      "policy.yaml:4:37: 'fields.x.y.percent': expected number to be less or equal to 100",
    ],
    [
      'noise given a format',
      '  x.y: { transform: noise, percent: 5, format: card }\n',
      "policy.yaml:4:8: transform 'noise' does not take 'format'",
    ],
    [
      'partial with keep and keep_last',
      '  x.y: { transform: partial, keep: card_last4, keep_last: 2 }\n',
      "policy.yaml:4:8: transform 'partial' takes keep or keep_first/keep_last, not both",
    ],
  ]
  for (const [name, fields, expected] of errors) {
    it(`refuses ${name}`, () => {
      const result = compile(`kind: MaskingProfile\nname: m\nfields:\n${fields}`)
      assert.ok(Array.isArray(result), 'compiled')
      assert.equal(result[0]?.split('\n')[0], expected)
    })
  }

  it('merges to the least revealing transform: token < fpe < generalize < noise < partial', () => {
    const order = [
      '{ transform: token }',
      '{ transform: fpe, format: digits }',
      '{ transform: generalize, to: range, size: 10 }',
      '{ transform: noise, percent: 5 }',
      '{ transform: partial, keep_last: 2 }',
    ]
    for (let i = 0; i < order.length - 1; i++) {
      for (const [a, b] of [
        [order[i], order[i + 1]],
        [order[i + 1], order[i]],
      ]) {
        const set = compile(
          `kind: Policy\nname: p\nrules:\n${rule('one', `          t.c: ${a}`)}\n${rule('two', `          t.c: ${b}`)}\n`,
        )
        assert.ok(!Array.isArray(set), String(set))
        const decision = set.evaluate({ actor: { id: 'alice' }, action: 'data.read', resource: 'r' })
        const expected = (order[i] as string).match(/transform: (\w+)/)?.[1]
        assert.equal(decision.obligations.mask?.['t.c']?.transform, expected)
      }
    }
  })
})
