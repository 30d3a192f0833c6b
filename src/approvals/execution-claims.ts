// The steps of execution that change the store, each inside the caller's transaction: claim
// the next execution a worker may run (taking over an expired lease first, else starting
// the head of a queue whose budgets allow it), renew a lease, and record a result. Each
// step changes the execution and the request together and audits both in the same commit.
import { JitgateError } from '../shared/index.ts'
import { grantDraft } from './approval-audit.ts'
import { REQUEST_CHANNEL } from './approval-ports.ts'
import type { RequestedAction } from './approval-request.ts'
import { executionDrafts, resumedDraft } from './execution-audit.ts'
import {
  abandonExecution,
  claimExecution,
  finishExecution,
  type Lease,
  renewLease,
  resumeExecution,
} from './execution-lease.ts'
import { checkLimits, type LimitUsage } from './execution-limits.ts'
import { EXECUTION_CHANNEL, type ExecutionTransaction } from './execution-ports.ts'
import type { ExecutionRecord, ExecutionResult } from './execution-record.ts'
import { grantStatus, useGrant } from './grant.ts'
import type { RequestEvent } from './request-event.ts'
import { transition } from './request-state-machine.ts'

function missingRequest(execution: ExecutionRecord): JitgateError {
  return new JitgateError(
    'store_corrupt_row',
    `execution ${execution.id} names a request that does not exist`,
  )
}

/** What a claim found: an execution to run now, or one it settled without running. */
export type ClaimOutcome =
  | { readonly kind: 'run'; readonly execution: ExecutionRecord; readonly action: RequestedAction }
  | { readonly kind: 'settled'; readonly execution: ExecutionRecord }

/** How many queue heads one claim considers. */
const HEADS_PER_CLAIM = 50

/** The next execution for `lease.owner`, or undefined when nothing may start now. */
export async function claimNext(tx: ExecutionTransaction, lease: Lease): Promise<ClaimOutcome | undefined> {
  const expired = await tx.executions.claimExpired(lease.now)
  if (expired !== undefined) return takeOver(tx, expired, lease)
  for (const head of await tx.executions.queueHeads(HEADS_PER_CLAIM)) {
    const locked = await tx.executions.lockForClaim(head)
    if (locked === undefined) continue
    const usage: LimitUsage[] = []
    for (const limit of locked.limits) usage.push(await tx.executions.usage(limit, lease.now))
    // Over a budget: the whole queue waits behind its head (FIFO), and no one fails.
    if (!checkLimits(locked.limits, usage).admitted) continue
    const outcome = await start(tx, locked, lease)
    // A grant whose window has not opened yet: its queue waits for the start time.
    if (outcome !== undefined) return outcome
  }
  return undefined
}

async function start(
  tx: ExecutionTransaction,
  record: ExecutionRecord,
  lease: Lease,
): Promise<ClaimOutcome | undefined> {
  const loaded = await tx.requests.load(record.requestId, { lock: true })
  if (loaded === undefined || loaded.request.state !== 'approved') {
    // Only an approved request runs; the row is settled so that it does not block its queue.
    const failed = finishExecution(
      claimExecution(record, lease),
      { status: 'failed', detail: 'the request was not approved when its turn came' },
      lease.now,
    )
    await tx.executions.update(failed)
    await tx.notify(EXECUTION_CHANNEL, failed.id)
    return { kind: 'settled', execution: failed }
  }
  // The approval's grant is what running the action uses: a revocation or the end of its
  // window stops an action that has not started yet, on every node.
  const grant = await tx.grants.forRequest(record.requestId, { lock: true })
  const status = grant === undefined ? 'missing' : grantStatus(grant, lease.now)
  if (status === 'scheduled') return undefined
  const execution = claimExecution(record, lease)
  await tx.executions.update(execution)
  await changeRequest(tx, execution, { type: 'start_execution' }, lease.now)
  if (grant === undefined || status !== 'active') {
    const failed = finishExecution(
      execution,
      { status: 'failed', detail: `not run: the grant is ${status} (${grant?.id ?? 'none'})` },
      lease.now,
    )
    await tx.executions.update(failed)
    await changeRequest(tx, failed, finishEvent(failed), lease.now)
    return { kind: 'settled', execution: failed }
  }
  const used = useGrant(grant, lease.now)
  if (used !== grant) await tx.grants.update(used)
  await tx.audit([grantDraft('grant.used', used)])
  return { kind: 'run', execution, action: loaded.request.action }
}

/** A dead holder's execution: resumed when idempotent, else failed without running it again. */
async function takeOver(
  tx: ExecutionTransaction,
  record: ExecutionRecord,
  lease: Lease,
): Promise<ClaimOutcome> {
  if (!record.idempotent) {
    const failed = abandonExecution(record, lease.now)
    await tx.executions.update(failed)
    await changeRequest(tx, failed, finishEvent(failed), lease.now)
    return { kind: 'settled', execution: failed }
  }
  const execution = resumeExecution(record, lease)
  await tx.executions.update(execution)
  const loaded = await tx.requests.load(record.requestId)
  if (loaded === undefined) throw missingRequest(record)
  await tx.audit([resumedDraft(loaded.request, execution)])
  return { kind: 'run', execution, action: loaded.request.action }
}

/** Extends the lease; false when `lease.owner` no longer holds it (another node took over). */
export async function renewIn(tx: ExecutionTransaction, id: string, lease: Lease): Promise<boolean> {
  const record = await tx.executions.load(id, { lock: true })
  if (record === undefined || record.state !== 'running' || record.leaseOwner !== lease.owner) return false
  await tx.executions.update(renewLease(record, lease))
  return true
}

/**
 * Records `result` when `owner` still holds the lease: the execution, the request's
 * transition and the audit commit together. False when the lease was lost meanwhile:
 * the node that took over decides, and this result is dropped.
 */
export async function recordResult(
  tx: ExecutionTransaction,
  id: string,
  owner: string,
  result: ExecutionResult,
  now: Date,
): Promise<boolean> {
  const record = await tx.executions.load(id, { lock: true })
  if (record === undefined || record.state !== 'running' || record.leaseOwner !== owner) return false
  const finished = finishExecution(record, result, now)
  await tx.executions.update(finished)
  await changeRequest(tx, finished, finishEvent(finished), now)
  return true
}

function finishEvent(execution: ExecutionRecord): RequestEvent {
  if (execution.state === 'done') return { type: 'finish_execution', outcome: 'ok' }
  return { type: 'finish_execution', outcome: 'failed', detail: execution.error ?? 'failed' }
}

async function changeRequest(
  tx: ExecutionTransaction,
  execution: ExecutionRecord,
  event: RequestEvent,
  now: Date,
): Promise<void> {
  const loaded = await tx.requests.load(execution.requestId, { lock: true })
  if (loaded === undefined) throw missingRequest(execution)
  const next = transition(loaded.request, event, now)
  if (next === loaded.request) return
  await tx.requests.update(loaded, next)
  await tx.audit(executionDrafts(loaded.request, next, execution))
  await tx.notify(REQUEST_CHANNEL, next.id)
  await tx.notify(EXECUTION_CHANNEL, execution.id)
}
