// A worker runs approved actions, one at a time, on any node: it claims the next execution
// (execution-claims.ts), runs its executor while renewing the lease, then records the result
// in one transaction. When the lease is lost (this node stalled and another took over) the
// executor is aborted and its result dropped: the node that took over decides.
import { PollingLoop } from '../shared/index.ts'
import type { ServiceClock } from './approval-ports.ts'
import { type ClaimOutcome, claimNext, recordResult, renewIn } from './execution-claims.ts'
import type { Lease } from './execution-lease.ts'
import type { ExecutionStore } from './execution-ports.ts'
import type { ExecutionRecord, ExecutionResult } from './execution-record.ts'
import type { ExecutorRegistry } from './executors/executor.ts'

export interface WorkerLogger {
  warn(obj: object, msg: string): void
}

export interface ExecutionWorkerDeps {
  readonly store: ExecutionStore
  readonly executors: ExecutorRegistry
  readonly clock: ServiceClock
  /** This worker's name in `lease_owner`: unique across nodes (e.g. host, pid and a random part). */
  readonly owner: string
  /** How long a lease lasts without renewal (default 30 s). */
  readonly leaseMs?: number
  /** How often a running execution renews its lease (default a third of `leaseMs`). */
  readonly renewEveryMs?: number
  /** How long an idle worker waits before looking again, unless woken (default 1 s). */
  readonly pollMs?: number
  readonly log?: WorkerLogger
}

const SILENT: WorkerLogger = { warn: () => undefined }

export class ExecutionWorker {
  readonly #leaseMs: number
  readonly #loop: PollingLoop

  constructor(private readonly deps: ExecutionWorkerDeps) {
    this.#leaseMs = deps.leaseMs ?? 30_000
    this.#loop = new PollingLoop(
      () => this.runOnce(),
      deps.pollMs ?? 1_000,
      this.#log(),
      'claiming or recording an execution',
    )
  }

  /** Claims and runs one execution; false when there was nothing to do. */
  async runOnce(): Promise<boolean> {
    const outcome = await this.deps.store.transact((tx) => claimNext(tx, this.#lease()))
    if (outcome === undefined) return false
    if (outcome.kind === 'run') await this.#run(outcome)
    return true
  }

  /** Runs executions until `stop()`, looking again every `pollMs` or when woken. */
  start(): void {
    this.#loop.start()
  }

  /** Finishes the execution in hand, then stops. */
  stop(): Promise<void> {
    return this.#loop.stop()
  }

  /** Something may have become runnable (a notification): look now rather than at the next poll. */
  wake(): void {
    this.#loop.wake()
  }

  async #run(claim: Extract<ClaimOutcome, { kind: 'run' }>): Promise<void> {
    const { execution } = claim
    const controller = new AbortController()
    const renewal = setInterval(() => void this.#renew(execution, controller), this.#renewEveryMs())
    let result: ExecutionResult
    try {
      result = await this.#execute(claim, controller.signal)
    } finally {
      clearInterval(renewal)
    }
    if (controller.signal.aborted) return
    const now = this.deps.clock.now()
    await this.deps.store.transact((tx) => recordResult(tx, execution.id, this.deps.owner, result, now))
  }

  async #execute(
    claim: Extract<ClaimOutcome, { kind: 'run' }>,
    signal: AbortSignal,
  ): Promise<ExecutionResult> {
    const executor = this.deps.executors.forVerb(claim.action.action)
    if (executor === undefined)
      return { status: 'failed', detail: `no executor runs '${claim.action.action}'` }
    try {
      return await executor.execute(claim.action, { idempotencyKey: claim.execution.idempotencyKey, signal })
    } catch (error) {
      if (signal.aborted) return { status: 'failed', detail: 'the lease was lost' }
      this.#log().warn({ err: error, execution: claim.execution.id }, 'the executor threw')
      return { status: 'failed', detail: 'the executor threw an error' }
    }
  }

  async #renew(execution: ExecutionRecord, controller: AbortController): Promise<void> {
    try {
      const held = await this.deps.store.transact((tx) => renewIn(tx, execution.id, this.#lease()))
      if (!held) controller.abort()
    } catch (error) {
      // Not fatal: the lease may still hold at the next renewal, and the result is only
      // recorded while this worker holds it.
      this.#log().warn({ err: error, execution: execution.id }, 'renewing a lease failed')
    }
  }

  #lease(): Lease {
    return { owner: this.deps.owner, now: this.deps.clock.now(), leaseMs: this.#leaseMs }
  }

  #renewEveryMs(): number {
    return this.deps.renewEveryMs ?? Math.max(1, Math.floor(this.#leaseMs / 3))
  }

  #log(): WorkerLogger {
    return this.deps.log ?? SILENT
  }
}
