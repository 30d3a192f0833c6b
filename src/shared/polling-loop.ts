// The loop every background worker runs (execution workers, the notification dispatcher and
// senders): do a step; when it had work, do the next at once, otherwise wait for a wake-up
// (a notification) or the poll interval, whichever comes first. A failing step is logged and
// retried after the interval: the work stays in the store.

/** The part of a pino logger the loop needs. */
export interface LoopLogger {
  warn(obj: object, msg: string): void
}

export class PollingLoop {
  #loop: Promise<void> | undefined
  #stopping = false
  #woken = false
  #wake: (() => void) | undefined

  constructor(
    /** Resolves true when it did something and more may be waiting. */
    private readonly step: () => Promise<boolean>,
    private readonly pollMs: number,
    private readonly log: LoopLogger,
    private readonly what: string,
  ) {}

  start(): void {
    this.#stopping = false
    this.#loop ??= this.#forever()
  }

  /** Finishes the step in hand, then stops. */
  async stop(): Promise<void> {
    this.#stopping = true
    this.#wake?.()
    await this.#loop
    this.#loop = undefined
  }

  /** Look now rather than at the next poll; a wake-up during a step runs one more step. */
  wake(): void {
    this.#woken = true
    this.#wake?.()
  }

  async #forever(): Promise<void> {
    while (!this.#stopping) {
      this.#woken = false
      let busy = false
      try {
        busy = await this.step()
      } catch (error) {
        this.log.warn({ err: error }, `${this.what} failed; trying again`)
      }
      if (!busy && !this.#woken && !this.#stopping) await this.#idle()
    }
  }

  #idle(): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer)
        this.#wake = undefined
        resolve()
      }
      const timer = setTimeout(done, this.pollMs)
      this.#wake = done
    })
  }
}
