// The functions policies call in their CEL conditions: in_cidr, glob, the zoned
// time functions (time zones, ranges past midnight, daylight saving time),
// member_of, has_grant, consent and counter. Each case compiles a one-rule policy
// and reads the outcome of its condition from the explain trace.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { PolicyInput, PolicySet } from '../../src/policy/index.ts'
import { buildSet, documents, input, policy } from './fixtures/policy-fixtures.ts'

const GROUPS = `kind: Groups
groups:
  dba: { users: [alice], idp_groups: [db-admins] }
  empty: {}
`

const sets = new Map<string, PolicySet>()

/** A set with one allow rule for every action whose condition is `when`. */
function setFor(when: string): PolicySet {
  let set = sets.get(when)
  if (set === undefined) {
    set = buildSet(
      documents(
        GROUPS,
        policy(
          `  - name: r\n    effect: allow\n    match: { verbs: "**" }\n    when: ${JSON.stringify(when)}\n`,
        ),
      ),
    )
    sets.set(when, set)
  }
  return set
}

/** What `when` comes to for `value`: true, false, or the error it raised. */
function condition(when: string, value: PolicyInput): boolean | { error: string } {
  const decision = setFor(when).evaluate(value, { explain: true })
  const trace = decision.explanation?.[0]
  assert.ok(trace !== undefined, `no trace: ${decision.reason.message}`)
  if (trace.outcome === 'error') {
    assert.deepEqual(decision.reason, {
      code: 'condition_error',
      message: `rule 'r' could not be evaluated, so the action is denied: ${trace.detail}`,
    })
    return { error: trace.detail }
  }
  assert.equal(decision.effect, trace.outcome === 'matched' ? 'allow' : 'deny')
  return trace.outcome === 'matched'
}

type Case = readonly [label: string, value: PolicyInput, expected: boolean | { error: string }]

function table(when: string, cases: readonly Case[]): void {
  describe(when, () => {
    for (const [label, value, expected] of cases) {
      it(`${label} → ${typeof expected === 'boolean' ? expected : expected.error}`, () => {
        assert.deepEqual(condition(when, value), expected)
      })
    }
  })
}

const at = (time: string, context: Record<string, unknown> = {}): PolicyInput =>
  input({ context: { time, ...context } })
const ip = (address: unknown): PolicyInput => input({ context: { ip: address } })
const NO_TIME = input({ context: { time: undefined } })
const TIME_MISSING = { error: 'context.time is missing: the caller must pass the time of the action' }

describe('in_cidr', () => {
  table('in_cidr(context.ip, "10.0.0.0/8")', [
    ['an address inside', ip('10.1.2.3'), true],
    ['the last address inside', ip('10.255.255.255'), true],
    ['the first address after', ip('11.0.0.0'), false],
    ['an IPv4-mapped IPv6 address inside', ip('::ffff:10.0.0.1'), true],
    ['an IPv6 address', ip('2001:db8::1'), false],
    ['a host name', ip('localhost'), false],
    ['an empty string', ip(''), false],
    ['an address with a prefix', ip('10.0.0.1/8'), false],
    ['an address with a space', ip(' 10.0.0.1'), false],
    ['an octet out of range', ip('10.0.0.256'), false],
    ['a number', ip(10), { error: "found no matching overload for 'in_cidr(double, string)'" }],
    ['no address', input(), { error: 'No such key: ip' }],
  ])
  table('in_cidr(context.ip, "192.168.1.10")', [
    ['a bare address is a /32: itself', ip('192.168.1.10'), true],
    ['a bare address is a /32: its neighbour', ip('192.168.1.11'), false],
  ])
  table('in_cidr(context.ip, "0.0.0.0/0")', [
    ['/0 holds every IPv4 address', ip('203.0.113.7'), true],
    ['but no IPv6 address', ip('::1'), false],
  ])
  table('in_cidr(context.ip, "2001:db8::/32")', [
    ['an IPv6 address inside', ip('2001:db8::1'), true],
    ['the same address written out in full', ip('2001:0db8:0000:0000:0000:0000:0000:0001'), true],
    ['an IPv6 address outside', ip('2001:db9::1'), false],
    ['an IPv4 address', ip('10.0.0.1'), false],
  ])
  table('in_cidr(context.ip, context.range)', [
    [
      'a range from the input that is not a CIDR',
      input({ context: { ip: '10.0.0.1', range: 'bad' } }),
      {
        error: "'bad' is not a CIDR range such as 10.0.0.0/8 or 2001:db8::/32",
      },
    ],
    [
      'a range from the input with too many bits',
      input({ context: { ip: '::1', range: '::/129' } }),
      {
        error: "'::/129' is not a CIDR range such as 10.0.0.0/8 or 2001:db8::/32",
      },
    ],
  ])
})

