// An approval request as the HTTP API shows it: what was asked and by whom, where it stands
// (each step with who approved it, who can still approve), its history and comments, and
// the grant and execution it led to. The schema is the response allowlist and the OpenAPI
// document's: the frozen decision, policy groups and approvers' groups stay in the store.
import { type Static, Type as T } from '@sinclair/typebox'
import type { ApprovalRequest } from './approval-request.ts'
import { REQUEST_STATES } from './approval-request.ts'
import { type ApproverOutlook, whoCanApprove } from './approver-outlook.ts'
import type { ExecutionRecord, ExecutionState } from './execution-record.ts'
import type { Grant } from './grant.ts'
import { GrantSummarySchema, toGrantSummary } from './grant-views.ts'
import { quorumStatus } from './quorum.ts'
import { REQUEST_EVENT_TYPES } from './request-event.ts'

const Time = T.String({ description: 'RFC 3339 UTC' })
const Ids = T.Array(T.String())

export const RequestStateSchema = T.Union(
  REQUEST_STATES.map((s) => T.Literal(s)),
  {
    description:
      'pending → approved | rejected | expired | canceled; approved → executing → executed | failed',
  },
)

const StepSchema = T.Object({
  name: T.String(),
  quorum: T.Integer(),
  approvedBy: T.Array(T.String(), { description: 'approvers seated on this step' }),
  missing: T.Integer({ description: 'approvals this step still needs' }),
})

const ApproversSchema = T.Object(
  {
    open: T.Boolean({ description: 'approvals are still taken: pending and not past its expiry' }),
    missing: T.Integer({ description: 'approvals still needed in total' }),
    steps: T.Array(
      T.Object({
        name: T.String(),
        missing: T.Integer(),
        principals: T.Array(T.String(), { description: 'user:, group: and idp: principals who may fill it' }),
        knownUsers: T.Array(T.String(), { description: 'people the principals name, minus the excluded' }),
      }),
    ),
    excluded: T.Array(T.String(), { description: 'the requester (separation of duties) and who voted' }),
    escalation: T.Optional(T.Object({ dueAt: Time, due: T.Boolean(), to: Ids })),
  },
  { description: 'who can still approve' },
)

const EXECUTION_STATES: readonly ExecutionState[] = ['queued', 'running', 'done', 'failed']

const ExecutionSchema = T.Object({
  id: T.Optional(T.String()),
  state: T.Union(EXECUTION_STATES.map((s) => T.Literal(s))),
  resultStatus: T.Optional(T.Integer({ description: 'what the executor reported, e.g. the HTTP status' })),
  error: T.Optional(T.String()),
  attempts: T.Optional(T.Integer()),
  queuedAt: T.Optional(Time),
  startedAt: T.Optional(Time),
  finishedAt: T.Optional(Time),
})

export const RequestViewSchema = T.Object({
  id: T.String(),
  state: RequestStateSchema,
  requester: T.Object({ id: T.String(), groups: Ids }),
  action: T.Object({
    action: T.String(),
    resource: T.String(),
    purpose: T.Optional(T.String()),
    context: T.Optional(T.Record(T.String(), T.Unknown())),
  }),
  reason: T.Optional(T.String()),
  createdAt: Time,
  expiresAt: Time,
  decidedAt: T.Optional(Time),
  escalatedAt: T.Optional(Time),
  policyVersion: T.String(),
  autoApproved: T.Boolean(),
  grantRequest: T.Object({ startAt: T.Optional(Time), durationSeconds: T.Optional(T.Integer()) }),
  steps: T.Array(StepSchema),
  votes: T.Array(
    T.Object({
      approverId: T.String(),
      verdict: T.Union([T.Literal('approve'), T.Literal('reject')]),
      stepUp: T.Boolean(),
      at: Time,
      reason: T.Optional(T.String()),
    }),
  ),
  approvers: ApproversSchema,
  history: T.Array(
    T.Object({
      at: Time,
      event: T.Union([T.Literal('create'), ...REQUEST_EVENT_TYPES.map((e) => T.Literal(e))]),
      by: T.Optional(T.String({ description: 'absent when jitgate acted (expiry, escalation)' })),
      from: T.Union([RequestStateSchema, T.Null()]),
      to: RequestStateSchema,
    }),
  ),
  comments: T.Array(T.Object({ by: T.String(), text: T.String(), at: Time })),
  grant: T.Optional(GrantSummarySchema),
  execution: T.Optional(ExecutionSchema),
})

