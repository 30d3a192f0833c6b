// How `jitgate request`, `approve`, `reject` and `grant` show requests and grants to a person:
// one line for an outcome, a table for a listing, the whole view for `request show`. Scripts
// use --json, which prints the API's views unchanged; nothing here is parsed back.
import type { GrantView, RequestView } from '../approvals/index.ts'
import type { Terminal } from './terminal.ts'

type State = RequestView['state']

const STATE_STYLES: Readonly<Record<State, 'green' | 'red' | 'yellow' | 'cyan' | 'dim'>> = {
  pending: 'yellow',
  approved: 'green',
  executing: 'cyan',
  executed: 'green',
  rejected: 'red',
  expired: 'dim',
  canceled: 'dim',
  failed: 'red',
}

export function stateLabel(term: Terminal, state: State): string {
  return term.style(STATE_STYLES[state], state)
}

/** Seconds and milliseconds do not help a person: `2026-03-02T10:00:00Z`. */
export function shortTime(iso: string | undefined): string {
  return iso === undefined ? '-' : iso.replace(/\.\d+Z$/, 'Z')
}

/** Columns padded to their widest cell; the last one is left ragged. */
export function printTable(term: Terminal, header: readonly string[], rows: readonly string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? '').length)))
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd()
  term.out(term.style('bold', line(header)))
  for (const row of rows) term.out(line(row))
}