describe('glob', () => {
  const on = (resource: string) => input({ resource })
  table('glob("pg://prod/*", resource)', [
    ['one segment', on('pg://prod/users'), true],
    ['two segments', on('pg://prod/a/b'), false],
    ['another database', on('pg://staging/users'), false],
  ])
  table('glob("pg://prod/**", resource)', [
    ['two segments', on('pg://prod/a/b'), true],
    ['the bare prefix', on('pg://prod'), false],
  ])
  table('glob("s3://{eu,us}/?.csv", resource)', [
    ['an alternative and one character', on('s3://eu/a.csv'), true],
    ['two characters', on('s3://us/ab.csv'), false],
    ['no alternative', on('s3://asia/a.csv'), false],
  ])
  table('glob(context.pattern, resource)', [
    ['an escaped star stands for itself', input({ resource: 'a*', context: { pattern: 'a\\*' } }), true],
    ['and for nothing else', input({ resource: 'ab', context: { pattern: 'a\\*' } }), false],
    [
      'a pattern from the input that is malformed',
      input({ context: { pattern: 'pg://{' } }),
      { error: "'{' is never closed" },
    ],
  ])
})

describe('time_of_day, weekday and within_hours', () => {
  table('time_of_day(now, "Europe/Berlin") == context.expected', [
    ['winter time is UTC+1', at('2026-03-02T09:30:00Z', { expected: '10:30' }), true],
    ['summer time is UTC+2', at('2026-07-01T09:30:00Z', { expected: '11:30' }), true],
    ['the night clocks go forward: before', at('2026-03-29T00:59:00Z', { expected: '01:59' }), true],
    ['the night clocks go forward: after', at('2026-03-29T01:00:00Z', { expected: '03:00' }), true],
    ['the night clocks go back: the first 02:30', at('2026-10-25T00:30:00Z', { expected: '02:30' }), true],
    ['the night clocks go back: the second 02:30', at('2026-10-25T01:30:00Z', { expected: '02:30' }), true],
    ['a time given with an offset', at('2026-03-02T10:30:00+01:00', { expected: '10:30' }), true],
    ['midnight is 00:00', at('2026-03-01T23:00:00Z', { expected: '00:00' }), true],
    ['no time', NO_TIME, TIME_MISSING],
  ])
  table('time_of_day(now, "Asia/Kolkata") == "15:00"', [
    ['a half-hour offset', at('2026-03-02T09:30:00Z'), true],
  ])
  table('time_of_day(now, context.zone) == "10:30"', [
    ['a zone from the input', at('2026-03-02T09:30:00Z', { zone: 'Europe/Berlin' }), true],
    [
      'an unknown zone from the input',
      at('2026-03-02T09:30:00Z', { zone: 'Mars/Base' }),
      {
        error: "'Mars/Base' is not a known IANA time zone (e.g. Europe/Berlin, America/New_York, UTC)",
      },
    ],
  ])
  table('weekday(now, context.zone) == context.expected', [
    ['a Monday in UTC', at('2026-03-02T09:30:00Z', { zone: 'UTC', expected: 'mon' }), true],
    [
      'Sunday noon in UTC is Monday in Auckland',
      at('2026-03-01T12:00:00Z', { zone: 'Pacific/Auckland', expected: 'mon' }),
      true,
    ],
    [
      'early Monday in UTC is Sunday in Los Angeles',
      at('2026-03-02T03:00:00Z', { zone: 'America/Los_Angeles', expected: 'sun' }),
      true,
    ],
    ['a Saturday in Berlin', at('2026-03-07T12:00:00Z', { zone: 'Europe/Berlin', expected: 'sat' }), true],
  ])
  table('weekday(now, "UTC") == "mon"', [['no time', NO_TIME, TIME_MISSING]])
  table('within_hours(now, "Europe/Berlin", "09:00", "17:00")', [
    ['08:59 local', at('2026-03-02T07:59:00Z'), false],
    ['09:00 local: the start is inside', at('2026-03-02T08:00:00Z'), true],
    ['16:59 local', at('2026-03-02T15:59:00Z'), true],
    ['17:00 local: the end is outside', at('2026-03-02T16:00:00Z'), false],
    ['07:30 UTC on the Friday before DST is 08:30 local', at('2026-03-27T07:30:00Z'), false],
    ['07:30 UTC on the Monday after DST is 09:30 local', at('2026-03-30T07:30:00Z'), true],
    ['15:30 UTC on the Monday after DST is 17:30 local', at('2026-03-30T15:30:00Z'), false],
    ['no time', NO_TIME, TIME_MISSING],
  ])
  table('within_hours(now, "Europe/Berlin", "22:00", "06:00")', [
    ['21:59 local', at('2026-03-02T20:59:00Z'), false],
    ['22:00 local', at('2026-03-02T21:00:00Z'), true],
    ['00:30 local, past midnight', at('2026-03-02T23:30:00Z'), true],
    ['05:59 local', at('2026-03-03T04:59:00Z'), true],
    ['06:00 local', at('2026-03-03T05:00:00Z'), false],
    ['13:00 local', at('2026-03-03T12:00:00Z'), false],
    ['23:30 local on the night clocks go forward', at('2026-03-28T22:30:00Z'), true],
    ['03:30 local (01:30 UTC) on the night clocks go forward', at('2026-03-29T01:30:00Z'), true],
    ['06:30 local (04:30 UTC) on the morning after', at('2026-03-29T04:30:00Z'), false],
  ])
  table('within_hours(now, "UTC", "09:00", "09:00")', [
    ['an empty range holds nothing', at('2026-03-02T09:00:00Z'), false],
  ])
  table('within_hours(now, "UTC", context.from, "10:00")', [
    [
      'a start time from the input that is not HH:MM',
      at('2026-03-02T09:30:00Z', { from: '9' }),
      {
        error: "'9' is not a time of day in HH:MM (24-hour)",
      },
    ],
  ])
})

