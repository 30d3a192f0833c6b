// The execution lifecycle under leases, every state against every change: a claim only
// from queued, a resume only after the lease ran out and only when idempotent, renewals
// only by the holder, abandonment only for non-idempotent actions.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  abandonExecution,
  claimExecution,
  DIED_NOT_REPEATED,
  finishExecution,
  leaseExpired,
  renewLease,
  resumeExecution,
} from './execution-lease.ts'
import type { ExecutionRecord } from './execution-record.ts'

const T0 = new Date('2026-03-03T09:00:00.000Z')
const after = (ms: number): Date => new Date(T0.getTime() + ms)
const queued = (idempotent: boolean): ExecutionRecord => ({
  id: 'x1',
  requestId: 'r1',
  state: 'queued',
  queueKey: 'solo:x1',
  queuedAt: T0.toISOString(),
  attempts: 0,
  idempotent,
  idempotencyKey: 'k1',
  updatedAt: T0.toISOString(),
  limits: [],
})
const lease = (owner: string, now: Date) => ({ owner, now, leaseMs: 30_000 })

describe('execution leases', () => {
  it('claims a queued execution under a lease, and only a queued one', () => {
    const running = claimExecution(queued(true), lease('w1', T0))
    assert.equal(running.state, 'running')
    assert.equal(running.leaseOwner, 'w1')
    assert.equal(running.leaseExpiresAt, after(30_000).toISOString())
    assert.equal(running.attempts, 1)
    assert.throws(() => claimExecution(running, lease('w2', T0)), { code: 'invalid_execution_transition' })
  })

  it('lets only the holder renew', () => {
    const running = claimExecution(queued(true), lease('w1', T0))
    assert.equal(renewLease(running, lease('w1', after(10_000))).leaseExpiresAt, after(40_000).toISOString())
    assert.throws(() => renewLease(running, lease('w2', after(10_000))), /the lease is not held by w2/)
  })

  it('expires exactly at the lease end', () => {
    const running = claimExecution(queued(true), lease('w1', T0))
    assert.equal(leaseExpired(running, after(29_999)), false)
    assert.equal(leaseExpired(running, after(30_000)), true)
  })

  it('resumes an idempotent action after its holder died, with the same key', () => {
    const running = claimExecution(queued(true), lease('w1', T0))
    assert.throws(() => resumeExecution(running, lease('w2', after(10_000))), /its lease has not run out/)
    const resumed = resumeExecution(running, lease('w2', after(30_000)))
    assert.equal(resumed.leaseOwner, 'w2')
    assert.equal(resumed.attempts, 2)
    assert.equal(resumed.idempotencyKey, 'k1')
    assert.throws(() => abandonExecution(running, after(30_000)), /an idempotent action is resumed instead/)
  })

  it('fails a non-idempotent action whose holder died, never repeating it', () => {
    const running = claimExecution(queued(false), lease('w1', T0))
    assert.throws(() => resumeExecution(running, lease('w2', after(30_000))), /the action is not idempotent/)
    const failed = abandonExecution(running, after(30_000))
    assert.equal(failed.state, 'failed')
    assert.equal(failed.error, DIED_NOT_REPEATED)
    assert.equal(failed.leaseOwner, undefined)
  })

  it('finishes a running execution once, recording the status and releasing the lease', () => {
    const running = claimExecution(queued(true), lease('w1', T0))
    const done = finishExecution(running, { status: 'ok', resultStatus: 204 }, after(1000))
    assert.deepEqual(
      [done.state, done.resultStatus, done.leaseOwner, done.finishedAt],
      ['done', 204, undefined, after(1000).toISOString()],
    )
    assert.throws(
      () => finishExecution(done, { status: 'ok' }, after(2000)),
      /only a running execution can finish/,
    )
    const failed = finishExecution(
      running,
      { status: 'failed', resultStatus: 503, detail: 'HTTP 503' },
      after(1000),
    )
    assert.deepEqual([failed.state, failed.error], ['failed', 'HTTP 503'])
  })
})
