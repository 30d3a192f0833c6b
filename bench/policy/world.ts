// The imaginary company both engines are asked about: ~50 teams, each owning a
// Postgres schema (in prod, staging and dev), a few service datasets and the
// DSAR subjects of its product, plus ~2,000 employees and one service account
// per team. Policies and inputs are both generated from this one model.
import type { Prng } from './prng.ts'

export const ENVS = ['prod', 'staging', 'dev'] as const
export type Env = (typeof ENVS)[number]

/** The verbs the world knows; Cedar needs globs such as `db.*` spelled out as these. */
export const KNOWN_VERBS = ['db.query', 'data.read', 'data.export', 'dsar.export', 'dsar.erase'] as const

/** Everyone reaches prod through the VPN or from their own team's network. */
export const VPN_CIDR = '10.200.0.0/16'

const TEAM_NAMES = [
  'payments',
  'billing',
  'orders',
  'checkout',
  'catalog',
  'search',
  'recommend',
  'inventory',
  'shipping',
  'returns',
  'identity',
  'accounts',
  'auth',
  'notify',
  'messaging',
  'helpdesk',
  'crm',
  'marketing',
  'ads',
  'analytics',
  'reporting',
  'finance',
  'payroll',
  'hr',
  'recruiting',
  'legal',
  'compliance',
  'fraud',
  'risk',
  'loyalty',
  'pricing',
  'promotions',
  'reviews',
  'content',
  'media',
  'maps',
  'logistics',
  'warehouse',
  'procurement',
  'vendors',
  'partners',
  'subscriptions',
  'invoicing',
  'tax',
  'ledger',
  'treasury',
  'insights',
  'growth',
  'onboarding',
  'sessions',
] as const

const EXTRA_TABLES = [
  'orders',
  'events',
  'sessions',
  'invoices',
  'addresses',
  'payments',
  'settings',
  'tickets',
  'messages',
  'secrets_keys',
]
const DATASETS = [
  'profile',
  'orders',
  'events',
  'metrics',
  'public/stats',
  'public/catalog',
  'pii/contacts',
  'pii/documents',
]
export const DEPARTMENTS = ['engineering', 'support', 'risk', 'finance', 'marketing', 'data'] as const

export interface Team {
  readonly name: string
  readonly index: number
  /** Its Postgres schema; every table is `schema.table`. */
  readonly schema: string
  /** `customers` (personal data) and `audit_log` first, then a few others. */
  readonly tables: readonly string[]
  /** Paths under `svc://<team>/`. */
  readonly datasets: readonly string[]
  readonly cidr: string
}

export interface User {
  readonly id: string
  readonly home: Team
  readonly groups: readonly string[]
  readonly roles: readonly string[]
  readonly department: string
  readonly clearance: number
  readonly suspended: boolean
  readonly isService: boolean
}

/** A named policy group: its users and identity-provider groups (for member_of and approvers). */
export interface PolicyGroup {
  readonly users: readonly string[]
  readonly idpGroups: readonly string[]
}

export interface World {
  readonly teams: readonly Team[]
  readonly users: readonly User[]
  /** One service account per team (also in `users`). */
  readonly services: readonly User[]
  readonly groups: ReadonlyMap<string, PolicyGroup>
}

export const teamGroup = (team: Team): string => `team-${team.name}`

function makeTeam(name: string, index: number, rng: Prng): Team {
  return {
    name,
    index,
    schema: name,
    tables: ['customers', 'audit_log', ...rng.sample(EXTRA_TABLES, rng.between(2, 5))],
    datasets: ['profile', 'orders', ...rng.sample(DATASETS.slice(2), rng.between(2, 4))],
    cidr: `10.${index + 1}.0.0/16`,
  }
}

function makeUser(n: number, teams: readonly Team[], rng: Prng): User {
  const home = rng.pick(teams)
  const groups = [teamGroup(home)]
  const maybe = (p: number, group: string) => {
    if (rng.chance(p)) groups.push(group)
  }
  maybe(0.5, 'engineering')
  maybe(0.12, 'support')
  maybe(0.1, 'analysts')
  maybe(0.02, 'db-admins')
  maybe(0.03, `team-${home.name}-leads`)
  if (rng.chance(0.1)) groups.push(teamGroup(rng.pick(teams)))
  const roles: string[] = []
  if (rng.chance(0.04)) roles.push('privacy')
  if (rng.chance(0.02)) roles.push('security')
  if (rng.chance(0.03)) roles.push('auditor')
  if (rng.chance(0.01)) roles.push('break-glass')
  return {
    id: `u${String(n).padStart(4, '0')}`,
    home,
    groups,
    roles,
    department: rng.pick(DEPARTMENTS),
    clearance: rng.between(1, 4),
    suspended: rng.chance(0.01),
    isService: false,
  }
}

function serviceAccount(team: Team): User {
  return {
    id: `svc-${team.name}`,
    home: team,
    groups: ['services'],
    roles: [],
    department: 'engineering',
    clearance: 2,
    suspended: false,
    isService: true,
  }
}

function policyGroups(teams: readonly Team[]): Map<string, PolicyGroup> {
  const groups = new Map<string, PolicyGroup>([
    ['dba', { users: ['u0001', 'u0002', 'u0003'], idpGroups: ['db-admins'] }],
    ['security', { users: [], idpGroups: ['security-team'] }],
    ['privacy-office', { users: ['u0010'], idpGroups: ['privacy-office'] }],
  ])
  for (const team of teams)
    groups.set(`${team.name}-leads`, { users: [], idpGroups: [`team-${team.name}-leads`] })
  return groups
}

export function makeWorld(rng: Prng, userCount = 2000): World {
  const teams = TEAM_NAMES.map((name, i) => makeTeam(name, i, rng))
  const users: User[] = []
  for (let n = 1; n <= userCount; n++) users.push(makeUser(n, teams, rng))
  const services = teams.map(serviceAccount)
  users.push(...services)
  return { teams, users, services, groups: policyGroups(teams) }
}
