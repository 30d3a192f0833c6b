// Table tests of the pure limit decisions: which budget blocks, when a rate slot frees,
// and which executions head their FIFO queues.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { checkLimits, queueHeads, queueKeyOf } from './execution-limits.ts'
import type { ExecutionLimit, ExecutionRecord } from './execution-record.ts'

const concurrency: ExecutionLimit = { key: 'c', kind: 'concurrency', max: 2 }
const rate: ExecutionLimit = { key: 'r', kind: 'rate', max: 1, perSeconds: 60 }

describe('checkLimits', () => {
  const cases: [
    string,
    readonly ExecutionLimit[],
    { key: string; used: number; oldestStart?: string }[],
    unknown,
  ][] = [
    ['no limits admit', [], [], { admitted: true }],
    ['unused budgets admit', [concurrency, rate], [], { admitted: true }],
    ['a budget with room admits', [concurrency], [{ key: 'c', used: 1 }], { admitted: true }],
    [
      'a full concurrency budget blocks',
      [concurrency],
      [{ key: 'c', used: 2 }],
      { admitted: false, limit: concurrency },
    ],
    [
      'a full rate budget blocks until its oldest start leaves the window',
      [rate],
      [{ key: 'r', used: 1, oldestStart: '2026-03-03T09:00:30.000Z' }],
      { admitted: false, limit: rate, retryAt: '2026-03-03T09:01:30.000Z' },
    ],
    [
      'the first full budget is the one reported',
      [concurrency, rate],
      [
        { key: 'c', used: 2 },
        { key: 'r', used: 1, oldestStart: '2026-03-03T09:00:00.000Z' },
      ],
      { admitted: false, limit: concurrency },
    ],
  ]
  for (const [name, limits, usage, expected] of cases)
    it(name, () => assert.deepEqual(checkLimits(limits, usage), expected))
})

describe('queues', () => {
  const record = (id: string, queueKey: string): ExecutionRecord => ({
    id,
    requestId: `req-${id}`,
    state: 'queued',
    queueKey,
    queuedAt: '2026-03-03T09:00:00.000Z',
    attempts: 0,
    idempotent: true,
    idempotencyKey: `key-${id}`,
    updatedAt: '2026-03-03T09:00:00.000Z',
    limits: [],
  })

  it('lets only the first execution of each queue start, in order', () => {
    const queued = [
      record('a', 'q1'),
      record('b', 'q1'),
      record('c', 'q2'),
      record('d', 'q1'),
      record('e', 'q2'),
    ]
    assert.deepEqual(
      queueHeads(queued).map((r) => r.id),
      ['a', 'c'],
    )
  })

  it('puts executions with the same budgets in one queue, and each one without budgets alone', () => {
    assert.equal(queueKeyOf([concurrency, rate], 'x'), queueKeyOf([concurrency, rate], 'y'))
    assert.notEqual(queueKeyOf([concurrency], 'x'), queueKeyOf([rate], 'x'))
    assert.equal(queueKeyOf([], 'x'), 'solo:x')
    assert.notEqual(queueKeyOf([], 'x'), queueKeyOf([], 'y'))
  })
})
