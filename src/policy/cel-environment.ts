// The CEL environment policies are written in: the input variables, their types,
// and the functions privacy rules need. Functions that read facts (grants,
// consent, counters) or the actor see the input being evaluated through an
// EvaluationScope: evaluation is synchronous, so exactly one input is current.
import { Environment } from '@marcbachmann/cel-js'
import { CidrMatcher } from './cidr.ts'
import type { Facts } from './decision-types.ts'
import { compileGlob, type Glob } from './glob.ts'
import { inClockRange, parseClock, ZonedClock } from './zoned-time.ts'

/** The actor as CEL sees it: every field present, so rules need no `has()` for them. */
export class CelActor {
  constructor(
    readonly id: string,
    readonly groups: readonly string[],
    readonly roles: readonly string[],
    readonly attributes: Readonly<Record<string, unknown>>,
  ) {}
}

/** The variables of one evaluation. */
export interface Activation {
  readonly actor: CelActor
  readonly action: string
  readonly resource: string
  readonly purpose: string
  readonly context: Readonly<Record<string, unknown>>
  /** `context.time` as a timestamp; null when the caller gave none. */
  readonly now: Date | null
}

/** What the fact-reading functions need from the input being evaluated. */
export interface ScopeState {
  activation: Activation
  facts: Facts
  /** Users and identity-provider groups of each named policy group. */
  readonly groups: ReadonlyMap<
    string,
    { readonly users: ReadonlySet<string>; readonly idpGroups: ReadonlySet<string> }
  >
  /** Whether a grant covers this verb and resource (glob-aware, expiry-aware). */
  grantCovers(verb: string, resource: string): boolean
}

export class EvaluationScope {
  current: ScopeState | undefined

  get state(): ScopeState {
    if (this.current === undefined) throw new Error('policy functions called outside an evaluation')
    return this.current
  }
}

/** Names and signatures of our functions, for the docs and `policy functions`. */
export const POLICY_FUNCTIONS: readonly { readonly signature: string; readonly description: string }[] = [
  {
    signature: 'in_cidr(ip: string, cidr: string): bool',
    description: 'ip lies in the CIDR range (IPv4 or IPv6)',
  },
  {
    signature: 'glob(pattern: string, value: string): bool',
    description: 'value matches the glob (* within a /-segment, ** across)',
  },
  {
    signature: 'time_of_day(t: timestamp, zone: string): string',
    description: "local time 'HH:MM' of t in an IANA zone",
  },
  {
    signature: 'weekday(t: timestamp, zone: string): string',
    description: "local weekday of t: 'mon' … 'sun'",
  },
  {
    signature: 'within_hours(t: timestamp, zone: string, from: string, to: string): bool',
    description: "local time of t in ['from', 'to'); wraps past midnight when to < from",
  },
  {
    signature: 'member_of(group: string): bool',
    description: 'the actor is a user of, or in an identity-provider group of, the named policy group',
  },
  { signature: 'has_grant(): bool', description: 'an active grant covers this action on this resource' },
  {
    signature: 'has_grant(verb: string, resource: string): bool',
    description: 'an active grant covers verb on resource',
  },
  {
    signature: 'consent(subject: string, purpose: string): bool',
    description: 'the data subject has granted consent for the purpose',
  },
  {
    signature: 'consent_state(subject: string, purpose: string): string',
    description:
      "the latest consent record's state: 'granted', 'withdrawn', 'denied', or 'none' when never asked",
  },
  {
    signature: 'counter(name: string): int',
    description: 'a counter the caller passed as a fact (0 when absent)',
  },
]

function requireTime(t: Date | null): Date {
  if (!(t instanceof Date))
    throw new Error('context.time is missing: the caller must pass the time of the action')
  return t
}

function clockArg(text: string): number {
  const minutes = parseClock(text)
  if (minutes === undefined) throw new Error(`'${text}' is not a time of day in HH:MM (24-hour)`)
  return minutes
}

/** The latest recorded consent state of the pair (facts list records oldest first), or 'none'. */
function consentState(scope: EvaluationScope, subject: string, purpose: string): string {
  let state = 'none'
  for (const c of scope.state.facts.consents ?? [])
    if (c.subject === subject && c.purpose === purpose) state = c.state
  return state
}

