// The policy set, written once as engine-neutral rules (globs + condition atoms)
// and rendered to jitgate YAML and to Cedar elsewhere. Twenty rules per team for
// ~50 teams plus a dozen company-wide ones: ~1,000 rules.
import { approvers, type BenchRule, reads, writes } from './rule-types.ts'
import { teamAllows, teamApprovals, teamDenies } from './team-rules.ts'
import type { World } from './world.ts'

function globalRules(): BenchRule[] {
  return [
    {
      name: 'global.suspended-actors',
      effect: 'deny',
      verbs: ['**'],
      when: [{ k: 'suspended' }],
      message: 'your account is suspended',
    },
    {
      name: 'global.no-prod-ddl',
      effect: 'deny',
      verbs: ['db.query'],
      resources: ['pg://prod/**'],
      when: [{ k: 'stmtKind', kind: 'ddl' }],
      message: 'DDL on production goes through migrations',
    },
    {
      name: 'global.prod-writes-office-hours',
      effect: 'deny',
      verbs: ['db.query'],
      resources: ['pg://prod/**'],
      when: [writes, { k: 'outsideHours', from: 7, to: 20 }],
    },
    {
      name: 'global.secrets-tables',
      effect: 'deny',
      verbs: ['db.query'],
      resources: ['pg://*/*.secrets_*'],
      when: [{ k: 'role', name: 'security', negate: true }],
    },
    {
      name: 'global.dsar-needs-purpose',
      effect: 'deny',
      verbs: ['dsar.*'],
      when: [{ k: 'purpose', oneOf: ['dsar'], negate: true }],
    },
    {
      name: 'global.dba-write',
      effect: 'require_approval',
      verbs: ['db.*'],
      resources: ['pg://**'],
      when: [{ k: 'memberOf', group: 'dba' }, writes],
      approval: { ...approvers('dba', 'security'), separation_of_duties: true },
    },
    {
      name: 'global.dba-read',
      effect: 'allow',
      verbs: ['db.query'],
      resources: ['pg://**'],
      when: [{ k: 'memberOf', group: 'dba' }, reads],
      obligations: { row_limit: 10000 },
    },
    {
      name: 'global.scratch',
      effect: 'allow',
      verbs: ['db.query'],
      resources: ['pg://*/scratch.*'],
      when: [{ k: 'group', name: 'engineering' }],
    },
    {
      name: 'global.public-datasets',
      effect: 'allow',
      verbs: ['data.read'],
      resources: ['svc://*/public/**'],
      when: [],
    },
    {
      name: 'global.break-glass',
      effect: 'allow',
      verbs: ['**'],
      when: [
        { k: 'role', name: 'break-glass' },
        { k: 'hasContext', name: 'incident' },
      ],
      obligations: { step_up: true, reason_required: true, max_ttl: '1h' },
    },
    {
      name: 'global.auditors',
      effect: 'allow',
      verbs: ['db.query'],
      resources: ['pg://prod/**'],
      when: [reads, { k: 'role', name: 'auditor' }, { k: 'resourceGlob', pattern: 'pg://prod/*.audit_log' }],
      obligations: { mask: { profile: 'standard' } },
    },
    {
      name: 'global.privacy-review',
      effect: 'require_approval',
      verbs: ['data.export'],
      resources: ['svc://**'],
      when: [
        { k: 'clearanceAtLeast', n: 4 },
        { k: 'purpose', oneOf: ['analytics', 'marketing'] },
      ],
      approval: approvers('privacy-office'),
    },
  ]
}

/** Denies first, then approvals, then allows: the order jitgate evaluates in anyway. */
export function makeRules(world: World): BenchRule[] {
  const rules = globalRules()
  for (const t of world.teams) rules.push(...teamDenies(t), ...teamApprovals(t), ...teamAllows(t))
  return rules
}
