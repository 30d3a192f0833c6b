// The Slack message of an approval request, as Block Kit: what is asked and why, how many
// approvals it still needs, when it expires, and while it is pending Approve / Reject buttons
// carrying the request id (the interaction endpoint acts on them). Text people typed is
// escaped, so a reason cannot mention @channel or forge a link.
import type { MessageKind } from './delivery.ts'
import type { RequestSummary } from './request-summary.ts'

export const APPROVE_ACTION = 'jitgate_approve'
export const REJECT_ACTION = 'jitgate_reject'
export const OPEN_ACTION = 'jitgate_open'

export type SlackBlock = Readonly<Record<string, unknown>>

export interface SlackMessage {
  /** The notification text, and what clients without blocks show. */
  readonly text: string
  readonly blocks: readonly SlackBlock[]
}

/** `&`, `<` and `>` as Slack asks: nothing the user typed becomes a mention or a link. */
export function escapeMrkdwn(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;')
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`
}

/** Escaped, clipped, and safe inside `code`. */
function code(text: string, max = 300): string {
  return `\`${escapeMrkdwn(clip(text, max)).replaceAll('`', "'")}\``
}

function plain(text: string): SlackBlock {
  return { type: 'plain_text', text: clip(text, 150), emoji: true }
}

function heading(summary: RequestSummary, kind: MessageKind): string {
  const by = summary.decidedBy === undefined ? '' : ` by ${summary.decidedBy}`
  switch (summary.state) {
    case 'pending':
      return kind === 'escalated' ? ':rotating_light: Escalated: approval needed' : ':lock: Approval needed'
    case 'rejected':
      return `:x: Rejected${by}`
    case 'expired':
      return ':hourglass: Expired without a decision'
    case 'canceled':
      return `:no_entry_sign: Canceled${by}`
    default:
      return `:white_check_mark: Approved${summary.state === 'approved' ? by : ''}`
  }
}

function fields(summary: RequestSummary): SlackBlock[] {
  const unix = Math.floor(Date.parse(summary.expiresAt) / 1000)
  const list: [string, string][] = [
    ['Requester', code(summary.requester, 100)],
    ['Action', code(summary.verb, 100)],
    ['Resource', code(summary.resource)],
  ]
  if (summary.purpose !== undefined) list.push(['Purpose', escapeMrkdwn(clip(summary.purpose, 300))])
  if (summary.reason !== undefined) list.push(['Reason', escapeMrkdwn(clip(summary.reason, 500))])
  if (summary.state === 'pending') {
    const steps = summary.steps.map((s) => escapeMrkdwn(s.name)).join(', ')
    list.push(['Approvals needed', `${summary.missing}${steps === '' ? '' : ` (${steps})`}`])
    list.push(['Expires', `<!date^${unix}^{date_short_pretty} {time}|${summary.expiresAt}>`])
  }
  return list.map(([name, value]) => ({ type: 'mrkdwn', text: `*${name}*\n${value}` }))
}

function buttons(summary: RequestSummary, link: string): SlackBlock {
  const confirm = (verb: string) => ({
    title: plain(`${verb} this request?`),
    text: { type: 'mrkdwn', text: `${verb} ${code(summary.verb, 100)} on ${code(summary.resource)}?` },
    confirm: plain(verb),
    deny: plain('Cancel'),
  })
  const approve = {
    type: 'button',
    action_id: APPROVE_ACTION,
    text: plain('Approve'),
    style: 'primary',
    value: summary.id,
    confirm: confirm('Approve'),
  }
  const reject = {
    type: 'button',
    action_id: REJECT_ACTION,
    text: plain('Reject'),
    style: 'danger',
    value: summary.id,
    confirm: confirm('Reject'),
  }
  const open = { type: 'button', action_id: OPEN_ACTION, text: plain('Open in jitgate'), url: link }
  // Step-up needs a TOTP code, which a button cannot carry: approving happens in jitgate.
  const elements = summary.stepUp ? [reject, open] : [approve, reject, open]
  return { type: 'actions', block_id: 'jitgate_decision', elements }
}

/** The message for `summary` (rendered when sent, so a late message shows the current state). */
export function slackRequestMessage(
  summary: RequestSummary,
  kind: MessageKind,
  publicUrl: string,
): SlackMessage {
  const link = `${publicUrl}/requests/${encodeURIComponent(summary.id)}`
  const title = heading(summary, kind)
  const blocks: SlackBlock[] = [
    { type: 'header', text: plain(title) },
    { type: 'section', fields: fields(summary) },
  ]
  if (summary.state === 'pending') blocks.push(buttons(summary, link))
  const notes = [`Request <${link}|${escapeMrkdwn(summary.id)}>`]
  if (summary.state === 'pending' && summary.stepUp)
    notes.push('approving needs a TOTP code: approve in jitgate')
  blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: notes.join(' · ') }] })
  const text = `${title}: ${escapeMrkdwn(summary.requester)} asks for ${escapeMrkdwn(clip(summary.verb, 100))} on ${escapeMrkdwn(clip(summary.resource, 300))}`
  return { text, blocks }
}
