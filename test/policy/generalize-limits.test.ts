// Generalizations that would hand the value back are load errors: a range one wide, or an
// IP prefix as long as the address.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { compilePolicySet } from '../../src/policy/index.ts'

function load(transform: string) {
  const text = ['kind: MaskingProfile', 'name: p', 'fields:', `  orders.amount: ${transform}`].join('\n')
  return compilePolicySet([{ file: 'mask.yaml', text }])
}

describe('generalize limits', () => {
  for (const [transform, message] of [
    ['{ transform: generalize, to: range, size: 1 }', 'generalize to range needs a size of at least 2'],
    [
      '{ transform: generalize, to: ip_prefix, size: 32 }',
      'generalize to ip_prefix needs a prefix shorter than the address',
    ],
    [
      '{ transform: generalize, to: ip_prefix, size: 128 }',
      'generalize to ip_prefix needs a prefix shorter than the address',
    ],
  ] as const) {
    it(`refuses ${transform}`, () => {
      const result = load(transform)
      assert.equal(result.ok, false)
      if (!result.ok)
        assert.ok(
          result.errors.some((e) => e.message.includes(message)),
          JSON.stringify(result.errors),
        )
    })
  }

  it('accepts a range of 2 and a /24', () => {
    assert.equal(load('{ transform: generalize, to: range, size: 2 }').ok, true)
    assert.equal(load('{ transform: generalize, to: ip_prefix, size: 24 }').ok, true)
  })
})