/** A handler takes the CEL values its signature names; `never[]` accepts every such handler. */
type PolicyFunction = (...args: never[]) => unknown

/** The environment and our functions by signature (the fast path calls them directly). */
export interface CelEnvironment {
  readonly env: Environment
  readonly functions: ReadonlyMap<string, PolicyFunction>
}

/** Builds the environment for one compiled policy set. */
export function createCelEnvironment(scope: EvaluationScope): CelEnvironment {
  const cidr = new CidrMatcher()
  const clock = new ZonedClock()
  const globs = new Map<string, Glob>()
  const globFor = (pattern: string): Glob => {
    let glob = globs.get(pattern)
    if (glob === undefined) {
      glob = compileGlob(pattern, '/')
      if (globs.size > 1000) globs.clear()
      globs.set(pattern, glob)
    }
    return glob
  }
  const env = new Environment({ homogeneousAggregateLiterals: false })
    .registerType('Actor', {
      ctor: CelActor,
      fields: { id: 'string', groups: 'list<string>', roles: 'list<string>', attributes: 'map<string, dyn>' },
    })
    .registerVariable('actor', 'Actor', { description: 'who acts: id, groups, roles, attributes' })
    .registerVariable('action', 'string', { description: 'the verb, e.g. db.query' })
    .registerVariable('resource', 'string', {
      description: 'what the action is on, e.g. pg://prod/public.users',
    })
    .registerVariable('purpose', 'string', { description: "the declared purpose ('' when none)" })
    .registerVariable('context', 'map<string, dyn>', {
      description: 'time, ip, client and action-specific data',
    })
    .registerVariable('now', 'dyn', { description: 'context.time as a timestamp' })
  const functions: [string, PolicyFunction][] = [
    ['in_cidr(string, string): bool', (ip: string, range: string) => cidr.contains(ip, range)],
    ['glob(string, string): bool', (pattern: string, value: string) => globFor(pattern).test(value)],
    [
      'time_of_day(dyn, string): string',
      (t: Date | null, zone: string) => {
        const { minutes } = clock.localTime(requireTime(t), zone)
        return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`
      },
    ],
    [
      'weekday(dyn, string): string',
      (t: Date | null, zone: string) => clock.localTime(requireTime(t), zone).weekday,
    ],
    [
      'within_hours(dyn, string, string, string): bool',
      (t: Date | null, zone: string, from: string, to: string) =>
        inClockRange(clock.localTime(requireTime(t), zone).minutes, clockArg(from), clockArg(to)),
    ],
    [
      'member_of(string): bool',
      (name: string) => {
        const { activation, groups } = scope.state
        const group = groups.get(name)
        if (group === undefined) throw new Error(`no policy group named '${name}'`)
        if (group.users.has(activation.actor.id)) return true
        return activation.actor.groups.some((g) => group.idpGroups.has(g))
      },
    ],
    [
      'has_grant(): bool',
      () => {
        const state = scope.state
        return state.grantCovers(state.activation.action, state.activation.resource)
      },
    ],
    [
      'has_grant(string, string): bool',
      (verb: string, resource: string) => scope.state.grantCovers(verb, resource),
    ],
    [
      'consent(string, string): bool',
      (subject: string, purpose: string) => consentState(scope, subject, purpose) === 'granted',
    ],
    [
      'consent_state(string, string): string',
      (subject: string, purpose: string) => consentState(scope, subject, purpose),
    ],
    [
      'counter(string): int',
      (name: string) => {
        const counters = scope.state.facts.counters
        const value: unknown =
          counters !== undefined && Object.hasOwn(counters, name) ? counters[name] : undefined
        if (value === undefined) return 0n
        // A counter that is not a number must not pass for 0: that would lift the limit it guards.
        if (typeof value !== 'number' || !Number.isFinite(value))
          throw new Error(`counter '${name}' is not a number`)
        return BigInt(Math.trunc(value))
      },
    ],
  ]
  for (const [signature, handler] of functions) env.registerFunction(signature, handler)
  return { env, functions: new Map(functions) }
}
