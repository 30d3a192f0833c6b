// The emails jitgate sends, as plain text: to approvers (a request waits for you), to the
// escalation group, and to the requester (the outcome). Each links to the request page,
// which asks the reader to sign in: an email never carries a link that approves by itself,
// nor a token of any kind.
import type { MessageKind } from './delivery.ts'
import type { RequestSummary } from './request-summary.ts'

export interface EmailMessage {
  readonly subject: string
  readonly text: string
}

function clip(text: string, max: number): string {
  const line = text.replace(/[\r\n]+/g, ' ')
  return line.length <= max ? line : `${line.slice(0, max - 1)}…`
}

function outcomeWord(state: RequestSummary['state']): string {
  if (state === 'rejected' || state === 'expired' || state === 'canceled') return state
  return 'approved'
}

function details(summary: RequestSummary): string[] {
  const lines: string[] = []
  if (summary.purpose !== undefined) lines.push(`Purpose: ${clip(summary.purpose, 300)}`)
  if (summary.reason !== undefined) lines.push(`Reason: ${clip(summary.reason, 1000)}`)
  if (summary.state === 'pending') {
    const steps = summary.steps.map((s) => s.name).join(', ')
    lines.push(`Approvals still needed: ${summary.missing}${steps === '' ? '' : ` (${steps})`}`)
    lines.push(`Expires: ${summary.expiresAt}`)
  }
  return lines
}

/** The message for `kind` about `summary`; `publicUrl` without a trailing slash. */
export function emailFor(
  kind: Exclude<MessageKind, 'event'>,
  summary: RequestSummary,
  publicUrl: string,
): EmailMessage {
  const link = `${publicUrl}/requests/${encodeURIComponent(summary.id)}`
  const what = `${clip(summary.verb, 100)} on ${clip(summary.resource, 300)}`
  const signIn = (what: string) => ['', `${what} in jitgate (you will be asked to sign in):`, link]
  if (kind === 'outcome') {
    const word = outcomeWord(summary.state)
    const by = summary.decidedBy === undefined || word === 'expired' ? '' : ` by ${summary.decidedBy}`
    const lines = [`Your request to run ${what} was ${word}${by}.`]
    if (summary.rejectionReason !== undefined)
      lines.push('', `Reason given: ${clip(summary.rejectionReason, 1000)}`)
    return {
      subject: clip(`Your request was ${word}: ${what}`, 150),
      text: [...lines, ...signIn('Details'), ''].join('\n'),
    }
  }
  const escalated = kind === 'escalated'
  const intro = escalated
    ? `${summary.requester}'s request to run ${what} waited past its escalation time; the policy names you to decide it.`
    : `${summary.requester} asks for approval to run ${what}.`
  const footer = escalated
    ? 'You receive this because a jitgate policy names you for escalations.'
    : 'You receive this because a jitgate policy names you as an approver.'
  return {
    subject: clip(`${escalated ? 'Escalated: approval' : 'Approval'} needed: ${what}`, 150),
    text: [intro, '', ...details(summary), ...signIn('Review it'), '', footer, ''].join('\n'),
  }
}
