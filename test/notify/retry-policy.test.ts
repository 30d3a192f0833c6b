// The pure decisions of delivery: the backoff schedule with its jitter, where an attempt
// leaves a delivery, when an endpoint is disabled, and which event types a filter matches.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  checkEventFilter,
  DEFAULT_RETRY_SCHEDULE_MS,
  healthAfter,
  matchesFilter,
  maxAttempts,
  type RetryPolicy,
  retryDelayMs,
  type SendResult,
  settleAttempt,
} from '../../src/notify/index.ts'

const POLICY: RetryPolicy = { scheduleMs: DEFAULT_RETRY_SCHEDULE_MS, jitter: 0.2 }
const NOW = new Date('2026-03-03T09:00:00.000Z')

describe('retry policy', () => {
  it('waits 5 s, 30 s, 2 min, 10 min, 30 min, 1 h, 2 h, 4 h, 8 h, then gives up after ten attempts', () => {
    const waits = Array.from({ length: 10 }, (_, i) => retryDelayMs(i + 1, POLICY, () => 0.5))
    assert.deepEqual(waits, [
      5_000,
      30_000,
      120_000,
      600_000,
      1_800_000,
      3_600_000,
      7_200_000,
      14_400_000,
      28_800_000,
      undefined,
    ])
    assert.equal(maxAttempts(POLICY), 10)
  })

  it('spreads each wait by ±20 % with the injected random source', () => {
    assert.equal(
      retryDelayMs(1, POLICY, () => 0),
      4_000,
    )
    assert.equal(
      retryDelayMs(1, POLICY, () => 0.999_999),
      6_000,
    )
    assert.equal(
      retryDelayMs(2, POLICY, () => 0.25),
      27_000,
    )
    assert.equal(
      retryDelayMs(1, { scheduleMs: [5_000], jitter: 0 }, () => 0.9),
      5_000,
    )
  })

  const cases: [string, number, SendResult, string, string | undefined][] = [
    ['a success', 1, { ok: true, status: 204 }, 'delivered', undefined],
    ['nothing left to say', 1, { ok: true, skipped: 'decided' }, 'skipped', undefined],
    [
      'a first failure',
      1,
      { ok: false, status: 503, error: 'HTTP 503' },
      'failed',
      '2026-03-03T09:00:05.000Z',
    ],
    [
      'a third failure',
      3,
      { ok: false, error: 'the connection failed (ECONNREFUSED)' },
      'failed',
      '2026-03-03T09:02:00.000Z',
    ],
    ['the last failure', 10, { ok: false, status: 500, error: 'HTTP 500' }, 'dead', undefined],
    [
      'a permanent failure',
      1,
      { ok: false, error: 'no email address for the recipient', permanent: true },
      'dead',
      undefined,
    ],
  ]
  for (const [name, attempts, result, state, next] of cases) {
    it(`settles ${name} as ${state}`, () => {
      const settled = settleAttempt(attempts, result, NOW, POLICY, () => 0.5)
      assert.deepEqual([settled.state, settled.nextAttemptAt], [state, next])
    })
  }

  it('disables a subscription at the M-th dead delivery in a row; a success resets the count', () => {
    assert.deepEqual(healthAfter({ consecutiveFailures: 0 }, 'failed', 3), { kind: 'unchanged' })
    assert.deepEqual(healthAfter({ consecutiveFailures: 1 }, 'dead', 3), {
      kind: 'counted',
      consecutiveFailures: 2,
    })
    assert.deepEqual(healthAfter({ consecutiveFailures: 2 }, 'dead', 3), {
      kind: 'disabled',
      consecutiveFailures: 3,
      reason: '3 deliveries in a row failed every attempt',
    })
    assert.deepEqual(healthAfter({ consecutiveFailures: 2 }, 'delivered', 3), { kind: 'reset' })
    assert.deepEqual(healthAfter({ consecutiveFailures: 0 }, 'delivered', 3), { kind: 'unchanged' })
    assert.deepEqual(healthAfter({ consecutiveFailures: 3, disabledAt: NOW.toISOString() }, 'dead', 3), {
      kind: 'unchanged',
    })
  })
})

describe('event filters', () => {
  const matches: [string, string, boolean][] = [
    ['request.created', 'request.created', true],
    ['request.created', 'request.approved', false],
    ['request.*', 'request.approved', true],
    ['request.*', 'request', false],
    ['request.*', 'requests.approved', false],
    ['request.*', 'request.a.b', true],
    ['*.failed', 'execution.failed', true],
    ['*.failed', 'execution.finished', false],
    ['*.failed', 'a.b.failed', false],
    ['*', 'audit.checkpoint', true],
  ]
  for (const [pattern, type, expected] of matches) {
    it(`${pattern} ${expected ? 'matches' : 'does not match'} ${type}`, () => {
      assert.equal(matchesFilter([pattern], type), expected)
    })
  }

  it('refuses patterns it would not understand, naming each', () => {
    assert.deepEqual(checkEventFilter(['request.*', 'grant.created', 'request.*']), [
      'request.*',
      'grant.created',
    ])
    assert.throws(
      () => checkEventFilter(['request.*', 'Request.Created', 'request.**', '', 'a..b']),
      (error: Error & { code?: string; details?: { path: string }[] }) => {
        assert.equal(error.code, 'webhook_events_invalid')
        assert.deepEqual(
          error.details?.map((d) => d.path),
          ['/events/1', '/events/2', '/events/3', '/events/4'],
        )
        return true
      },
    )
    assert.throws(() => checkEventFilter([]), /must list at least one pattern/)
  })
})
