// Audit drafts of the mix jitgate will write most: decisions on SQL statements, with some
// approvals, grants and executions, each with a few details of the size real ones have.
// Subjects are what jitgate names them: a decision's or request's UUIDv7, so recent ids sort
// last, and the events of a request come while it is recent (created, voted on, executed).
import type { AuditDraft } from '../../src/audit/index.ts'
import { Prng } from '../policy/prng.ts'

const RESOURCES = ['pg://prod/public.users', 'pg://prod/billing.invoices', 'pg://staging/public.orders']
const EFFECTS = ['allow', 'deny', 'require_approval'] as const

/** `n` drafts from a seeded generator, so every run writes the same events. */
export function makeDrafts(n: number, seed: number): AuditDraft[] {
  const prng = new Prng(seed)
  const start = Date.parse('2026-11-23T09:00:00Z')
  // About a thousand events a second: ids a millisecond apart, as a busy node makes them.
  const idAt = (i: number): string => v7(start + i, prng)
  const recent: string[] = []
  const request = (i: number): string => {
    if (recent.length === 0 || prng.chance(0.25)) {
      recent.push(idAt(i))
      if (recent.length > 500) recent.shift()
      return recent[recent.length - 1] as string
    }
    return recent[prng.int(recent.length)] as string
  }
  return Array.from({ length: n }, (_, i): AuditDraft => {
    const user = `user-${prng.int(500)}`
    if (prng.chance(0.85)) {
      return {
        actor: { type: 'user', id: user },
        type: 'decision.made',
        subject: { type: 'decision', id: idAt(i) },
        details: {
          verb: 'db.query',
          resource: prng.pick(RESOURCES),
          effect: prng.pick(EFFECTS),
          rules: [`rule-${prng.int(1000)}`],
          masked: ['email', 'phone'].slice(0, prng.int(3)),
          rows: prng.int(10_000),
        },
        policyVersion: 'b3f1c2d4e5a6',
      }
    }
    return {
      actor: { type: prng.chance(0.5) ? 'user' : 'system', id: user },
      type: prng.pick(['request.approved', 'grant.created', 'execution.finished'] as const),
      subject: { type: 'request', id: request(i) },
      details: { step: 'peer', quorum: 2, grant: { mode: 'window', seconds: 900 } },
    }
  })
}

/** A UUIDv7 for time `ms` with its random bits from `prng`. */
function v7(ms: number, prng: Prng): string {
  const hex = (digits: number): string =>
    Array.from({ length: digits }, () => prng.int(16).toString(16)).join('')
  const time = ms.toString(16).padStart(12, '0')
  const variant = (8 + prng.int(4)).toString(16)
  return `${time.slice(0, 8)}-${time.slice(8)}-7${hex(3)}-${variant}${hex(3)}-${hex(12)}`
}