export type RequestView = Static<typeof RequestViewSchema>

/** What a request may have led to, read besides the request itself. */
export interface RequestOutcome {
  readonly grant?: Grant
  readonly execution?: ExecutionRecord
}

/** States in which a request may have a grant and an execution: no need to look otherwise. */
export const STATES_WITH_OUTCOME: ReadonlySet<ApprovalRequest['state']> = new Set([
  'approved',
  'executing',
  'executed',
  'failed',
])

export function toRequestView(
  request: ApprovalRequest,
  now: Date,
  outcome: RequestOutcome = {},
): RequestView {
  const { action, grantRequest } = request
  const execution = executionView(request, outcome.execution)
  return {
    id: request.id,
    state: request.state,
    requester: { id: request.requester.id, groups: [...(request.requester.groups ?? [])] },
    action: {
      action: action.action,
      resource: action.resource,
      ...(action.purpose === undefined ? {} : { purpose: action.purpose }),
      ...(action.context === undefined ? {} : { context: { ...action.context } }),
    },
    ...(request.reason === undefined ? {} : { reason: request.reason }),
    createdAt: request.createdAt,
    expiresAt: request.expiresAt,
    ...(request.decidedAt === undefined ? {} : { decidedAt: request.decidedAt }),
    ...(request.escalatedAt === undefined ? {} : { escalatedAt: request.escalatedAt }),
    policyVersion: request.policyVersion,
    autoApproved: request.autoApproved === true,
    grantRequest: { ...grantRequest },
    steps: quorumStatus(request, now).steps.map(({ name, quorum, approvedBy, missing }) => ({
      name,
      quorum,
      approvedBy: [...approvedBy],
      missing,
    })),
    votes: request.votes.map(({ approverId, verdict, stepUp, at, reason }) => ({
      approverId,
      verdict,
      stepUp,
      at,
      ...(reason === undefined ? {} : { reason }),
    })),
    approvers: approversView(whoCanApprove(request, now)),
    history: request.history.map((entry) => ({ ...entry })),
    comments: request.comments.map((comment) => ({ ...comment })),
    ...(outcome.grant === undefined ? {} : { grant: toGrantSummary(outcome.grant, now) }),
    ...(execution === undefined ? {} : { execution }),
  }
}

function approversView(outlook: ApproverOutlook): RequestView['approvers'] {
  const { open, missing, steps, excluded, escalation } = outlook
  return {
    open,
    missing,
    steps: steps.map((step) => ({
      ...step,
      principals: [...step.principals],
      knownUsers: [...step.knownUsers],
    })),
    excluded: [...excluded],
    ...(escalation === undefined ? {} : { escalation: { ...escalation, to: [...escalation.to] } }),
  }
}

/** The execution record when there is one; else what the request itself recorded (gateway actions). */
function executionView(
  request: ApprovalRequest,
  record: ExecutionRecord | undefined,
): RequestView['execution'] {
  if (record !== undefined) {
    const { id, state, resultStatus, error, attempts, queuedAt, startedAt, finishedAt } = record
    return {
      id,
      state,
      attempts,
      queuedAt,
      ...(resultStatus === undefined ? {} : { resultStatus }),
      ...(error === undefined ? {} : { error }),
      ...(startedAt === undefined ? {} : { startedAt }),
      ...(finishedAt === undefined ? {} : { finishedAt }),
    }
  }
  const own = request.execution
  if (own === undefined) return undefined
  const state = own.outcome === undefined ? 'running' : own.outcome === 'ok' ? 'done' : 'failed'
  return {
    state,
    startedAt: own.startedAt,
    ...(own.finishedAt === undefined ? {} : { finishedAt: own.finishedAt }),
    ...(own.outcome !== 'failed' || own.detail === undefined ? {} : { error: own.detail }),
  }
}