function cut(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`
}

/** Who can still approve, a line per step that needs someone; empty once approvals are closed. */
export function approverLines(view: RequestView): string[] {
  if (!view.approvers.open) return []
  const lines = view.approvers.steps
    .filter((step) => step.missing > 0)
    .map((step) => {
      const known = step.knownUsers.length === 0 ? '' : ` (${step.knownUsers.join(', ')})`
      return `${step.name}: ${step.missing} more from ${step.principals.join(', ')}${known}`
    })
  if (view.approvers.escalation?.due === true)
    lines.push(`escalated to ${view.approvers.escalation.to.join(', ')}`)
  return lines
}

function voters(view: RequestView, verdict: 'approve' | 'reject'): string[] {
  return view.votes.filter((v) => v.verdict === verdict).map((v) => v.approverId)
}

function grantLine(grant: NonNullable<RequestView['grant']>): string {
  const mode = grant.mode === 'single_use' ? 'single use' : 'window'
  return `${grant.id} (${mode}, ${grant.status}) from ${shortTime(grant.startsAt)} until ${shortTime(grant.expiresAt)}`
}

function executionLine(execution: NonNullable<RequestView['execution']>): string {
  const result = execution.resultStatus === undefined ? '' : `, result ${execution.resultStatus}`
  const error = execution.error === undefined ? '' : `: ${execution.error}`
  return `${execution.state}${result}${error}`
}

/** Where a request stands, for a person: one line, then what follows from it, indented. */
export function printOutcome(term: Terminal, view: RequestView): void {
  const head = `${view.id} ${stateLabel(term, view.state)}`
  const more: string[] = []
  switch (view.state) {
    case 'pending':
      term.out(
        `${head}: needs ${plural(view.approvers.missing, 'more approval')} before ${shortTime(view.expiresAt)}`,
      )
      more.push(...approverLines(view).map((l) => `waiting for ${l}`))
      break
    case 'approved':
    case 'executing':
    case 'executed':
    case 'failed': {
      const by = voters(view, 'approve')
      const how = view.autoApproved ? ' automatically' : by.length === 0 ? '' : ` by ${by.join(', ')}`
      term.out(`${head}${view.state === 'approved' ? how : ''}`)
      if (view.grant !== undefined) more.push(`grant ${grantLine(view.grant)}`)
      if (view.execution !== undefined) more.push(`execution ${executionLine(view.execution)}`)
      break
    }
    case 'rejected': {
      const vote = view.votes.find((v) => v.verdict === 'reject')
      term.out(`${head}${vote === undefined ? '' : ` by ${vote.approverId}: ${vote.reason ?? ''}`}`)
      break
    }
    case 'expired':
      term.out(`${head} at ${shortTime(view.expiresAt)} without enough approvals`)
      break
    case 'canceled':
      term.out(head)
      break
  }
  for (const line of more) term.out(`  ${line}`)
}

export function printRequestTable(term: Terminal, items: readonly RequestView[]): void {
  printTable(
    term,
    ['ID', 'STATE', 'REQUESTER', 'ACTION', 'RESOURCE', 'CREATED', 'EXPIRES'],
    items.map((r) => [
      r.id,
      r.state,
      r.requester.id,
      r.action.action,
      cut(r.action.resource, 48),
      shortTime(r.createdAt),
      shortTime(r.expiresAt),
    ]),
  )
}

export function printGrantTable(term: Terminal, items: readonly GrantView[]): void {
  printTable(
    term,
    ['ID', 'STATUS', 'ACTOR', 'ACTION', 'RESOURCE', 'MODE', 'STARTS', 'EXPIRES', 'REQUEST'],
    items.map((g) => [
      g.id,
      g.status,
      g.actorId,
      g.verb,
      cut(g.resource, 48),
      g.mode,
      shortTime(g.startsAt),
      shortTime(g.expiresAt),
      g.requestId,
    ]),
  )
}

/** Everything `request show` knows: the request, its steps and approvers, history, outcome. */
export function printRequest(term: Terminal, view: RequestView): void {
  const dim = (text: string) => term.style('dim', text)
  const field = (name: string, value: string) => term.out(`  ${dim(name.padEnd(10))} ${value}`)
  term.out(`${term.style('bold', `request ${view.id}`)}  ${stateLabel(term, view.state)}`)
  const groups = view.requester.groups.length === 0 ? '' : ` (${view.requester.groups.join(', ')})`
  field('requester', `${view.requester.id}${groups}`)
  field('action', `${view.action.action} ${view.action.resource}`)
  if (view.action.purpose !== undefined) field('purpose', view.action.purpose)
  if (view.reason !== undefined) field('reason', view.reason)
  if (view.action.context !== undefined) field('context', JSON.stringify(view.action.context))
  field('created', shortTime(view.createdAt))
  field('expires', shortTime(view.expiresAt))
  if (view.decidedAt !== undefined) field('decided', shortTime(view.decidedAt))
  field('policy', `${view.policyVersion}${view.autoApproved ? ' (approved automatically)' : ''}`)
  const asked = view.grantRequest
  if (asked.startAt !== undefined || asked.durationSeconds !== undefined)
    field(
      'grant ask',
      [
        asked.startAt === undefined ? '' : `from ${shortTime(asked.startAt)}`,
        asked.durationSeconds === undefined ? '' : `for ${asked.durationSeconds}s`,
      ]
        .filter((s) => s !== '')
        .join(' '),
    )

  const nameWidth = Math.max(0, ...view.steps.map((s) => s.name.length))
  section(term, 'steps', view.steps, (s) => {
    const who = s.approvedBy.length === 0 ? '' : `  approved by ${s.approvedBy.join(', ')}`
    return `${s.name.padEnd(nameWidth)}  ${s.approvedBy.length}/${s.quorum}${who}`
  })
  const open = approverLines(view)
  if (open.length > 0) {
    const excluded = view.approvers.excluded
    section(term, 'who can still approve', [
      ...open,
      ...(excluded.length === 0 ? [] : [dim(`not: ${excluded.join(', ')}`)]),
    ])
  }
  section(term, 'votes', view.votes, (v) => {
    const reason = v.reason === undefined ? '' : `: ${v.reason}`
    return `${shortTime(v.at)}  ${v.approverId} ${v.verdict}s${v.stepUp ? ' (step-up)' : ''}${reason}`
  })
  section(term, 'history', view.history, (h) => {
    const from = h.from === null ? '' : `${h.from} → `
    return `${shortTime(h.at)}  ${h.event.padEnd(8)} ${(h.by ?? 'jitgate').padEnd(12)} ${from}${h.to}`
  })
  section(term, 'comments', view.comments, (c) => `${shortTime(c.at)}  ${c.by}: ${c.text}`)
  if (view.grant !== undefined) section(term, 'grant', [grantLine(view.grant)])
  if (view.execution !== undefined) section(term, 'execution', [executionLine(view.execution)])
}

function section<T>(term: Terminal, title: string, items: readonly T[], line?: (item: T) => string): void {
  if (items.length === 0) return
  term.out(term.style('bold', title))
  for (const item of items) term.out(`  ${line === undefined ? String(item) : line(item)}`)
}
