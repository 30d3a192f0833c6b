// The twenty rules every team owns: who may read, write and export its data in
// each environment, what needs a lead's or the privacy office's approval, and
// what is never allowed. Rendered to both engines like every other rule.
import type { Cond } from './conditions.ts'
import { approvers, type BenchRule, reads, writes } from './rule-types.ts'
import { type Team, teamGroup, VPN_CIDR } from './world.ts'

export function teamDenies(t: Team): BenchRule[] {
  const s = t.schema
  const team: Cond = { k: 'group', name: teamGroup(t) }
  return [
    {
      name: `${t.name}.prod-audit-immutable`,
      effect: 'deny',
      verbs: ['db.query'],
      resources: [`pg://prod/${s}.audit_log`],
      when: [writes],
      message: 'the audit log is append-only',
    },
    {
      name: `${t.name}.prod-network`,
      effect: 'deny',
      verbs: ['db.*'],
      resources: [`pg://prod/${s}.*`],
      when: [{ k: 'outsideCidrs', cidrs: [t.cidr, VPN_CIDR] }],
      message: 'connect through the VPN',
    },
    {
      name: `${t.name}.pii-needs-purpose`,
      effect: 'deny',
      verbs: ['db.query'],
      resources: [`pg://prod/${s}.customers`],
      when: [
        { k: 'purpose', oneOf: [''] },
        { ...team, negate: true },
      ],
      message: 'say why you read customer data',
    },
    {
      name: `${t.name}.export-office-hours`,
      effect: 'deny',
      verbs: ['data.export'],
      resources: [`svc://${t.name}/**`],
      when: [{ k: 'outsideHours', from: 6, to: 22 }],
    },
    {
      name: `${t.name}.dsar-legal-hold`,
      effect: 'deny',
      verbs: ['dsar.erase'],
      resources: [`subject://${t.name}/*`],
      when: [{ k: 'flag', name: 'legal_hold' }],
      message: 'the subject is under legal hold',
    },
  ]
}

export function teamApprovals(t: Team): BenchRule[] {
  const s = t.schema
  const team: Cond = { k: 'group', name: teamGroup(t) }
  const leads = `${t.name}-leads`
  return [
    {
      name: `${t.name}.prod-write`,
      effect: 'require_approval',
      verbs: ['db.query'],
      resources: [`pg://prod/${s}.*`],
      when: [writes, team],
      approval: {
        ...approvers(leads),
        auto_approve: `context.statement.tables.all(t, t.startsWith("${s}.tmp_"))`,
      },
    },
    {
      name: `${t.name}.prod-bulk-read`,
      effect: 'require_approval',
      verbs: ['db.query'],
      resources: [`pg://prod/${s}.*`],
      when: [reads, { k: 'rowsOver', n: 50000 }],
      approval: { ...approvers('dba'), grant: { mode: 'window', max: '1h' } },
    },
    {
      name: `${t.name}.staging-ddl`,
      effect: 'require_approval',
      verbs: ['db.query'],
      resources: [`pg://staging/${s}.*`],
      when: [
        { k: 'stmtKind', kind: 'ddl' },
        { ...team, negate: true },
      ],
      approval: approvers(leads),
    },
    {
      name: `${t.name}.svc-pii-export`,
      effect: 'require_approval',
      verbs: ['data.export'],
      resources: [`svc://${t.name}/pii/*`],
      when: [],
      approval: { ...approvers('privacy-office', leads), reason_required: true },
    },
    {
      name: `${t.name}.dsar-erase`,
      effect: 'require_approval',
      verbs: ['dsar.erase'],
      resources: [`subject://${t.name}/*`],
      when: [{ k: 'role', name: 'privacy' }],
      approval: approvers('privacy-office'),
    },
  ]
}

export function teamAllows(t: Team): BenchRule[] {
  const s = t.schema
  const team: Cond = { k: 'group', name: teamGroup(t) }
  const second = t.tables[2] ?? 'orders'
  return [
    {
      name: `${t.name}.prod-read`,
      effect: 'allow',
      verbs: ['db.query'],
      resources: [`pg://prod/${s}.*`],
      when: [reads, team],
      obligations: { mask: { profile: 'standard' }, row_limit: 5000 },
    },
    {
      name: `${t.name}.prod-read-support`,
      effect: 'allow',
      verbs: ['db.query'],
      resources: [`pg://prod/${s}.customers`, `pg://prod/${s}.${second}`],
      when: [reads, { k: 'purpose', oneOf: ['support'] }, { k: 'group', name: 'support' }],
      obligations: { mask: { profile: 'support' }, row_limit: 100 },
    },
    {
      name: `${t.name}.prod-read-analytics`,
      effect: 'allow',
      verbs: ['db.query'],
      resources: [`pg://prod/${s}.{orders,events,invoices,payments}`],
      when: [
        reads,
        { k: 'purpose', oneOf: ['analytics'] },
        { k: 'group', name: 'analysts' },
        { k: 'clearanceAtLeast', n: 2 },
      ],
      obligations: { mask: { profile: 'analytics' } },
    },
    {
      name: `${t.name}.prod-read-incident`,
      effect: 'allow',
      verbs: ['db.query'],
      resources: [`pg://prod/${s}.*`],
      when: [
        reads,
        { k: 'purpose', oneOf: ['debugging'] },
        { k: 'group', name: 'engineering' },
        { k: 'hasContext', name: 'incident' },
      ],
      obligations: { mask: { profile: 'support' }, row_limit: 500, rate_limit: { max: 100, per: '1h' } },
    },
    {
      name: `${t.name}.staging-access`,
      effect: 'allow',
      verbs: ['db.query'],
      resources: [`pg://staging/${s}.*`],
      when: [{ k: 'anyOf', conds: [team, { k: 'group', name: 'engineering' }] }],
    },
    {
      name: `${t.name}.dev-access`,
      effect: 'allow',
      verbs: ['db.*'],
      resources: [`pg://dev/${s}.**`],
      when: [{ k: 'group', name: 'engineering' }],
    },
    {
      name: `${t.name}.svc-read`,
      effect: 'allow',
      verbs: ['data.read'],
      resources: [`svc://${t.name}/**`],
      when: [team],
      obligations: { mask: { profile: 'standard' } },
    },
    {
      name: `${t.name}.svc-read-purpose`,
      effect: 'allow',
      verbs: ['data.read'],
      resources: [`svc://${t.name}/{profile,orders}`],
      when: [
        { k: 'purpose', oneOf: ['support', 'fraud'] },
        { k: 'department', oneOf: ['support', 'risk'] },
      ],
      obligations: { mask: { profile: 'support' } },
    },
    {
      name: `${t.name}.svc-batch`,
      effect: 'allow',
      verbs: ['data.*'],
      resources: [`svc://${t.name}/**`],
      when: [{ k: 'actorIs', id: `svc-${t.name}` }],
      obligations: { rate_limit: { max: 1000, per: '1m', scope: 'actor' } },
    },
    {
      name: `${t.name}.dsar-export`,
      effect: 'allow',
      verbs: ['dsar.export'],
      resources: [`subject://${t.name}/*`],
      when: [
        { k: 'role', name: 'privacy' },
        { k: 'purpose', oneOf: ['dsar'] },
      ],
      obligations: { reason_required: true },
    },
  ]
}
