// The seat assignment against brute force on small random cases, and the case a greedy
// assignment gets wrong.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { assignSeats } from './seat-matching.ts'

/** The most seats any assignment fills, trying every step (or none) for every approver. */
function bruteForce(eligible: readonly (readonly number[])[], capacities: readonly number[]): number {
  const used = capacities.map(() => 0)
  const best = (a: number): number => {
    if (a === eligible.length) return 0
    let result = best(a + 1)
    for (const s of new Set(eligible[a])) {
      if ((used[s] ?? 0) >= (capacities[s] ?? 0)) continue
      used[s] = (used[s] ?? 0) + 1
      result = Math.max(result, 1 + best(a + 1))
      used[s] = (used[s] ?? 0) - 1
    }
    return result
  }
  return best(0)
}

const cases = fc
  .record({ steps: fc.integer({ min: 1, max: 4 }), approvers: fc.integer({ min: 0, max: 7 }) })
  .chain(({ steps, approvers }) =>
    fc.record({
      capacities: fc.array(fc.integer({ min: 0, max: 3 }), { minLength: steps, maxLength: steps }),
      eligible: fc.array(fc.uniqueArray(fc.integer({ min: 0, max: steps - 1 }), { maxLength: steps }), {
        minLength: approvers,
        maxLength: approvers,
      }),
    }),
  )

describe('assignSeats', () => {
  it('fills as many seats as brute force does', () => {
    fc.assert(
      fc.property(cases, ({ eligible, capacities }) => {
        assert.equal(assignSeats(eligible, capacities).filled, bruteForce(eligible, capacities))
      }),
      { numRuns: 2000 },
    )
  })

  it('seats each approver once, only where eligible, within capacity', () => {
    fc.assert(
      fc.property(cases, ({ eligible, capacities }) => {
        const { filled, byStep } = assignSeats(eligible, capacities)
        const seated = byStep.flat()
        assert.equal(seated.length, filled)
        assert.equal(new Set(seated).size, seated.length)
        byStep.forEach((approvers, s) => {
          assert.ok(approvers.length <= (capacities[s] ?? 0))
          for (const a of approvers) assert.ok(eligible[a]?.includes(s))
        })
      }),
      { numRuns: 1000 },
    )
  })

  it('moves an earlier approver to another step when that frees a seat', () => {
    // Approver 0 may fill the peer (0) or manager (1) step; approver 1 only the peer step.
    const { filled, byStep } = assignSeats([[0, 1], [0]], [1, 1])
    assert.equal(filled, 2)
    assert.deepEqual(byStep, [[1], [0]])
  })

  it('ignores steps that do not exist and steps without seats', () => {
    assert.deepEqual(assignSeats([[5], [1], [0]], [1, 0]), { filled: 1, byStep: [[2], []] })
  })
})
