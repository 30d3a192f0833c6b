// What a node does besides answering calls: sweeps pending requests (expiry, escalation),
// queues approved actions that an executor runs, and runs the execution workers. Wake-ups
// come from the store's notifications (LISTEN/NOTIFY across nodes on PostgreSQL), with a
// timer as the fallback, so a lost notification delays work by one interval at most.
import type { Logger } from 'pino'
import {
  type ApprovalSweeper,
  EXECUTION_CHANNEL,
  type ExecutionService,
  type ExecutionWorker,
  REQUEST_CHANNEL,
} from '../approvals/index.ts'
import { coalescedCall } from '../shared/index.ts'
import type { Notifier, Unsubscribe } from '../store/index.ts'

const SOON_MS = 20

export interface BackgroundWorkDeps {
  readonly notifier: Notifier
  readonly sweeper: ApprovalSweeper
  readonly executions: ExecutionService
  readonly workers: readonly ExecutionWorker[]
  readonly everyMs: number
  readonly now: () => Date
  readonly logger: Logger
}

export class BackgroundWork {
  #timer: NodeJS.Timeout | undefined
  /** A pass shortly (coalescing a burst of changes), after the change's own readers have read. */
  readonly #soon = coalescedCall(() => this.#runPass(false), SOON_MS)
  #unsubscribe: Unsubscribe[] = []
  #pass: Promise<void> | undefined
  /** A pass was asked for while one ran: run once more after it (sweeping too, if asked). */
  #again: { sweep: boolean } | undefined
  #stopped = false

  constructor(private readonly deps: BackgroundWorkDeps) {}

  async start(): Promise<void> {
    const { notifier, workers } = this.deps
    this.#unsubscribe.push(
      // A changed request may have become approved: queue it. Expiry and escalation are
      // matters of time, for the timer: sweeping on every change would take SQLite's write
      // lock while the change's own readers (waiting clients) want an answer.
      await notifier.subscribe(REQUEST_CHANNEL, () => this.#soon()),
      await notifier.subscribe(EXECUTION_CHANNEL, () => {
        for (const worker of workers) worker.wake()
      }),
    )
    for (const worker of workers) worker.start()
    this.#timer = setInterval(() => this.#runPass(true), this.deps.everyMs)
    this.#timer.unref()
    this.#runPass(true)
  }

  async stop(): Promise<void> {
    this.#stopped = true
    if (this.#timer !== undefined) clearInterval(this.#timer)
    this.#soon.cancel()
    for (const unsubscribe of this.#unsubscribe.splice(0)) await unsubscribe()
    await Promise.all(this.deps.workers.map((worker) => worker.stop()))
    await this.#pass
  }

  /** One sweep and one enqueue pass at a time; a request for another while one runs coalesces. */
  #runPass(sweep: boolean): void {
    if (this.#stopped) return
    if (this.#pass !== undefined) {
      this.#again = { sweep: sweep || (this.#again?.sweep ?? false) }
      return
    }
    this.#pass = this.#passOnce(sweep).finally(() => {
      this.#pass = undefined
      const again = this.#again
      this.#again = undefined
      if (again !== undefined && !this.#stopped) this.#runPass(again.sweep)
    })
  }

  async #passOnce(sweep: boolean): Promise<void> {
    const { sweeper, executions, logger } = this.deps
    try {
      if (sweep) {
        const swept = await sweeper.sweep(this.deps.now())
        if (swept.expired.length > 0 || swept.escalated.length > 0)
          logger.info({ expired: swept.expired, escalated: swept.escalated }, 'requests swept')
      }
      const queued = await executions.enqueueApproved()
      if (queued.length > 0) logger.info({ executions: queued.map((e) => e.id) }, 'approved actions queued')
    } catch (error) {
      logger.warn({ err: error }, 'background pass failed; trying again at the next interval')
    }
  }
}