describe('member_of', () => {
  const actor = (id: string, groups: string[] = []) => input({ actor: { id, groups } })
  table('member_of("dba")', [
    ['a user listed in the group', actor('alice'), true],
    ['a user in one of its identity-provider groups', actor('carol', ['eng', 'db-admins']), true],
    ['a user in neither', actor('bob', ['eng']), false],
    ['user ids are case-sensitive', actor('Alice'), false],
    ['an actor id that names the idp group', actor('db-admins'), false],
    ['an idp group that names a listed user', actor('bob', ['alice']), false],
    ['the policy group name as an idp group', actor('bob', ['dba']), false],
  ])
  table('member_of("empty")', [['a group without members', actor('alice', ['db-admins']), false]])
  table('member_of(context.group)', [
    ['a group named by the input', input({ context: { group: 'dba' } }), true],
    [
      'an unknown group named by the input',
      input({ context: { group: 'nope' } }),
      { error: "no policy group named 'nope'" },
    ],
  ])
})

describe('has_grant', () => {
  const grant = (fields: Record<string, string>) => ({
    id: 'g-1',
    verb: 'db.query',
    resource: 'pg://prod/*',
    ...fields,
  })
  const withGrants = (grants: unknown[], overrides: Partial<PolicyInput> = {}) =>
    input({ ...overrides, facts: { grants } } as Partial<PolicyInput>)
  table('has_grant()', [
    ['a grant for this verb and resource', withGrants([grant({})]), true],
    ['no grants', input(), false],
    ['a grant for another verb', withGrants([grant({ verb: 'db.exec' })]), false],
    ['a grant whose verb glob covers the verb', withGrants([grant({ verb: 'db.*' })]), true],
    [
      'a grant whose * does not reach two segments down',
      withGrants([grant({})], { resource: 'pg://prod/a/b' }),
      false,
    ],
    [
      'a grant whose ** does',
      withGrants([grant({ resource: 'pg://prod/**' })], { resource: 'pg://prod/a/b' }),
      true,
    ],
    ['a grant for another database', withGrants([grant({ resource: 'pg://staging/*' })]), false],
    ['a grant expiring after the action', withGrants([grant({ expiresAt: '2026-03-02T10:00:01Z' })]), true],
    [
      'a grant expiring at the time of the action',
      withGrants([grant({ expiresAt: '2026-03-02T10:00:00Z' })]),
      false,
    ],
    [
      'a grant that expired before the action',
      withGrants([grant({ expiresAt: '2026-03-02T09:59:59Z' })]),
      false,
    ],
    [
      'an expiring grant, with no time to check it against',
      withGrants([grant({ expiresAt: '2099-01-01T00:00:00Z' })], { context: { time: undefined } }),
      false,
    ],
    ['an expiry that is not a time', withGrants([grant({ expiresAt: 'tomorrow' })]), false],
    ['a grant with a malformed glob', withGrants([grant({ resource: 'pg://{' })]), false],
    ['a grant without a verb', withGrants([{ id: 'g-1', resource: 'pg://prod/*' }]), false],
    [
      'one good grant among bad ones',
      withGrants([grant({ verb: 'x' }), grant({ expiresAt: '2000-01-01T00:00:00Z' }), grant({})]),
      true,
    ],
  ])
  table('has_grant("db.exec", "pg://prod/orders")', [
    ['a grant for the named verb and resource', withGrants([grant({ verb: 'db.exec' })]), true],
    ['a grant for the action, not the named verb', withGrants([grant({})]), false],
  ])
})

