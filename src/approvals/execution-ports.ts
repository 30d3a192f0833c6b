import type {
  AuditedTransaction,
  GrantRepository,
  RequestRepository,
  TransactionalStore,
} from './approval-ports.ts'
import type { LimitUsage } from './execution-limits.ts'
import type { ExecutionLimit, ExecutionRecord } from './execution-record.ts'

export interface ExecutionRepository {
  /** Inserts `record` and its limits; false when the request already has an execution. */
  insert(record: ExecutionRecord): Promise<boolean>
  /** `lock`: hold the row until the transaction ends (FOR UPDATE on PostgreSQL). */
  load(id: string, options?: { readonly lock?: boolean }): Promise<ExecutionRecord | undefined>
  forRequest(requestId: string): Promise<ExecutionRecord | undefined>
  /** Writes `record` over its row (limits never change). */
  update(record: ExecutionRecord): Promise<void>
  /** One running execution whose lease ran out at `now`, locked, passing over rows others hold. */
  claimExpired(now: Date): Promise<ExecutionRecord | undefined>
  /** The first queued execution of each queue, in FIFO order (queued_at, then id), unlocked. */
  queueHeads(limit: number): Promise<readonly ExecutionRecord[]>
  /** Every queued execution in FIFO order, for the queue's view. */
  queued(limit: number): Promise<readonly ExecutionRecord[]>
  /**
   * Locks the budgets of `record` without waiting (false when another claimer is deciding on
   * one of them), then the row itself, passing over it when another holds it. Returns the
   * row as it is now when it is still queued, else undefined.
   */
  lockForClaim(record: ExecutionRecord): Promise<ExecutionRecord | undefined>
  /** How much of `limit`'s budget is in use at `now`. */
  usage(limit: ExecutionLimit, now: Date): Promise<LimitUsage>
  /** Ids of approved requests that have no execution yet, oldest decision first. */
  approvedWithoutExecution(limit: number, verbs: readonly string[]): Promise<readonly string[]>
}

export interface ExecutionTransaction extends AuditedTransaction {
  readonly requests: RequestRepository
  /** The request's grant is what the execution uses: revoked or expired, nothing runs. */
  readonly grants: GrantRepository
  readonly executions: ExecutionRepository
}

export type ExecutionStore = TransactionalStore<ExecutionTransaction>

/** Told when an execution is queued or finishes (a slot may have freed); payload: its id. */
export const EXECUTION_CHANNEL = 'execution_changed'
