// Shared by the tests of this folder (not exported from index.ts): a decision needing one
// peer AND one manager, the people involved, and requests built in every state.
import type { ApprovalObligation, Decision, PolicySet } from '../policy/index.ts'
import type { ApprovalRequest, RequestState } from './approval-request.ts'
import { createApprovalRequest } from './create-approval-request.ts'
import type { Approver } from './request-event.ts'
import { transition } from './request-state-machine.ts'

export const T0 = new Date('2026-03-03T09:00:00.000Z')

/** The instant `seconds` after T0 (fractions allowed, for boundaries). */
export function at(seconds: number): Date {
  return new Date(T0.getTime() + seconds * 1000)
}

/** The people: bob asks; erin is a peer; mia (by id) and max (by IdP group) are managers. */
export const BOB: Approver = { id: 'bob', groups: ['engineering'] }
export const ERIN: Approver = { id: 'erin', groups: ['engineering'] }
export const ED: Approver = { id: 'ed', groups: ['engineering'] }
export const MIA: Approver = { id: 'mia', groups: [] }
export const MAX: Approver = { id: 'max', groups: ['eng-managers'] }
/** In both groups: may fill either step, but only one. */
export const DANA: Approver = { id: 'dana', groups: ['engineering', 'eng-managers'] }
/** Only through the escalation (`idp:engineering-leads`). */
export const LEE: Approver = { id: 'lee', groups: ['engineering-leads'] }
export const ZOE: Approver = { id: 'zoe', groups: ['marketing'] }

type Groups = PolicySet['groups']

export const GROUPS: Groups = new Map([
  ['engineers', { name: 'engineers', users: new Set<string>(), idpGroups: new Set(['engineering']) }],
  ['eng-managers', { name: 'eng-managers', users: new Set(['mia']), idpGroups: new Set(['eng-managers']) }],
])

export const APPROVAL: ApprovalObligation = {
  steps: [
    { name: 'peer', anyOf: ['group:engineers'], quorum: 1 },
    { name: 'manager', anyOf: ['group:eng-managers'], quorum: 1 },
  ],
  separationOfDuties: true,
  timeoutSeconds: 3600,
  escalation: { afterSeconds: 1800, to: ['idp:engineering-leads'] },
  reasonRequired: true,
  stepUp: false,
  grant: { mode: 'window', maxSeconds: 3600, defaultSeconds: 900 },
  autoApprove: false,
}

export function decisionWith(approval: Partial<ApprovalObligation> = {}, maxTtlSeconds?: number): Decision {
  return {
    effect: 'require_approval',
    reason: { code: 'rule_matched', message: 'Unmasked production reads need approval.' },
    rules: [],
    obligations: {
      approval: { ...APPROVAL, ...approval },
      ...(maxTtlSeconds === undefined ? {} : { maxTtlSeconds }),
    },
    policyVersion: 'v1',
  }
}

export interface RequestOptions {
  readonly approval?: Partial<ApprovalObligation>
  readonly maxTtlSeconds?: number
  readonly grant?: { readonly startAt?: string; readonly durationSeconds?: number }
  readonly fields?: readonly string[]
}

/** A pending request by bob, created at T0. */
export function newRequest(options: RequestOptions = {}): ApprovalRequest {
  return createApprovalRequest(
    {
      id: 'req_1',
      input: {
        actor: { id: BOB.id, groups: BOB.groups ?? [] },
        action: 'db.query',
        resource: 'pg://prod/public.customers',
        purpose: 'incident INC-2291',
        context: { unmask: true, ...(options.fields === undefined ? {} : { fields: options.fields }) },
      },
      decision: decisionWith(options.approval, options.maxTtlSeconds),
      groups: GROUPS,
      reason: 'duplicate accounts after an email change',
      ...(options.grant === undefined ? {} : { grant: options.grant }),
    },
    T0,
  )
}

/** A request approved by erin (peer, at +60s) and mia (manager, at +120s). */
export function approvedRequest(options: RequestOptions = {}): ApprovalRequest {
  let request = newRequest(options)
  request = transition(request, { type: 'approve', approver: ERIN, stepUpVerified: true }, at(60))
  return transition(request, { type: 'approve', approver: MIA, stepUpVerified: true }, at(120))
}

/** A request in `state`, reached the ordinary way. */
export function requestIn(state: RequestState): ApprovalRequest {
  const pending = newRequest()
  switch (state) {
    case 'pending':
      return pending
    case 'approved':
      return approvedRequest()
    case 'rejected':
      return transition(pending, { type: 'reject', approver: ERIN, reason: 'too broad' }, at(60))
    case 'expired':
      return transition(pending, { type: 'expire' }, at(3600))
    case 'canceled':
      return transition(pending, { type: 'cancel', by: BOB.id }, at(60))
    case 'executing':
      return transition(approvedRequest(), { type: 'start_execution' }, at(180))
    case 'executed':
      return transition(requestIn('executing'), { type: 'finish_execution', outcome: 'ok' }, at(240))
    case 'failed':
      return transition(requestIn('executing'), { type: 'finish_execution', outcome: 'failed' }, at(240))
  }
}
