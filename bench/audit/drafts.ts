// Audit drafts of the mix jitgate will write most: decisions on SQL statements, with some
// approvals, grants and executions, each with a few details of the size real ones have.
import type { AuditDraft } from '../../src/audit/index.ts'
import { Prng } from '../policy/prng.ts'

const RESOURCES = ['pg://prod/public.users', 'pg://prod/billing.invoices', 'pg://staging/public.orders']
const EFFECTS = ['allow', 'deny', 'require_approval'] as const

/** `n` drafts from a seeded generator, so every run writes the same events. */
export function makeDrafts(n: number, seed: number): AuditDraft[] {
  const prng = new Prng(seed)
  return Array.from({ length: n }, (_, i): AuditDraft => {
    const user = `user-${prng.int(500)}`
    if (prng.chance(0.85)) {
      return {
        actor: { type: 'user', id: user },
        type: 'decision.made',
        subject: { type: 'action', id: `act-${i}` },
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
      subject: { type: 'request', id: `req-${prng.int(100_000)}` },
      details: { step: 'peer', quorum: 2, grant: { mode: 'window', seconds: 900 } },
    }
  })
}
