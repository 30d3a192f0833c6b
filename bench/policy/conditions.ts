// The condition atoms the generated rules are made of, each with its jitgate CEL
// and its Cedar spelling. Writing every rule once as atoms and rendering it twice
// is what keeps the two policy sets equivalent: same rules, same tests, in the
// same order.
import type { PolicyGroup } from './world.ts'

export type Cond =
  | { readonly k: 'group'; readonly name: string; readonly negate?: boolean }
  | { readonly k: 'role'; readonly name: string; readonly negate?: boolean }
  | { readonly k: 'memberOf'; readonly group: string }
  | { readonly k: 'actorIs'; readonly id: string }
  | { readonly k: 'purpose'; readonly oneOf: readonly string[]; readonly negate?: boolean }
  | { readonly k: 'writes'; readonly value: boolean }
  | { readonly k: 'stmtKind'; readonly kind: string }
  | { readonly k: 'touches'; readonly table: string }
  | { readonly k: 'rowsOver'; readonly n: number }
  | { readonly k: 'clearanceAtLeast'; readonly n: number }
  | { readonly k: 'department'; readonly oneOf: readonly string[] }
  | { readonly k: 'suspended' }
  /** The UTC hour of `context.time` is outside [from, to). */
  | { readonly k: 'outsideHours'; readonly from: number; readonly to: number }
  | { readonly k: 'outsideCidrs'; readonly cidrs: readonly string[] }
  | { readonly k: 'flag'; readonly name: string }
  | { readonly k: 'hasContext'; readonly name: string }
  | { readonly k: 'resourceGlob'; readonly pattern: string }
  | { readonly k: 'anyOf'; readonly conds: readonly Cond[] }

const q = (s: string): string => JSON.stringify(s)
const list = (items: readonly string[]): string => `[${items.map(q).join(', ')}]`
const hh = (hour: number): string => `${String(hour).padStart(2, '0')}:00`

export function toCel(c: Cond): string {
  switch (c.k) {
    case 'group':
      return c.negate ? `!(${q(c.name)} in actor.groups)` : `${q(c.name)} in actor.groups`
    case 'role':
      return c.negate ? `!(${q(c.name)} in actor.roles)` : `${q(c.name)} in actor.roles`
    case 'memberOf':
      return `member_of(${q(c.group)})`
    case 'actorIs':
      return `actor.id == ${q(c.id)}`
    case 'purpose': {
      const test = c.oneOf.length === 1 ? `purpose == ${q(c.oneOf[0] ?? '')}` : `purpose in ${list(c.oneOf)}`
      return c.negate ? `!(${test})` : test
    }
    case 'writes':
      return c.value ? 'context.statement.writes' : '!context.statement.writes'
    case 'stmtKind':
      return `context.statement.kind == ${q(c.kind)}`
    case 'touches':
      return `${q(c.table)} in context.statement.tables`
    case 'rowsOver':
      return `context.rows_estimate > ${c.n}`
    case 'clearanceAtLeast':
      return `actor.attributes.clearance >= ${c.n}`
    case 'department':
      return `actor.attributes.department in ${list(c.oneOf)}`
    case 'suspended':
      return 'actor.attributes.suspended == true'
    case 'outsideHours':
      return `!within_hours(now, "UTC", ${q(hh(c.from))}, ${q(hh(c.to))})`
    case 'outsideCidrs':
      return c.cidrs.map((cidr) => `!in_cidr(context.ip, ${q(cidr)})`).join(' && ')
    case 'flag':
      return `context.${c.name} == true`
    case 'hasContext':
      return `has(context.${c.name})`
    case 'resourceGlob':
      return `glob(${q(c.pattern)}, resource)`
    case 'anyOf':
      return `(${c.conds.map(toCel).join(' || ')})`
  }
}

/** Cedar's `like` has one wildcard, `*`, which also crosses `/`; our resources never have extra segments, so `*` and `**` agree. */
export function toCedarLike(glob: string): string {
  return glob.replace(/\*\*+/g, '*')
}

export function toCedar(c: Cond, groups: ReadonlyMap<string, PolicyGroup>): string {
  switch (c.k) {
    case 'group':
      return c.negate ? `!principal.groups.contains(${q(c.name)})` : `principal.groups.contains(${q(c.name)})`
    case 'role':
      return c.negate ? `!principal.roles.contains(${q(c.name)})` : `principal.roles.contains(${q(c.name)})`
    case 'memberOf': {
      // member_of(g): the actor is one of g's users or in one of its identity-provider groups.
      const g = groups.get(c.group)
      if (g === undefined) throw new Error(`no policy group '${c.group}'`)
      const users = g.users.map((u) => `User::${q(u)}`).join(', ')
      return `([${users}].contains(principal) || principal.groups.containsAny(${list(g.idpGroups)}))`
    }
    case 'actorIs':
      return `principal == User::${q(c.id)}`
    case 'purpose': {
      const test =
        c.oneOf.length === 1
          ? `context.purpose == ${q(c.oneOf[0] ?? '')}`
          : `${list(c.oneOf)}.contains(context.purpose)`
      return c.negate ? `!(${test})` : test
    }
    case 'writes':
      return c.value ? 'context.statement.writes' : '!context.statement.writes'
    case 'stmtKind':
      return `context.statement.kind == ${q(c.kind)}`
    case 'touches':
      return `context.statement.tables.contains(${q(c.table)})`
    case 'rowsOver':
      return `context.rows_estimate > ${c.n}`
    case 'clearanceAtLeast':
      return `principal.clearance >= ${c.n}`
    case 'department':
      return `${list(c.oneOf)}.contains(principal.department)`
    case 'suspended':
      return 'principal.suspended'
    case 'outsideHours':
      // within_hours compares whole minutes in [from, to); toTime() is the duration since UTC midnight.
      return `!(context.time.toTime() >= duration("${c.from}h") && context.time.toTime() < duration("${c.to}h"))`
    case 'outsideCidrs':
      return c.cidrs.map((cidr) => `!context.ip.isInRange(ip(${q(cidr)}))`).join(' && ')
    case 'flag':
      return `context.${c.name} == true`
    case 'hasContext':
      return `context has ${c.name}`
    case 'resourceGlob':
      return `resource.path like ${q(toCedarLike(c.pattern))}`
    case 'anyOf':
      return `(${c.conds.map((x) => toCedar(x, groups)).join(' || ')})`
  }
}
