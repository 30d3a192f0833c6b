// Renders decisions as a table for people: one row per action.
import type { Decision } from '../policy/index.ts'
import type { Terminal } from './terminal.ts'

export interface DecisionRow {
  readonly label: string
  readonly decision: Decision
}

const EFFECT_STYLE = {
  allow: 'green',
  deny: 'red',
  require_approval: 'yellow',
  require_consent: 'cyan',
} as const

/** A short summary of the obligations: what must happen if the action goes ahead. */
export function obligationSummary(decision: Decision): string {
  const o = decision.obligations
  const parts: string[] = []
  if (o.approval !== undefined) {
    const steps = o.approval.steps.map((s) => `${s.quorum}× ${s.anyOf.join('|')}`).join(' + ')
    parts.push(o.approval.autoApprove ? `auto-approved (${steps})` : `approvers: ${steps}`)
    parts.push(
      o.approval.grant.mode === 'window' ? `grant ≤ ${o.approval.grant.maxSeconds / 60}m` : 'single use',
    )
  }
  for (const c of o.consent ?? []) parts.push(`consent of ${c.subject} for ${c.purpose}`)
  if (o.mask !== undefined)
    parts.push(`mask ${Object.keys(o.mask).filter((k) => o.mask?.[k]?.transform !== 'keep').length} fields`)
  if (o.rowLimit !== undefined) parts.push(`≤ ${o.rowLimit} rows`)
  for (const r of o.rateLimits ?? []) parts.push(`≤ ${r.max}/${r.perSeconds}s per ${r.scope}`)
  for (const c of o.concurrencyLimits ?? []) parts.push(`≤ ${c.max} at once`)
  if (o.stepUp) parts.push('step-up')
  if (o.reasonRequired) parts.push('reason required')
  return parts.join(', ')
}

export function printDecisionTable(term: Terminal, rows: readonly DecisionRow[]): void {
  const table = rows.map((r) => [
    r.label,
    r.decision.effect,
    r.decision.rules.map((x) => x.name).join(', ') || '—',
    obligationSummary(r.decision) || r.decision.reason.message,
  ])
  const header = ['action', 'effect', 'rules', 'obligations / reason']
  const widths = header.map((h, i) =>
    Math.min(48, Math.max(h.length, ...table.map((row) => (row[i] ?? '').length))),
  )
  const last = header.length - 1
  const cell = (text: string, i: number): string => {
    // The last column is not cut: it says why, and a terminal wraps it.
    if (i === last) return text
    const w = widths[i] ?? 10
    return text.length > w ? `${text.slice(0, w - 1)}…` : text.padEnd(w)
  }
  term.out(term.style('bold', header.map(cell).join('  ')))
  for (const [i, row] of table.entries()) {
    const effect = rows[i]?.decision.effect ?? 'deny'
    term.out(
      row
        .map((text, j) => (j === 1 ? term.style(EFFECT_STYLE[effect], cell(text, j)) : cell(text, j)))
        .join('  '),
    )
  }
}