describe('consent', () => {
  const consents = (...list: [subject: string, purpose: string, state: string][]) =>
    input({
      purpose: 'marketing',
      facts: { consents: list.map(([subject, p, state]) => ({ subject, purpose: p, state })) },
    } as Partial<PolicyInput>)
  table('consent("subject-1", purpose)', [
    ['granted', consents(['subject-1', 'marketing', 'granted']), true],
    [
      'granted, later withdrawn',
      consents(['subject-1', 'marketing', 'granted'], ['subject-1', 'marketing', 'withdrawn']),
      false,
    ],
    [
      'withdrawn, later granted again',
      consents(['subject-1', 'marketing', 'withdrawn'], ['subject-1', 'marketing', 'granted']),
      true,
    ],
    ['denied', consents(['subject-1', 'marketing', 'denied']), false],
    ['granted for another purpose', consents(['subject-1', 'profiling', 'granted']), false],
    ['granted by another subject', consents(['subject-2', 'marketing', 'granted']), false],
    [
      'another pair withdrawn after this one was granted',
      consents(['subject-1', 'marketing', 'granted'], ['subject-1', 'profiling', 'withdrawn']),
      true,
    ],
    ['no consents', input({ purpose: 'marketing' }), false],
  ])
  const stateIs = (expected: string, ...list: [subject: string, purpose: string, state: string][]) => {
    const value = consents(...list)
    return { ...value, context: { ...value.context, expected } }
  }
  table('consent_state("subject-1", purpose) == context.expected', [
    ['granted', stateIs('granted', ['subject-1', 'marketing', 'granted']), true],
    [
      'the latest record counts',
      stateIs('withdrawn', ['subject-1', 'marketing', 'granted'], ['subject-1', 'marketing', 'withdrawn']),
      true,
    ],
    ['denied', stateIs('denied', ['subject-1', 'marketing', 'denied']), true],
    ['never asked', stateIs('none', ['subject-1', 'profiling', 'granted']), true],
    ['no consents at all', { ...input({ purpose: 'marketing' }), context: { expected: 'none' } }, true],
  ])
})

describe('counter', () => {
  const counters = (values: Record<string, unknown>) =>
    input({ facts: { counters: values } } as Partial<PolicyInput>)
  table('counter("exports") < 10', [
    ['below the limit', counters({ exports: 3 }), true],
    ['at the limit', counters({ exports: 10 }), false],
    ['a fraction is cut to a whole number', counters({ exports: 9.9 }), true],
    ['absent counts as 0', counters({}), true],
    ['no counters', input(), true],
    [
      'a counter that is not a number',
      counters({ exports: '12' }),
      { error: "counter 'exports' is not a number" },
    ],
    ['a counter that is null', counters({ exports: null }), { error: "counter 'exports' is not a number" }],
  ])
  table('counter("constructor") == 0 && counter("__proto__") == 0', [
    ['names of object properties are counters like any', counters({}), true],
  ])
  table('counter("rows") + 1 == 4', [['an int to compute with', counters({ rows: 3 }), true]])
})
