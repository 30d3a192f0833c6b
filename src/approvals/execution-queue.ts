// The visible queue: every waiting execution with its place in its FIFO queue and why it
// waits (behind earlier ones, or at the head of a queue whose budget is full, with when a
// rate-limited slot frees). Decided by the same checks the claim makes.
import { checkLimits, type LimitUsage } from './execution-limits.ts'
import type { ExecutionLimit, ExecutionRecord } from './execution-record.ts'

export type WaitingReason = 'next' | 'behind_earlier' | 'concurrency_limit' | 'rate_limit'

export interface WaitingExecution {
  readonly id: string
  readonly requestId: string
  readonly queueKey: string
  readonly queuedAt: string
  /** 1 for the head of its queue. */
  readonly position: number
  readonly reason: WaitingReason
  /** The rule whose limit holds the queue's head back. */
  readonly rule?: string
  /** When a rate-limited head may start. */
  readonly retryAt?: string
}

/** The rule name inside a budget key (see execution-limits.ts): never the scoped value, which may be an id. */
function ruleOf(limit: ExecutionLimit): string | undefined {
  const parts: unknown = JSON.parse(limit.key)
  return Array.isArray(parts) && typeof parts[1] === 'string' ? parts[1] : undefined
}

/** `queued` in FIFO order, each with its place and reason; `usageOf` reads a budget's use. */
export async function waitingList(
  queued: readonly ExecutionRecord[],
  usageOf: (limit: ExecutionLimit) => Promise<LimitUsage>,
): Promise<WaitingExecution[]> {
  const positions = new Map<string, number>()
  const list: WaitingExecution[] = []
  for (const record of queued) {
    const position = (positions.get(record.queueKey) ?? 0) + 1
    positions.set(record.queueKey, position)
    const base = {
      id: record.id,
      requestId: record.requestId,
      queueKey: record.queueKey,
      queuedAt: record.queuedAt,
      position,
    }
    if (position > 1) {
      list.push({ ...base, reason: 'behind_earlier' })
      continue
    }
    const usage: LimitUsage[] = []
    for (const limit of record.limits) usage.push(await usageOf(limit))
    const verdict = checkLimits(record.limits, usage)
    if (verdict.admitted) {
      list.push({ ...base, reason: 'next' })
      continue
    }
    const rule = ruleOf(verdict.limit)
    list.push({
      ...base,
      reason: verdict.limit.kind === 'rate' ? 'rate_limit' : 'concurrency_limit',
      ...(rule === undefined ? {} : { rule }),
      ...(verdict.retryAt === undefined ? {} : { retryAt: verdict.retryAt }),
    })
  }
  return list
}
