// The execution's lifecycle as pure functions over ExecutionRecord, time passed in:
// claim a queued execution under a lease, renew it, resume it after its holder died (only
// when the action is idempotent), give it up as failed when it is not, and finish it.
// The store applies the result in the same transaction as the request's transition.
import { ExecutionError } from './execution-errors.ts'
import type { ExecutionRecord, ExecutionResult } from './execution-record.ts'
import { isoOf, reached } from './instant.ts'

/** Recorded when a non-idempotent execution's holder died: repeating it could do it twice. */
export const DIED_NOT_REPEATED = 'the executor died; the action may or may not have run: not repeated'

export interface Lease {
  readonly owner: string
  readonly now: Date
  readonly leaseMs: number
}

function refuse(record: ExecutionRecord, change: string, why: string): never {
  throw new ExecutionError(
    'invalid_execution_transition',
    `cannot ${change} execution ${record.id} in state '${record.state}': ${why}`,
    [{ path: 'state', message: why }],
  )
}

function leased(record: ExecutionRecord, lease: Lease, attempts: number): ExecutionRecord {
  const at = isoOf(lease.now)
  return {
    ...record,
    state: 'running',
    leaseOwner: lease.owner,
    leaseExpiresAt: new Date(lease.now.getTime() + lease.leaseMs).toISOString(),
    attempts,
    startedAt: record.startedAt ?? at,
    updatedAt: at,
  }
}

/** True when a running execution's holder has not renewed its lease in time. */
export function leaseExpired(record: ExecutionRecord, now: Date): boolean {
  return (
    record.state === 'running' && record.leaseExpiresAt !== undefined && reached(now, record.leaseExpiresAt)
  )
}

/** queued → running under `lease`: the first attempt. */
export function claimExecution(record: ExecutionRecord, lease: Lease): ExecutionRecord {
  if (record.state !== 'queued') refuse(record, 'claim', 'only a queued execution can be claimed')
  return leased(record, lease, record.attempts + 1)
}

/** A running execution whose lease ran out, taken over by `lease.owner`: idempotent actions only. */
export function resumeExecution(record: ExecutionRecord, lease: Lease): ExecutionRecord {
  if (!leaseExpired(record, lease.now)) refuse(record, 'resume', 'its lease has not run out')
  if (!record.idempotent) refuse(record, 'resume', 'the action is not idempotent')
  return leased(record, lease, record.attempts + 1)
}

/** The holder extends its lease; refused when someone else holds it now. */
export function renewLease(record: ExecutionRecord, lease: Lease): ExecutionRecord {
  if (record.state !== 'running' || record.leaseOwner !== lease.owner)
    refuse(record, 'renew', `the lease is not held by ${lease.owner}`)
  return leased(record, lease, record.attempts)
}

/** running → done | failed with the executor's result; the lease is released. */
export function finishExecution(
  record: ExecutionRecord,
  result: ExecutionResult,
  now: Date,
): ExecutionRecord {
  if (record.state !== 'running') refuse(record, 'finish', 'only a running execution can finish')
  const at = isoOf(now)
  const {
    leaseOwner: _owner,
    leaseExpiresAt: _expires,
    resultStatus: _status,
    error: _error,
    ...rest
  } = record
  return {
    ...rest,
    state: result.status === 'ok' ? 'done' : 'failed',
    ...(result.resultStatus === undefined ? {} : { resultStatus: result.resultStatus }),
    ...(result.status === 'failed' ? { error: result.detail ?? 'the executor reported a failure' } : {}),
    finishedAt: at,
    updatedAt: at,
  }
}

/** A non-idempotent execution whose holder died: failed, never repeated. */
export function abandonExecution(record: ExecutionRecord, now: Date): ExecutionRecord {
  if (!leaseExpired(record, now)) refuse(record, 'abandon', 'its lease has not run out')
  if (record.idempotent) refuse(record, 'abandon', 'an idempotent action is resumed instead')
  return finishExecution(record, { status: 'failed', detail: DIED_NOT_REPEATED }, now)
}
