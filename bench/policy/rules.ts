// The policy set, written once as engine-neutral rules (globs + condition atoms)
// and rendered to jitgate YAML and to Cedar elsewhere. Twenty rules per team for
// ~50 teams plus a dozen company-wide ones: ~1,000 rules.
import type { Cond } from './conditions.ts'
import { type Team, teamGroup, VPN_CIDR, type World } from './world.ts'

export type BenchEffect = 'allow' | 'deny' | 'require_approval'

export interface BenchRule {
  readonly name: string
  readonly effect: BenchEffect
  /** Verb globs over `.`. */
  readonly verbs: readonly string[]
  /** Resource globs over `/`; absent: any resource. */
  readonly resources?: readonly string[]
  /** All must hold. */
  readonly when: readonly Cond[]
  readonly message?: string
  /** Passed to the YAML as written: Cedar has no obligations. */
  readonly obligations?: Readonly<Record<string, unknown>>
  readonly approval?: Readonly<Record<string, unknown>>
}

const reads: Cond = { k: 'writes', value: false }
const writes: Cond = { k: 'writes', value: true }
const approvers = (...groups: string[]) => ({ steps: groups.map((g) => ({ any_of: [`group:${g}`] })) })

function globalRules(): BenchRule[] {
  return [
    { name: 'global.suspended-actors', effect: 'deny', verbs: ['**'], when: [{ k: 'suspended' }], message: 'your account is suspended' },
    { name: 'global.no-prod-ddl', effect: 'deny', verbs: ['db.query'], resources: ['pg://prod/**'], when: [{ k: 'stmtKind', kind: 'ddl' }], message: 'DDL on production goes through migrations' },
    { name: 'global.prod-writes-office-hours', effect: 'deny', verbs: ['db.query'], resources: ['pg://prod/**'], when: [writes, { k: 'outsideHours', from: 7, to: 20 }] },
    { name: 'global.secrets-tables', effect: 'deny', verbs: ['db.query'], resources: ['pg://*/*.secrets_*'], when: [{ k: 'role', name: 'security', negate: true }] },
    { name: 'global.dsar-needs-purpose', effect: 'deny', verbs: ['dsar.*'], when: [{ k: 'purpose', oneOf: ['dsar'], negate: true }] },
    { name: 'global.dba-write', effect: 'require_approval', verbs: ['db.*'], resources: ['pg://**'], when: [{ k: 'memberOf', group: 'dba' }, writes], approval: { ...approvers('dba', 'security'), separation_of_duties: true } },
    { name: 'global.dba-read', effect: 'allow', verbs: ['db.query'], resources: ['pg://**'], when: [{ k: 'memberOf', group: 'dba' }, reads], obligations: { row_limit: 10000 } },
    { name: 'global.scratch', effect: 'allow', verbs: ['db.query'], resources: ['pg://*/scratch.*'], when: [{ k: 'group', name: 'engineering' }] },
    { name: 'global.public-datasets', effect: 'allow', verbs: ['data.read'], resources: ['svc://*/public/**'], when: [] },
    { name: 'global.break-glass', effect: 'allow', verbs: ['**'], when: [{ k: 'role', name: 'break-glass' }, { k: 'hasContext', name: 'incident' }], obligations: { step_up: true, reason_required: true, max_ttl: '1h' } },
    { name: 'global.auditors', effect: 'allow', verbs: ['db.query'], resources: ['pg://prod/**'], when: [reads, { k: 'role', name: 'auditor' }, { k: 'resourceGlob', pattern: 'pg://prod/*.audit_log' }], obligations: { mask: { profile: 'standard' } } },
    { name: 'global.privacy-review', effect: 'require_approval', verbs: ['data.export'], resources: ['svc://**'], when: [{ k: 'clearanceAtLeast', n: 4 }, { k: 'purpose', oneOf: ['analytics', 'marketing'] }], approval: approvers('privacy-office') },
  ]
}

function teamDenies(t: Team): BenchRule[] {
  const s = t.schema
  const team: Cond = { k: 'group', name: teamGroup(t) }
  return [
    { name: `${t.name}.prod-audit-immutable`, effect: 'deny', verbs: ['db.query'], resources: [`pg://prod/${s}.audit_log`], when: [writes], message: 'the audit log is append-only' },
    { name: `${t.name}.prod-network`, effect: 'deny', verbs: ['db.*'], resources: [`pg://prod/${s}.*`], when: [{ k: 'outsideCidrs', cidrs: [t.cidr, VPN_CIDR] }], message: 'connect through the VPN' },
    { name: `${t.name}.pii-needs-purpose`, effect: 'deny', verbs: ['db.query'], resources: [`pg://prod/${s}.customers`], when: [{ k: 'purpose', oneOf: [''] }, { ...team, negate: true }], message: 'say why you read customer data' },
    { name: `${t.name}.export-office-hours`, effect: 'deny', verbs: ['data.export'], resources: [`svc://${t.name}/**`], when: [{ k: 'outsideHours', from: 6, to: 22 }] },
    { name: `${t.name}.dsar-legal-hold`, effect: 'deny', verbs: ['dsar.erase'], resources: [`subject://${t.name}/*`], when: [{ k: 'flag', name: 'legal_hold' }], message: 'the subject is under legal hold' },
  ]
}

