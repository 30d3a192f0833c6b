// What clients read when the gate does not simply run a statement: a refusal names the rule
// and what it says, and tells how to get access; a statement waiting for approval names its
// request, the link and who may approve. psql shows `message`, then DETAIL and HINT lines.
// Never a literal of the statement, never a secret. Pure.
import type { ApprovalRequest } from '../../approvals/index.ts'
import type { Decision } from '../../policy/index.ts'
import { formatDuration } from '../../shared/index.ts'
import type { StatementError } from '../classify/index.ts'
import type { GateDecision, NoticeFields } from '../wire/index.ts'
import type { InvalidSetting } from './session-effects.ts'

export type Refusal = Extract<GateDecision, { action: 'reject' }>

/** Where the statement is in its message: named when the message holds several. */
export interface Position {
  readonly index: number
  readonly of: number
}

function refusal(sqlstate: string, message: string, detail?: string, hint?: string): Refusal {
  return {
    action: 'reject',
    sqlstate,
    message,
    ...(detail === undefined ? {} : { detail }),
    ...(hint === undefined ? {} : { hint }),
  }
}

function where(position: Position, detail?: string): string | undefined {
  const which =
    position.of > 1 ? `Statement ${position.index + 1} of ${position.of}; none of them ran.` : undefined
  return which === undefined ? detail : detail === undefined ? which : `${which} ${detail}`
}

function ruleOf(decision: Decision): { readonly name: string; readonly at: string } | undefined {
  const rule = decision.rules[0]
  return rule === undefined ? undefined : { name: rule.name, at: `${rule.source.file}:${rule.source.line}` }
}

/** A deny decision on `resource`. */
export function denied(decision: Decision, resource: string, position: Position): Refusal {
  const rule = ruleOf(decision)
  const version = `Policy version ${decision.policyVersion}, resource ${resource}.`
  switch (decision.reason.code) {
    case 'no_rule_matched':
      return refusal(
        '42501',
        `jitgate: no policy rule allows this statement on ${resource}`,
        where(position, version),
        `Ask the owners of the jitgate policies for a rule that allows db.query on ${resource}.`,
      )
    case 'rule_matched':
      return refusal(
        '42501',
        `jitgate: rule ${rule?.name} denies this statement: ${decision.reason.message}`,
        where(position, version),
        `An approval does not lift a deny rule: ask the owners of rule ${rule?.name} (${rule?.at}) if it should not apply to you.`,
      )
    default:
      return refusal(
        '42501',
        `jitgate could not evaluate ${rule === undefined ? 'the policy' : `rule ${rule.name}`}, so it denies this statement`,
        where(position, `${decision.reason.message} ${version}`),
        rule === undefined
          ? 'Tell the owners of the jitgate policies.'
          : `Tell the owners of rule ${rule.name} (${rule.at}); jitgate policy explain shows the evaluation.`,
      )
  }
}

export function consentNeeded(decision: Decision, resource: string, position: Position): Refusal {
  const rule = ruleOf(decision)
  return refusal(
    '42501',
    `jitgate: rule ${rule?.name} requires the data subject's consent for this statement, which the gateway cannot ask for`,
    where(position, `${decision.reason.message} Resource ${resource}.`),
    'Record the consent through the consent API first, or use the data subject request workflow.',
  )
}

export function unparseable(error: StatementError, position: Position): Refusal {
  const which = position.of > 1 ? `statement ${position.index + 1} of ${position.of}` : 'this statement'
  return refusal(
    '42601',
    `jitgate cannot parse ${which}, so none of this query runs: ${error.message}`,
    `PostgreSQL's parser stopped at character ${error.position + 1}.`,
    error.hint === '' ? 'Check the syntax; jitgate parses statements as PostgreSQL 18 does.' : error.hint,
  )
}

export function unknownPrepared(name: string): Refusal {
  return refusal(
    '42501',
    `jitgate does not know what the prepared statement "${name}" runs, so it does not run it`,
    'The statement was prepared in a way the gateway did not see.',
    'Prepare it in this session through jitgate (PREPARE in SQL, or the protocol’s Parse).',
  )
}

export function invalidSetting(invalid: InvalidSetting, position: Position): Refusal {
  return refusal('22023', invalid.message, where(position), invalid.hint)
}

/** COPY … TO and cursors would hand out rows past the policy's row limit. */
export function rowsUnlimited(statement: string, rowLimit: number, position: Position): Refusal {
  const what = statement === 'CopyStmt' ? 'COPY' : 'a cursor'
  return refusal(
    '42501',
    `jitgate: the policy limits this statement to ${rowLimit} rows, which ${what} would not keep to`,
    where(position),
    'Use a SELECT (with LIMIT, or narrower conditions) instead.',
  )
}

/** The masking module's refusal (a predicate on a masked column, say), in its own words. */
export function maskingRefused(message: string, detail?: string, hint?: string): Refusal {
  return refusal('42501', message, detail, hint)
}

export function maskingUnavailable(): Refusal {
  return refusal(
    '42501',
    'jitgate: the policy masks these results and this gateway cannot mask, so the statement does not run',
    undefined,
    'Tell the jitgate operators: the gateway runs without its masking module.',
  )
}

