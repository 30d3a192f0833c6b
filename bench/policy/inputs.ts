// Generates the requests both engines decide: mostly database reads by the
// owning team, then writes, service-data reads and exports, DSAR requests, and
// some that no rule covers (other systems, schemas nobody owns). Times cluster
// in office hours; most connections come through the VPN.
import type { PolicyInput } from '../../src/policy/decision-types.ts'
import type { Prng } from './prng.ts'
import { type Env, type Team, VPN_CIDR, type World } from './world.ts'

type Kind =
  | 'dbRead'
  | 'dbWrite'
  | 'dbDdl'
  | 'scratch'
  | 'dataRead'
  | 'dataExport'
  | 'dsarExport'
  | 'dsarErase'
  | 'otherVerb'
  | 'unownedSchema'

const KINDS: readonly (readonly [Kind, number])[] = [
  ['dbRead', 50],
  ['dbWrite', 13],
  ['dbDdl', 2],
  ['scratch', 2],
  ['dataRead', 12],
  ['dataExport', 4],
  ['dsarExport', 3],
  ['dsarErase', 3],
  ['otherVerb', 6],
  ['unownedSchema', 5],
]
const PURPOSES: readonly (readonly [string, number])[] = [
  ['', 35],
  ['support', 20],
  ['analytics', 15],
  ['debugging', 15],
  ['fraud', 5],
  ['marketing', 5],
  ['dsar', 5],
]
const OTHER_VERBS = ['kafka.consume', 's3.get_object', 'ssh.login', 'vault.read']
const START = Date.UTC(2026, 0, 5)

function isoTime(rng: Prng): string {
  const day = rng.int(7)
  // Four in five requests fall in 07:00–19:00 UTC; the rest any time.
  const hour = rng.chance(0.8) ? rng.between(7, 18) : rng.int(24)
  const ms = START + ((day * 24 + hour) * 3600 + rng.int(3600)) * 1000
  return new Date(ms).toISOString().replace('.000Z', 'Z')
}

function address(rng: Prng, team: Team, world: World): string {
  const inRange = (cidr: string) =>
    `${cidr.split('.').slice(0, 2).join('.')}.${rng.int(256)}.${rng.between(1, 254)}`
  const where = rng.weighted<'vpn' | 'team' | 'other' | 'public'>([
    ['vpn', 60],
    ['team', 25],
    ['other', 10],
    ['public', 5],
  ])
  if (where === 'vpn') return inRange(VPN_CIDR)
  if (where === 'team') return inRange(team.cidr)
  if (where === 'other') return inRange(rng.pick(world.teams).cidr)
  return `203.0.113.${rng.between(1, 254)}`
}

function statement(kind: 'read' | 'write' | 'ddl', tables: string[], rng: Prng): Record<string, unknown> {
  return {
    statement: { kind, writes: kind !== 'read', tables },
    // Most queries are small; one in ten would scan a lot.
    rows_estimate: rng.chance(0.1) ? rng.between(50_001, 500_000) : rng.between(1, 5000),
  }
}

function dbResource(
  kind: Kind,
  team: Team,
  rng: Prng,
): { resource: string; context: Record<string, unknown> } {
  const env: Env = rng.weighted<Env>([
    ['prod', 70],
    ['staging', 20],
    ['dev', 10],
  ])
  if (kind === 'scratch') {
    const table = `scratch.tmp_${rng.int(50)}`
    return { resource: `pg://${env}/${table}`, context: statement('write', [table], rng) }
  }
  const schema = kind === 'unownedSchema' ? `legacy${rng.int(20)}` : team.schema
  const table = `${schema}.${rng.pick(team.tables)}`
  const tables = rng.chance(0.2) ? [table, `${schema}.${rng.pick(team.tables)}`] : [table]
  const stmt = kind === 'dbWrite' ? 'write' : kind === 'dbDdl' ? 'ddl' : 'read'
  return { resource: `pg://${env}/${table}`, context: statement(stmt, tables, rng) }
}

function request(
  kind: Kind,
  team: Team,
  rng: Prng,
): Omit<PolicyInput, 'actor'> & { context: Record<string, unknown> } {
  switch (kind) {
    case 'dataRead':
    case 'dataExport':
      return {
        action: kind === 'dataRead' ? 'data.read' : 'data.export',
        resource: `svc://${team.name}/${rng.pick(team.datasets)}`,
        context: {},
      }
    case 'dsarExport':
    case 'dsarErase':
      return {
        action: kind === 'dsarExport' ? 'dsar.export' : 'dsar.erase',
        // Subjects are many: their ids rarely repeat.
        resource: `subject://${team.name}/${rng.int(1_000_000)}`,
        context: { legal_hold: rng.chance(0.1) },
      }
    case 'otherVerb':
      return { action: rng.pick(OTHER_VERBS), resource: `host://${team.name}-${rng.int(20)}`, context: {} }
    default:
      return { action: 'db.query', ...dbResource(kind, team, rng) }
  }
}

function purposeFor(kind: Kind, rng: Prng): string {
  if (kind === 'dsarExport' || kind === 'dsarErase') return rng.chance(0.9) ? 'dsar' : rng.weighted(PURPOSES)
  return rng.weighted(PURPOSES)
}

export function makeInput(world: World, rng: Prng): PolicyInput {
  const kind = rng.weighted(KINDS)
  const service = kind === 'dataRead' && rng.chance(0.3)
  const user = service ? rng.pick(world.services) : rng.pick(world.users)
  const team = rng.chance(0.8) ? user.home : rng.pick(world.teams)
  const { action, resource, context } = request(kind, team, rng)
  const purpose = purposeFor(kind, rng)
  return {
    actor: {
      id: user.id,
      groups: user.groups,
      roles: user.roles,
      attributes: { department: user.department, clearance: user.clearance, suspended: user.suspended },
    },
    action,
    resource,
    ...(purpose === '' ? {} : { purpose }),
    context: {
      time: isoTime(rng),
      ip: address(rng, team, world),
      ...context,
      ...(rng.chance(0.02) ? { incident: `INC-${rng.int(9000) + 1000}` } : {}),
    },
  }
}

export function makeInputs(world: World, rng: Prng, count: number): PolicyInput[] {
  const inputs: PolicyInput[] = []
  for (let i = 0; i < count; i++) inputs.push(makeInput(world, rng))
  return inputs
}
