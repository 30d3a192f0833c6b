// The approval request as plain data: what was asked, the decision and policy it was
// asked under (frozen at creation), who voted, and its history. The store keeps it as
// is; `transition` is the only way it changes.
import type { Actor, ApprovalObligation, Decision, PolicyInput } from '../policy/index.ts'
import type { RequestEventType } from './request-event.ts'

/**
 * pending → approved | rejected | expired | canceled; approved → executing → executed | failed.
 * Grants have their own states (see grant.ts): revocation is a grant's, not a request's.
 */
export type RequestState =
  | 'pending'
  | 'approved'
  | 'rejected'
  | 'expired'
  | 'canceled'
  | 'executing'
  | 'executed'
  | 'failed'

export const REQUEST_STATES: readonly RequestState[] = [
  'pending',
  'approved',
  'rejected',
  'expired',
  'canceled',
  'executing',
  'executed',
  'failed',
]

/** The action as asked for, without the actor (see `requester`) and without facts, which change. */
export type RequestedAction = Omit<PolicyInput, 'actor' | 'facts'>

/** A policy group as it was when the request was created (plain lists, so it stays JSON). */
export interface FrozenGroup {
  readonly users: readonly string[]
  readonly idpGroups: readonly string[]
}

export interface Vote {
  readonly approverId: string
  /** The approver's identity-provider groups when they voted: eligibility is judged on these. */
  readonly approverGroups: readonly string[]
  readonly verdict: 'approve' | 'reject'
  /** The approver confirmed with a second factor before voting. */
  readonly stepUp: boolean
  readonly at: string
  /** Why, for a rejection. */
  readonly reason?: string
}

export interface RequestComment {
  readonly by: string
  readonly text: string
  readonly at: string
}

/** When the requester wants the grant to start and how long it should last; both optional. */
export interface GrantRequest {
  readonly startAt?: string
  readonly durationSeconds?: number
}

export interface Execution {
  readonly startedAt: string
  readonly finishedAt?: string
  readonly outcome?: 'ok' | 'failed'
  /** A short, non-personal summary such as `HTTP 502`; never a response body. */
  readonly detail?: string
}

/** One applied event; repeats that changed nothing leave no entry. */
export interface HistoryEntry {
  readonly at: string
  readonly event: 'create' | RequestEventType
  /** The actor id, or absent when jitgate itself acted (expiry, escalation, auto-approval). */
  readonly by?: string
  readonly from: RequestState | null
  readonly to: RequestState
}

export interface ApprovalRequest {
  readonly id: string
  readonly requester: Actor
  readonly action: RequestedAction
  /** The decision that asked for approval, as it was at creation. */
  readonly decision: Decision
  /** `decision.obligations.approval`, lifted out at creation so it is always present. */
  readonly approval: ApprovalObligation
  readonly policyVersion: string
  /** The policy groups the steps and escalation name, as they were at creation. */
  readonly groups: Readonly<Record<string, FrozenGroup>>
  readonly reason?: string
  readonly grantRequest: GrantRequest
  readonly state: RequestState
  readonly votes: readonly Vote[]
  readonly comments: readonly RequestComment[]
  readonly createdAt: string
  readonly expiresAt: string
  /** When the escalation was recorded (and its principals notified). */
  readonly escalatedAt?: string
  /** When the request left `pending`: approved, rejected, canceled or expired. */
  readonly decidedAt?: string
  readonly autoApproved?: boolean
  readonly execution?: Execution
  readonly history: readonly HistoryEntry[]
}