function teamApprovals(t: Team): BenchRule[] {
  const s = t.schema
  const team: Cond = { k: 'group', name: teamGroup(t) }
  const leads = `${t.name}-leads`
  return [
    { name: `${t.name}.prod-write`, effect: 'require_approval', verbs: ['db.query'], resources: [`pg://prod/${s}.*`], when: [writes, team], approval: { ...approvers(leads), auto_approve: `context.statement.tables.all(t, t.startsWith("${s}.tmp_"))` } },
    { name: `${t.name}.prod-bulk-read`, effect: 'require_approval', verbs: ['db.query'], resources: [`pg://prod/${s}.*`], when: [reads, { k: 'rowsOver', n: 50000 }], approval: { ...approvers('dba'), grant: { mode: 'window', max: '1h' } } },
    { name: `${t.name}.staging-ddl`, effect: 'require_approval', verbs: ['db.query'], resources: [`pg://staging/${s}.*`], when: [{ k: 'stmtKind', kind: 'ddl' }, { ...team, negate: true }], approval: approvers(leads) },
    { name: `${t.name}.svc-pii-export`, effect: 'require_approval', verbs: ['data.export'], resources: [`svc://${t.name}/pii/*`], when: [], approval: { ...approvers('privacy-office', leads), reason_required: true } },
    { name: `${t.name}.dsar-erase`, effect: 'require_approval', verbs: ['dsar.erase'], resources: [`subject://${t.name}/*`], when: [{ k: 'role', name: 'privacy' }], approval: approvers('privacy-office') },
  ]
}

function teamAllows(t: Team): BenchRule[] {
  const s = t.schema
  const team: Cond = { k: 'group', name: teamGroup(t) }
  const second = t.tables[2] ?? 'orders'
  return [
    { name: `${t.name}.prod-read`, effect: 'allow', verbs: ['db.query'], resources: [`pg://prod/${s}.*`], when: [reads, team], obligations: { mask: { profile: 'standard' }, row_limit: 5000 } },
    { name: `${t.name}.prod-read-support`, effect: 'allow', verbs: ['db.query'], resources: [`pg://prod/${s}.customers`, `pg://prod/${s}.${second}`], when: [reads, { k: 'purpose', oneOf: ['support'] }, { k: 'group', name: 'support' }], obligations: { mask: { profile: 'support' }, row_limit: 100 } },
    { name: `${t.name}.prod-read-analytics`, effect: 'allow', verbs: ['db.query'], resources: [`pg://prod/${s}.{orders,events,invoices,payments}`], when: [reads, { k: 'purpose', oneOf: ['analytics'] }, { k: 'group', name: 'analysts' }, { k: 'clearanceAtLeast', n: 2 }], obligations: { mask: { profile: 'analytics' } } },
    { name: `${t.name}.prod-read-incident`, effect: 'allow', verbs: ['db.query'], resources: [`pg://prod/${s}.*`], when: [reads, { k: 'purpose', oneOf: ['debugging'] }, { k: 'group', name: 'engineering' }, { k: 'hasContext', name: 'incident' }], obligations: { mask: { profile: 'support' }, row_limit: 500, rate_limit: { max: 100, per: '1h' } } },
    { name: `${t.name}.staging-access`, effect: 'allow', verbs: ['db.query'], resources: [`pg://staging/${s}.*`], when: [{ k: 'anyOf', conds: [team, { k: 'group', name: 'engineering' }] }] },
    { name: `${t.name}.dev-access`, effect: 'allow', verbs: ['db.*'], resources: [`pg://dev/${s}.**`], when: [{ k: 'group', name: 'engineering' }] },
    { name: `${t.name}.svc-read`, effect: 'allow', verbs: ['data.read'], resources: [`svc://${t.name}/**`], when: [team], obligations: { mask: { profile: 'standard' } } },
    { name: `${t.name}.svc-read-purpose`, effect: 'allow', verbs: ['data.read'], resources: [`svc://${t.name}/{profile,orders}`], when: [{ k: 'purpose', oneOf: ['support', 'fraud'] }, { k: 'department', oneOf: ['support', 'risk'] }], obligations: { mask: { profile: 'support' } } },
    { name: `${t.name}.svc-batch`, effect: 'allow', verbs: ['data.*'], resources: [`svc://${t.name}/**`], when: [{ k: 'actorIs', id: `svc-${t.name}` }], obligations: { rate_limit: { max: 1000, per: '1m', scope: 'actor' } } },
    { name: `${t.name}.dsar-export`, effect: 'allow', verbs: ['dsar.export'], resources: [`subject://${t.name}/*`], when: [{ k: 'role', name: 'privacy' }, { k: 'purpose', oneOf: ['dsar'] }], obligations: { reason_required: true } },
  ]
}

/** Denies first, then approvals, then allows: the order jitgate evaluates in anyway. */
export function makeRules(world: World): BenchRule[] {
  const rules = globalRules()
  for (const t of world.teams) rules.push(...teamDenies(t), ...teamApprovals(t), ...teamAllows(t))
  return rules
}
