// Failed authentications per client over a sliding window, with the time passed in.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { FailureLimiter } from '../../src/auth/index.ts'

const T = 1_000_000

describe('failure limiter', () => {
  it('lets a client fail up to the limit, then refuses it until the oldest failure leaves the window', () => {
    const limiter = new FailureLimiter({ maxFailures: 3, windowMs: 60_000 })
    limiter.recordFailure('a', T)
    limiter.recordFailure('a', T + 10_000)
    assert.equal(limiter.retryAfterSeconds('a', T + 10_000), 0)
    limiter.recordFailure('a', T + 20_000)
    assert.equal(limiter.retryAfterSeconds('a', T + 20_000), 40)
    assert.equal(limiter.retryAfterSeconds('a', T + 59_999), 1)
    assert.equal(limiter.retryAfterSeconds('a', T + 60_000), 0)
    // One more failure right away counts against the two still in the window.
    limiter.recordFailure('a', T + 60_000)
    assert.equal(limiter.retryAfterSeconds('a', T + 60_000), 10)
  })

  it('counts clients apart', () => {
    const limiter = new FailureLimiter({ maxFailures: 1, windowMs: 60_000 })
    limiter.recordFailure('a', T)
    assert.equal(limiter.retryAfterSeconds('a', T), 60)
    assert.equal(limiter.retryAfterSeconds('b', T), 0)
  })

  it('forgets clients whose failures left the window', () => {
    const limiter = new FailureLimiter({ maxFailures: 5, windowMs: 1_000 })
    limiter.recordFailure('a', T)
    assert.equal(limiter.size, 1)
    assert.equal(limiter.retryAfterSeconds('a', T + 1_000), 0)
    assert.equal(limiter.size, 0)
  })

  it('remembers at most maxClients, forgetting the one that failed least recently', () => {
    const limiter = new FailureLimiter({ maxFailures: 1, windowMs: 60_000, maxClients: 2 })
    limiter.recordFailure('a', T)
    limiter.recordFailure('b', T + 1)
    limiter.recordFailure('a', T + 2)
    limiter.recordFailure('c', T + 3)
    assert.equal(limiter.size, 2)
    assert.equal(limiter.retryAfterSeconds('b', T + 3), 0)
    assert.notEqual(limiter.retryAfterSeconds('a', T + 3), 0)
    assert.notEqual(limiter.retryAfterSeconds('c', T + 3), 0)
  })

  it('refuses limits that cannot work', () => {
    assert.throws(() => new FailureLimiter({ maxFailures: 0, windowMs: 1 }), /maxFailures/)
    assert.throws(() => new FailureLimiter({ maxFailures: 1.5, windowMs: 1 }), /maxFailures/)
    assert.throws(() => new FailureLimiter({ maxFailures: 1, windowMs: 0 }), /windowMs/)
  })
})
