// Execution as commands over the store: queue an approved request (once; a second call
// returns the same execution), queue every approved request that has none (so a request
// approved while its node died is not lost), read an execution, and show the queue with
// each waiting execution's place and reason.
import { REQUEST_CHANNEL, type ServiceClock } from './approval-ports.ts'
import { requestNotFound } from './approval-service-errors.ts'
import { queuedDraft } from './execution-audit.ts'
import { ExecutionError, executionNotFound } from './execution-errors.ts'
import { limitsFor, queueKeyOf } from './execution-limits.ts'
import { EXECUTION_CHANNEL, type ExecutionStore, type ExecutionTransaction } from './execution-ports.ts'
import { type WaitingExecution, waitingList } from './execution-queue.ts'
import type { ExecutionRecord } from './execution-record.ts'
import type { ExecutorRegistry } from './executors/executor.ts'
import { isoOf } from './instant.ts'

export interface ExecutionServiceDeps {
  readonly store: ExecutionStore
  readonly executors: ExecutorRegistry
  readonly clock: ServiceClock
  readonly newId: () => string
}

const VIEW_LIMIT = 1_000

export class ExecutionService {
  constructor(private readonly deps: ExecutionServiceDeps) {}

  /** Queues the approved request `requestId`; its execution when it already has one. */
  enqueue(requestId: string): Promise<ExecutionRecord> {
    return this.deps.store.transact((tx) => this.#enqueueIn(tx, requestId))
  }

  /**
   * Queues every approved request without an execution whose verb an executor runs (others,
   * such as the gateway's statements, are carried out where they were asked); returns the
   * executions created.
   */
  async enqueueApproved(batch = 100): Promise<readonly ExecutionRecord[]> {
    return this.deps.store.transact(async (tx) => {
      const created: ExecutionRecord[] = []
      const verbs = this.deps.executors.likePatterns()
      for (const id of await tx.executions.approvedWithoutExecution(batch, verbs)) {
        const loaded = await tx.requests.load(id)
        if (loaded === undefined || this.deps.executors.forVerb(loaded.request.action.action) === undefined)
          continue
        created.push(await this.#enqueueIn(tx, id))
      }
      return created
    })
  }

  get(id: string): Promise<ExecutionRecord> {
    return this.deps.store.transact(async (tx) => {
      const record = await tx.executions.load(id)
      if (record === undefined) throw executionNotFound(id)
      return record
    })
  }

  forRequest(requestId: string): Promise<ExecutionRecord | undefined> {
    return this.deps.store.transact((tx) => tx.executions.forRequest(requestId))
  }

  /** Every queued execution in FIFO order, with its place in its queue and why it waits. */
  waiting(): Promise<readonly WaitingExecution[]> {
    const now = this.deps.clock.now()
    return this.deps.store.transact(async (tx) => {
      const queued = await tx.executions.queued(VIEW_LIMIT)
      return waitingList(queued, (limit) => tx.executions.usage(limit, now))
    })
  }

  /** The place of a queued execution in its queue (1 = next), or undefined once it left the queue. */
  async queuePosition(id: string): Promise<WaitingExecution | undefined> {
    return (await this.waiting()).find((w) => w.id === id)
  }

  async #enqueueIn(tx: ExecutionTransaction, requestId: string): Promise<ExecutionRecord> {
    const existing = await tx.executions.forRequest(requestId)
    if (existing !== undefined) return existing
    const loaded = await tx.requests.load(requestId, { lock: true })
    if (loaded === undefined) throw requestNotFound(requestId)
    const { request } = loaded
    if (request.state !== 'approved')
      throw new ExecutionError('not_approved', `request ${requestId} is '${request.state}', not approved`, [
        { path: 'requestId', message: 'only an approved request is executed' },
      ])
    const executor = this.deps.executors.forVerb(request.action.action)
    if (executor === undefined)
      throw new ExecutionError('no_executor', `no executor runs the verb '${request.action.action}'`, [
        { path: 'action', message: 'configure an executor for this verb' },
      ])
    const record = this.#newRecord(requestId, executor.idempotent, limitsFor(request))
    if (!(await tx.executions.insert(record))) return (await tx.executions.forRequest(requestId)) ?? record
    await tx.audit([queuedDraft(request, record)])
    await tx.notify(EXECUTION_CHANNEL, record.id)
    await tx.notify(REQUEST_CHANNEL, requestId)
    return record
  }

  #newRecord(requestId: string, idempotent: boolean, limits: ExecutionRecord['limits']): ExecutionRecord {
    const id = this.deps.newId()
    const at = isoOf(this.deps.clock.now())
    return {
      id,
      requestId,
      state: 'queued',
      queueKey: queueKeyOf(limits, id),
      queuedAt: at,
      attempts: 0,
      idempotent,
      idempotencyKey: this.deps.newId(),
      updatedAt: at,
      limits,
    }
  }
}
