// A message with statements that need approval. First, single-use grants approved earlier for
// the same statements (by fingerprint) are used: that is how fail mode runs a statement sent
// again after approval. Otherwise one request is opened per table that needs approval, and the
// statement fails at once naming them (fail mode), or the client is held until they are decided
// (wait mode). Once approved, the statement is decided again (time, grants and policy may have
// changed; a deny rule still wins) and runs on the approval's grants, once. A client that leaves
// while waiting cancels its requests: nothing runs later on its behalf.
import { performance } from 'node:perf_hooks'
import type { ApprovalRequest } from '../../approvals/index.ts'
import type { GrantFact, PolicySet } from '../../policy/index.ts'
import { JitgateError } from '../../shared/index.ts'
import type { GateAbortReason, GateDecision, GateSession } from '../wire/index.ts'
import { approvalSettingsFor, chooseApprovalPath, isApproved } from './approval-mode.ts'
import type { TableDecision } from './combine-decisions.ts'
import { type MessageRefusal, refusalOf, type StatementPlan } from './decide-statements.ts'
import * as say from './gate-messages.ts'
import type { PolicyGateDeps } from './gate-ports.ts'
import type { RunBasis } from './message-records.ts'

/** What the flow needs of the gate around it. */
export interface ApprovalRunner {
  /** Decides the message again, now. */
  evaluate(
    now: Date,
    grants: readonly GrantFact[],
  ): { readonly set: PolicySet; readonly plans: StatementPlan[] }
  run(
    plans: StatementPlan[],
    set: PolicySet,
    grants: readonly GrantFact[],
    basis: RunBasis,
  ): GateDecision | Promise<GateDecision>
  refuse(
    plans: readonly StatementPlan[],
    set: PolicySet,
    refused: MessageRefusal,
    basis: RunBasis,
  ): say.Refusal
  /** The actor's grants read again from the store (an approval just created one). */
  freshGrants(now: Date): Promise<readonly GrantFact[]>
}

export type ApprovalFlowDeps = Pick<
  PolicyGateDeps,
  | 'createRequest'
  | 'waitForRequest'
  | 'cancelRequest'
  | 'consumeSingleUseGrant'
  | 'approvalLink'
  | 'approval'
  | 'clock'
  | 'log'
>

type Waited = { readonly approved: readonly ApprovalRequest[] } | { readonly refusal: say.Refusal }

export class ApprovalFlow {
  constructor(
    private readonly deps: ApprovalFlowDeps,
    private readonly session: GateSession,
    private readonly runner: ApprovalRunner,
  ) {}

  async ask(plans: StatementPlan[], set: PolicySet, grants: readonly GrantFact[]): Promise<GateDecision> {
    const used = await this.#useGrants(plans)
    if (used !== undefined) return this.runner.run(plans, set, grants, used)
    const unexplained = missingReason(plans)
    if (unexplained !== undefined) return this.runner.refuse(plans, set, unexplained, NONE)
    const first = plans.findIndex((p) => pending(p).length > 0)
    let requests: ApprovalRequest[]
    try {
      requests = await this.#open(plans, set)
    } catch (error) {
      if (!(error instanceof JitgateError)) throw error
      return this.runner.refuse(plans, set, at(first, say.requestRefused(error.message)), NONE)
    }
    const basis: RunBasis = { requests: requests.map((r) => r.id), grants: [] }
    const settings = approvalSettingsFor(this.deps.approval, this.session.upstream)
    const path = chooseApprovalPath(settings, requests, this.deps.clock.now())
    if (path.path === 'fail') {
      const refusal = say.approvalPending(requests, this.deps.approvalLink)
      return this.runner.refuse(plans, set, at(first, refusal), basis)
    }
    let approved: readonly ApprovalRequest[] = requests
    if (path.path === 'wait') {
      this.session.notice(say.approvalNotice(requests, this.deps.approvalLink, path.waitMs))
      const waited = await this.#wait(requests, path.waitMs)
      if ('refusal' in waited) return this.runner.refuse(plans, set, at(first, waited.refusal), basis)
      approved = waited.approved
    }
    return this.#runApproved(basis, approved)
  }

