// The bound on guessing step-up codes: wrong codes count per approver, the sixth try within
// the window is refused before the code is even checked, other approvers are not affected,
// and other failures do not count.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { JitgateError } from '../shared/index.ts'
import { STEP_UP_LIMIT, StepUpLimiter, StepUpRateLimitedError } from './step-up-limit.ts'

const wrong = () => Promise.reject(new JitgateError('step_up_failed', 'wrong code', { status: 403 }))

describe('StepUpLimiter', () => {
  it('refuses an approver after too many wrong codes, without checking the next one', async () => {
    const limiter = new StepUpLimiter()
    for (let i = 0; i < STEP_UP_LIMIT.maxFailures; i++)
      await assert.rejects(limiter.guard('eve', 1_000, wrong), { code: 'step_up_failed' })
    let checked = false
    await assert.rejects(
      limiter.guard('eve', 2_000, async () => {
        checked = true
      }),
      (error: unknown) => error instanceof StepUpRateLimitedError && error.retryAfterSeconds > 0,
    )
    assert.equal(checked, false)
    assert.equal(
      await limiter.guard('ann', 2_000, async () => 'approved'),
      'approved',
      'others are not affected',
    )
    const later = 1_000 + STEP_UP_LIMIT.windowMs + 1
    assert.equal(await limiter.guard('eve', later, async () => 'approved'), 'approved', 'the window moves on')
  })

  it('counts only wrong codes', async () => {
    const limiter = new StepUpLimiter()
    const other = () => Promise.reject(new JitgateError('not_eligible', 'no step names you', { status: 403 }))
    for (let i = 0; i < STEP_UP_LIMIT.maxFailures + 2; i++)
      await assert.rejects(limiter.guard('eve', 1_000, other), { code: 'not_eligible' })
    assert.equal(await limiter.guard('eve', 1_000, async () => 'approved'), 'approved')
  })
})
