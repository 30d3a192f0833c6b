// Expires pending requests past their deadline and records escalations that have come due,
// audited, from any node: due rows are claimed with SKIP LOCKED, so several sweepers share
// the work without waiting on each other. Correctness never waits for it: a pending
// request past expiry already refuses every decision (see request-state-machine.ts).
import type { AuditDraft } from '../audit/index.ts'
import { requestDrafts } from './approval-audit.ts'
import { type ApprovalStore, REQUEST_CHANNEL } from './approval-ports.ts'
import type { ApprovalRequest } from './approval-request.ts'
import { reached } from './instant.ts'
import { transition } from './request-state-machine.ts'

export interface SweepResult {
  readonly expired: readonly string[]
  readonly escalated: readonly string[]
}

export interface ApprovalSweeperDeps {
  readonly store: ApprovalStore
  /** Requests handled per transaction. */
  readonly batchSize?: number
}

export class ApprovalSweeper {
  constructor(private readonly deps: ApprovalSweeperDeps) {}

  /** One pass at `now`: expires and escalates what is due, in batches, until nothing is left. */
  async sweep(now: Date): Promise<SweepResult> {
    const expired: string[] = []
    const escalated: string[] = []
    for (;;) {
      const batch = await this.#sweepBatch(now)
      for (const request of batch) (request.state === 'expired' ? expired : escalated).push(request.id)
      if (batch.length < (this.deps.batchSize ?? 100)) return { expired, escalated }
    }
  }

  #sweepBatch(now: Date): Promise<ApprovalRequest[]> {
    return this.deps.store.transact(async (tx) => {
      const due = await tx.requests.claimDue(now, this.deps.batchSize ?? 100)
      const changed: ApprovalRequest[] = []
      const drafts: AuditDraft[] = []
      for (const loaded of due) {
        const { request } = loaded
        // Past its expiry a request expires; escalating it first would only notify in vain.
        const event = reached(now, request.expiresAt)
          ? { type: 'expire' as const }
          : { type: 'escalate' as const }
        const next = transition(request, event, now)
        if (next === request) continue
        await tx.requests.update(loaded, next)
        changed.push(next)
        drafts.push(...requestDrafts(request, next))
      }
      await tx.audit(drafts)
      for (const next of changed) await tx.notify(REQUEST_CHANNEL, next.id)
      return changed
    })
  }
}