  // Decided again: what still needs approval runs on the grants just approved: single-use ones
  // are used; a window grant covers the statement it was approved for even when the rule
  // that asked does not step aside for grants (no `!has_grant()`).
  async #runApproved(basis: RunBasis, approved: readonly ApprovalRequest[]): Promise<GateDecision> {
    const now = this.deps.clock.now()
    const grants = await this.runner.freshGrants(now)
    const { set, plans } = this.runner.evaluate(now, grants)
    const refused = refusalOf(plans)
    if (refused !== undefined) return this.runner.refuse(plans, set, refused, basis)
    if (!plans.some((p) => pending(p).length > 0)) return this.runner.run(plans, set, grants, basis)
    const windows = new Set(
      approved.filter((r) => r.approval.grant.mode === 'window').map((r) => r.action.resource),
    )
    if (plans.every((p) => pending(p).every((table) => windows.has(table.input.resource))))
      return this.runner.run(plans, set, grants, basis)
    const used = await this.#useGrants(plans)
    if (used !== undefined)
      return this.runner.run(plans, set, grants, { requests: [...basis.requests], grants: used.grants })
    const index = plans.findIndex((p) => pending(p).length > 0)
    const decision = pending(plans[index] as StatementPlan)[0]?.decision
    if (decision === undefined) throw new Error('a pending statement has a decision')
    return this.runner.refuse(
      plans,
      set,
      at(index, say.stillNeedsApproval(decision, position(index, plans))),
      basis,
    )
  }

  /** Every statement that needs approval has single-use grants for it, used now; or undefined. */
  async #useGrants(plans: readonly StatementPlan[]): Promise<RunBasis | undefined> {
    const requests: string[] = []
    const grants: string[] = []
    for (const plan of plans) {
      const tables = pending(plan)
      if (tables.length === 0) continue
      const used = await this.deps.consumeSingleUseGrant({
        actorId: this.session.principal.id,
        fingerprint: plan.entry.fingerprint,
        resources: tables.map((t) => t.resource),
        by: this.session.principal.id,
      })
      if (used === undefined) return undefined
      for (const grant of used) {
        requests.push(grant.requestId)
        grants.push(grant.grantId)
      }
    }
    return { requests, grants }
  }

  async #open(plans: readonly StatementPlan[], set: PolicySet): Promise<ApprovalRequest[]> {
    const requests: ApprovalRequest[] = []
    for (const plan of plans)
      for (const table of pending(plan))
        requests.push(
          await this.deps.createRequest({
            requester: table.input.actor,
            input: table.input,
            decision: table.decision,
            groups: set.groups,
            ...(plan.flags.reason === undefined ? {} : { reason: plan.flags.reason }),
          }),
        )
    return requests
  }

  async #wait(requests: readonly ApprovalRequest[], waitMs: number): Promise<Waited> {
    const { signal } = this.session
    const started = performance.now()
    const current = [...requests]
    for (const [i, first] of current.entries()) {
      let request = first
      for (let left = waitMs; request.state === 'pending' && left > 0 && !signal.aborted; ) {
        request = await this.deps.waitForRequest(request.id, left, signal)
        current[i] = request
        left = waitMs - (performance.now() - started)
      }
      if (signal.aborted) {
        // Ctrl-C: the request stays open for a later send; a client that left cancels it.
        if (signal.reason === ('client_cancelled' satisfies GateAbortReason))
          return { refusal: say.waitCancelled(current) }
        this.#cancel(current)
        return { refusal: say.waitTimedOut(current, waitMs) }
      }
      if (request.state === 'pending') return { refusal: say.waitTimedOut(current, waitMs) }
      if (!isApproved(request)) return { refusal: say.notApproved(request) }
    }
    return { approved: current }
  }

  // The client left: its pending requests would otherwise wait for approvers for nothing.
  #cancel(requests: readonly ApprovalRequest[]): void {
    const cancel = this.deps.cancelRequest
    if (cancel === undefined) return
    for (const request of requests)
      if (request.state === 'pending')
        cancel(request.id, this.session.principal.id).catch((error: unknown) =>
          this.deps.log.warn(
            { err: error, request: request.id },
            'a request whose client left could not be canceled',
          ),
        )
  }
}

const NONE: RunBasis = { requests: [], grants: [] }

function pending(plan: StatementPlan) {
  return plan.verdict?.effect === 'require_approval' ? plan.verdict.pending : []
}

/** The first statement that needs approval with a reason, when the session gave none. */
function missingReason(plans: readonly StatementPlan[]): MessageRefusal | undefined {
  for (const [index, plan] of plans.entries()) {
    const decision =
      plan.flags.reason === undefined ? pending(plan).find(reasonRequired)?.decision : undefined
    if (decision !== undefined) return at(index, say.reasonRequired(decision, position(index, plans)))
  }
  return undefined
}

function reasonRequired(table: TableDecision): boolean {
  const { obligations } = table.decision
  return obligations.reasonRequired === true || obligations.approval?.reasonRequired === true
}

function position(index: number, plans: readonly StatementPlan[]): say.Position {
  return { index, of: plans.length }
}

function at(index: number, refusal: say.Refusal): MessageRefusal {
  return { index, refusal }
}
