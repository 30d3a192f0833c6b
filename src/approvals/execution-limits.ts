// Concurrency and rate limits of executions, as pure decisions: which budgets an approved
// request draws on (from its decision's obligations), which FIFO queue it waits in, and
// whether the head of a queue may start given how much of each budget is in use.
import { createHash } from 'node:crypto'
import type { ConcurrencyLimit, RateLimit } from '../policy/index.ts'
import type { ApprovalRequest } from './approval-request.ts'
import type { ExecutionLimit, ExecutionRecord } from './execution-record.ts'

type Scope = ConcurrencyLimit['scope']

/** How much of one budget is in use: running executions, or starts inside the window. */
export interface LimitUsage {
  readonly key: string
  readonly used: number
  /** Rate limits: the earliest start still inside the window, when one is. */
  readonly oldestStart?: string
}

export type LimitVerdict =
  | { readonly admitted: true }
  | {
      readonly admitted: false
      readonly limit: ExecutionLimit
      /** Rate limits: when the oldest start leaves the window and a slot frees. */
      readonly retryAt?: string
    }

/** Who shares a budget under `scope`; the subject is `context.subject_id`, else the resource. */
function scopeValue(request: ApprovalRequest, scope: Scope): string {
  switch (scope) {
    case 'global':
      return '*'
    case 'actor':
      return request.requester.id
    case 'resource':
      return request.action.resource
    case 'subject': {
      const subject = request.action.context?.subject_id
      return typeof subject === 'string' && subject !== '' ? subject : request.action.resource
    }
  }
}

// JSON keeps the parts apart whatever characters a rule name or resource holds.
function keyOf(kind: ExecutionLimit['kind'], rule: string, scope: Scope, value: string): string {
  return JSON.stringify([kind, rule, scope, value])
}

/**
 * The budgets `request` draws on. A rule listed twice (merged policies) keeps the
 * tightest maximum, so that one key means one budget.
 */
export function limitsFor(request: ApprovalRequest): ExecutionLimit[] {
  const { obligations } = request.decision
  const byKey = new Map<string, ExecutionLimit>()
  const add = (limit: ExecutionLimit) => {
    const known = byKey.get(limit.key)
    if (known === undefined || limit.max < known.max) byKey.set(limit.key, limit)
  }
  for (const c of obligations.concurrencyLimits ?? []) add(concurrency(request, c))
  for (const r of obligations.rateLimits ?? []) add(rate(request, r))
  return [...byKey.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
}

function concurrency(request: ApprovalRequest, c: ConcurrencyLimit): ExecutionLimit {
  return {
    key: keyOf('concurrency', c.rule, c.scope, scopeValue(request, c.scope)),
    kind: 'concurrency',
    max: c.max,
  }
}

function rate(request: ApprovalRequest, r: RateLimit): ExecutionLimit {
  return {
    key: keyOf('rate', r.rule, r.scope, `${scopeValue(request, r.scope)}/${r.perSeconds}`),
    kind: 'rate',
    max: r.max,
    perSeconds: r.perSeconds,
  }
}

/**
 * The FIFO queue of an execution: one per set of budgets (hashed, since keys may be long
 * and hold ids). An execution without limits waits behind no one, so it gets its own.
 */
export function queueKeyOf(limits: readonly ExecutionLimit[], executionId: string): string {
  if (limits.length === 0) return `solo:${executionId}`
  const digest = createHash('sha256')
  for (const limit of limits) digest.update(`${limit.key}\n`)
  return `limits:${digest.digest('hex').slice(0, 32)}`
}

/** The first budget `usage` shows full, or admitted when none is. */
export function checkLimits(limits: readonly ExecutionLimit[], usage: readonly LimitUsage[]): LimitVerdict {
  for (const limit of limits) {
    const use = usage.find((u) => u.key === limit.key)
    const used = use?.used ?? 0
    if (used < limit.max) continue
    if (limit.kind === 'rate' && use?.oldestStart !== undefined && limit.perSeconds !== undefined) {
      const retryAt = new Date(Date.parse(use.oldestStart) + limit.perSeconds * 1000).toISOString()
      return { admitted: false, limit, retryAt }
    }
    return { admitted: false, limit }
  }
  return { admitted: true }
}

/** The first execution of each queue, in FIFO order: only these may start. */
export function queueHeads(queued: readonly ExecutionRecord[]): ExecutionRecord[] {
  const seen = new Set<string>()
  const heads: ExecutionRecord[] = []
  for (const record of queued) {
    if (seen.has(record.queueKey)) continue
    seen.add(record.queueKey)
    heads.push(record)
  }
  return heads
}
