// A bound on guessing step-up codes: a six-digit TOTP code falls to a few hundred thousand
// tries, and step-up exists for the case where an approver's credentials are stolen. After
// `max` wrong codes within the window an approver's approvals with a code are refused (429)
// until the window has moved on. In memory, per node, like the other limits: N nodes allow
// N × max, still far from what guessing needs.
import { FailureLimiter } from '../auth/index.ts'
import { JitgateError } from '../shared/index.ts'

export const STEP_UP_LIMIT = { maxFailures: 5, windowMs: 15 * 60_000 } as const

const WRONG_CODE = new Set(['step_up_failed', 'step_up_replayed'])

export class StepUpRateLimitedError extends JitgateError {
  constructor(readonly retryAfterSeconds: number) {
    super('step_up_rate_limited', `too many wrong step-up codes; try again in ${retryAfterSeconds} s`, {
      status: 429,
      details: [{ path: 'stepUpCode', message: 'too many wrong codes in a row' }],
    })
  }
}

export class StepUpLimiter {
  readonly #window = new FailureLimiter(STEP_UP_LIMIT)

  /** Runs `approve` for `approverId` unless they are locked out; counts a wrong code against them. */
  async guard<T>(approverId: string, nowMs: number, approve: () => Promise<T>): Promise<T> {
    const wait = this.#window.retryAfterSeconds(approverId, nowMs)
    if (wait > 0) throw new StepUpRateLimitedError(wait)
    try {
      return await approve()
    } catch (error) {
      if (error instanceof JitgateError && WRONG_CODE.has(error.code))
        this.#window.recordFailure(approverId, nowMs)
      throw error
    }
  }
}