export function auditUnavailable(): Refusal {
  return refusal(
    '58000',
    'jitgate cannot write its audit log, so it runs no statement until it can',
    undefined,
    'Try again shortly; tell the jitgate operators if it lasts.',
  )
}

export function grantsUnavailable(): Refusal {
  return refusal(
    '58000',
    'jitgate could not read your grants, so the statement does not run',
    undefined,
    'Try again shortly; tell the jitgate operators if it lasts.',
  )
}

export function reasonRequired(decision: Decision, position: Position): Refusal {
  return refusal(
    '42501',
    `jitgate: this statement needs approval (rule ${ruleOf(decision)?.name}), and the policy asks for a reason`,
    where(position, decision.reason.message),
    "SET jitgate.reason = 'why you need it', then run the statement again.",
  )
}

/** Something failed on the way through approval (the store, say): nothing ran. */
export function approvalFailed(): Refusal {
  return refusal(
    'XX000',
    'jitgate could not complete the approval of this statement, so it did not run',
    undefined,
    'Try again shortly; tell the jitgate operators if it lasts.',
  )
}

/** The request could not be opened (rate limited, say): its error's own words. */
export function requestRefused(message: string): Refusal {
  return refusal('42501', `jitgate could not ask for approval: ${message}`)
}

function requestList(requests: readonly ApprovalRequest[], link: (id: string) => string): string {
  return requests.map((r) => `${r.id} (${link(r.id)})`).join(', ')
}

function approvers(requests: readonly ApprovalRequest[]): string {
  const steps = requests.flatMap((r) => r.approval.steps.map((s) => `${s.name}: ${s.anyOf.join(' or ')}`))
  return `Approvers: ${[...new Set(steps)].join('; ')}.`
}

function requestWord(requests: readonly ApprovalRequest[]): string {
  return requests.length === 1 ? 'request' : 'requests'
}

/** Wait mode: sent at once, the client is then held. */
export function approvalNotice(
  requests: readonly ApprovalRequest[],
  link: (id: string) => string,
  waitMs: number,
): NoticeFields {
  return {
    severity: 'NOTICE',
    code: '01000',
    message: `jitgate: this statement needs approval: ${requestWord(requests)} ${requestList(requests, link)}`,
    detail: `${requests[0]?.decision.reason.message ?? ''} ${approvers(requests)}`.trim(),
    hint: `Waiting up to ${formatDuration(Math.ceil(waitMs / 1000))} for the decision.`,
  }
}

/** Fail mode: the statement fails now and runs when sent again once approved. */
export function approvalPending(requests: readonly ApprovalRequest[], link: (id: string) => string): Refusal {
  return refusal(
    '42501',
    `jitgate: this statement needs approval: ${requestWord(requests)} ${requestList(requests, link)}`,
    `${requests[0]?.decision.reason.message ?? ''} ${approvers(requests)}`.trim(),
    'Run the same statement again once it is approved.',
  )
}

/** A request that was decided otherwise than approved. */
export function notApproved(request: ApprovalRequest): Refusal {
  if (request.state === 'rejected') {
    const vote = request.votes.find((v) => v.verdict === 'reject')
    return refusal(
      '42501',
      `jitgate: approval request ${request.id} was rejected, so the statement does not run`,
      vote === undefined
        ? undefined
        : `Rejected by ${vote.approverId}${vote.reason === undefined ? '' : `: ${vote.reason}`}`,
    )
  }
  const why =
    request.state === 'expired'
      ? 'expired before it was approved'
      : request.state === 'canceled'
        ? 'was canceled'
        : `is ${request.state}, not approved`
  return refusal('42501', `jitgate: approval request ${request.id} ${why}, so the statement does not run`)
}

export function waitTimedOut(requests: readonly ApprovalRequest[], waitMs: number): Refusal {
  const pending = requests.filter((r) => r.state === 'pending').map((r) => r.id)
  return refusal(
    '57014',
    `jitgate stopped waiting for approval ${pending.length === 1 ? 'request' : 'requests'} ${pending.join(', ')} after ${formatDuration(Math.ceil(waitMs / 1000))}`,
    'The request is still open.',
    'Run the same statement again once it is approved.',
  )
}

/** The client cancelled (psql's Ctrl-C) while it waited: its requests stay open. */
export function waitCancelled(requests: readonly ApprovalRequest[]): Refusal {
  const pending = requests.filter((r) => r.state === 'pending').map((r) => r.id)
  return refusal(
    '57014',
    `jitgate stopped waiting for approval ${pending.length === 1 ? 'request' : 'requests'} ${pending.join(', ')}: the statement was cancelled`,
    'The request is still open.',
    'Run the same statement again once it is approved.',
  )
}

/** Approved, yet the policy asks again (it changed meanwhile, or the grant does not fit). */
export function stillNeedsApproval(decision: Decision, position: Position): Refusal {
  return refusal(
    '42501',
    `jitgate: rule ${ruleOf(decision)?.name} still asks for approval of this statement`,
    where(
      position,
      'The policy or the statement’s tables changed since the approval, or its grant does not cover them.',
    ),
    'Run the statement again to ask for approval again.',
  )
}
