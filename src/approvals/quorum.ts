// Whether the approvals a request has collected satisfy its steps. Each step needs
// `quorum` distinct eligible approvers, one person counts toward one step only (a
// matching, see seat-matching.ts), and under separation of duties the requester never
// counts. After the escalation time, the escalation's principals may fill any step.
import type { ApprovalRequest } from './approval-request.ts'
import { plusSeconds, reached } from './instant.ts'
import { anyPrincipalIncludes, type Identity } from './principals.ts'
import { assignSeats } from './seat-matching.ts'

export interface StepStatus {
  readonly name: string
  readonly quorum: number
  /** Approvers seated on this step in one maximum assignment (another may seat them differently). */
  readonly approvedBy: readonly string[]
  /**
   * How many more approvers eligible for this step would still count. A person eligible
   * for two steps may fill either, so steps' `missing` can add up to more than the total.
   */
  readonly missing: number
  /** Who may approve this step now: its principals, plus the escalation's once due. */
  readonly principals: readonly string[]
}

export interface QuorumStatus {
  readonly satisfied: boolean
  /** Approvals still needed in total. */
  readonly missing: number
  readonly steps: readonly StepStatus[]
  readonly escalationDue: boolean
}

/** When the escalation's principals join, or undefined when the policy has no escalation. */
export function escalationDueAt(request: ApprovalRequest): string | undefined {
  const escalation = request.approval.escalation
  return escalation === undefined ? undefined : plusSeconds(request.createdAt, escalation.afterSeconds)
}

/** True once the escalation time has come: a pure time check, whether or not `escalate` was recorded. */
export function isEscalationDue(request: ApprovalRequest, now: Date): boolean {
  const dueAt = escalationDueAt(request)
  return dueAt !== undefined && reached(now, dueAt)
}

/** The principals who may fill each step at `now`. */
export function stepPrincipals(request: ApprovalRequest, now: Date): string[][] {
  const extra = isEscalationDue(request, now) ? (request.approval.escalation?.to ?? []) : []
  return request.approval.steps.map((step) => [...new Set([...step.anyOf, ...extra])])
}

/** The indexes of the steps `who` may fill at `now`. */
export function eligibleSteps(request: ApprovalRequest, who: Identity, now: Date): number[] {
  const principals = stepPrincipals(request, now)
  const steps: number[] = []
  principals.forEach((list, i) => {
    if (anyPrincipalIncludes(list, who, request.groups)) steps.push(i)
  })
  return steps
}

/** The approvals that can count: one per person, in vote order, never the requester's under separation of duties. */
export function countedApprovers(request: ApprovalRequest): Identity[] {
  const seen = new Set<string>()
  const approvers: Identity[] = []
  for (const vote of request.votes) {
    if (vote.verdict !== 'approve' || seen.has(vote.approverId)) continue
    if (request.approval.separationOfDuties && vote.approverId === request.requester.id) continue
    seen.add(vote.approverId)
    approvers.push({ id: vote.approverId, groups: vote.approverGroups })
  }
  return approvers
}

/** Where the request stands: which seats are filled and how many approvals it still needs. */
export function quorumStatus(request: ApprovalRequest, now: Date): QuorumStatus {
  const approvers = countedApprovers(request)
  const eligible = approvers.map((who) => eligibleSteps(request, who, now))
  const capacities = request.approval.steps.map((s) => s.quorum)
  const best = assignSeats(eligible, capacities)
  const seats = capacities.reduce((sum, q) => sum + q, 0)
  const principals = stepPrincipals(request, now)
  const steps = request.approval.steps.map((step, i) => {
    // Seat `quorum` newcomers who may fill only this step: those that find a seat are missing.
    const newcomers = Array.from({ length: step.quorum }, () => [i])
    const missing = assignSeats([...eligible, ...newcomers], capacities).filled - best.filled
    return {
      name: step.name,
      quorum: step.quorum,
      approvedBy: (best.byStep[i] ?? []).map((a) => approvers[a]?.id ?? ''),
      missing,
      principals: principals[i] ?? [],
    }
  })
  return {
    // A request without seats is malformed: it is never satisfied by votes (fail safe).
    satisfied: seats > 0 && best.filled === seats,
    missing: seats - best.filled,
    steps,
    escalationDue: isEscalationDue(request, now),
  }
}
