// Property tests: whatever comes in, the policy engine answers instead of
// throwing. Any input gets one of the four effects with the set's version; any
// text as a policy file, and any text as a CEL condition, compiles or comes back
// as errors that point into the file.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { compilePolicySet, EFFECTS, type PolicyInput, type PolicySet } from '../../src/policy/index.ts'
import type { ErrorDetail } from '../../src/shared/index.ts'
import { buildSet, documents, input, policy } from './fixtures/policy-fixtures.ts'

/** A set that uses every function, effect and obligation, so that inputs reach all of them. */
const RICH = documents(
  `kind: Groups
groups:
  dba: { users: [alice], idp_groups: [db-admins] }
`,
  `kind: Classifications
classifications: { pii.email: {} }
`,
  `kind: MaskingProfile
name: support
fields: { pii.email: { transform: partial, keep: email_domain } }
default: keep
`,
  `kind: Policy
name: rich
rules:
  - name: no-ddl
    effect: deny
    match: { verbs: "db.*", resources: "pg://prod/**" }
    when: context.kind == "ddl" || !in_cidr(context.ip, "10.0.0.0/8")
  - name: exports
    effect: require_consent
    match: { verbs: crm.export }
    when: '!consent(context.subject, purpose)'
    consent: { purpose: marketing, subject: context.subject }
  - name: writes
    effect: require_approval
    match: { verbs: "db.*", resources: "pg://prod/**" }
    when: context.writes == true && !has_grant()
    approval:
      steps: [ { any_of: [group:dba], quorum: 1 } ]
      auto_approve: context.tables.all(t, glob("scratch.*", t))
  - name: office-hours
    effect: allow
    match: { verbs: "**" }
    when: |
      member_of("dba") &&
      within_hours(now, "Europe/Berlin", "08:00", "18:00") &&
      weekday(now, "Europe/Berlin") != "sun" &&
      time_of_day(now, "UTC") != "" &&
      counter("exports") < 100 &&
      has_grant("db.query", resource)
    obligations:
      mask: { profile: support }
      row_limit: 100
      rate_limit: { max: 10, per: 1m }
  - name: anyone
    effect: allow
    match: { verbs: "**" }
    when: actor.attributes.size() >= 0 && actor.roles.exists(r, r == "reader")
`,
)

const REASONS = ['rule_matched', 'no_rule_matched', 'condition_error', 'invalid_input']

function assertDecision(set: PolicySet, value: unknown): void {
  const decision = set.evaluate(value as PolicyInput, { explain: true })
  assert.ok(EFFECTS.includes(decision.effect), `unknown effect ${String(decision.effect)}`)
  assert.ok(REASONS.includes(decision.reason.code), `unknown reason ${decision.reason.code}`)
  assert.equal(decision.policyVersion, set.version)
  assert.ok(typeof decision.reason.message === 'string' && decision.reason.message.length > 0)
  assert.ok(Array.isArray(decision.rules) && Array.isArray(decision.explanation))
  if (decision.reason.code !== 'rule_matched') assert.equal(decision.effect, 'deny')
}

/** Mostly what the engine expects, sometimes anything at all. */
const mostly = <T>(typical: fc.Arbitrary<T>) =>
  fc.oneof({ weight: 9, arbitrary: typical }, { weight: 1, arbitrary: fc.anything() })
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined })

const time = fc.oneof(
  {
    weight: 8,
    arbitrary: fc
      .date({
        noInvalidDate: true,
        min: new Date('2026-01-01T00:00:00Z'),
        max: new Date('2027-01-01T00:00:00Z'),
      })
      .map((d) => d.toISOString()),
  },
  fc
    .date({
      noInvalidDate: true,
      min: new Date('1970-01-01T00:00:00Z'),
      max: new Date('2100-01-01T00:00:00Z'),
    })
    .map((d) => d.toISOString()),
  fc.constantFrom(
    '2026-03-29T01:30:00Z',
    '2026-10-25T01:30:00+01:00',
    '2026-02-30T10:00:00Z',
    '2026-03-02T10:00:00',
    '',
  ),
  fc.string(),
)
const actor = fc.record(
  {
    id: mostly(
      fc.oneof(
        { weight: 8, arbitrary: fc.constantFrom('alice', 'bob', 'carol') },
        fc.constantFrom('', 'x'.repeat(9000)),
      ),
    ),
    groups: mostly(fc.array(fc.constantFrom('db-admins', 'eng', 'dba'))),
    roles: mostly(fc.array(fc.constantFrom('reader', 'writer', ''))),
    attributes: mostly(fc.dictionary(fc.string(), fc.jsonValue())),
  },
  { requiredKeys: ['id'] },
)
const context = fc.record(
  {
    time: mostly(time),
    ip: mostly(fc.oneof(fc.ipV4(), fc.ipV6(), fc.string())),
    kind: mostly(fc.constantFrom('ddl', 'read', 'write')),
    writes: mostly(fc.boolean()),
    subject: mostly(fc.constantFrom('subject-1', '')),
    tables: mostly(fc.array(fc.constantFrom('scratch.a', 'public.users'))),
  },
  { requiredKeys: [] },
)
const facts = fc.record(
  {
    grants: mostly(
      fc.array(
        fc.record(
          {
            id: fc.string(),
            verb: mostly(fc.constantFrom('db.query', 'db.*', '**', '{')),
            resource: mostly(fc.constantFrom('pg://prod/*', 'pg://prod/**', 'pg://{')),
            expiresAt: mostly(time),
          },
          { requiredKeys: [] },
        ),
      ),
    ),
    consents: mostly(
      fc.array(
        fc.record({
          subject: fc.constantFrom('subject-1'),
          purpose: fc.constantFrom('marketing'),
          state: fc.string(),
        }),
      ),
    ),
    counters: mostly(
      fc.dictionary(
        fc.constantFrom('exports', 'other', '__proto__'),
        fc.oneof(fc.double(), fc.integer(), fc.anything()),
      ),
    ),
  },
  { requiredKeys: [] },
)
const structuredInput = fc.record(
  {
    actor: mostly(actor),
    action: mostly(fc.constantFrom('db.query', 'db.exec', 'crm.export', 'x', '', 'a\nb')),
    resource: mostly(fc.constantFrom('pg://prod/public.users', 'pg://prod/a/b', 's3://x', '')),
    purpose: maybe(mostly(fc.constantFrom('marketing', ''))),
    context: mostly(context),
    facts: mostly(facts),
  },
  { requiredKeys: ['actor', 'action', 'resource'] },
)

describe('evaluate never throws', () => {
  const set = buildSet(RICH)

  it('for anything at all', () => {
    fc.assert(
      fc.property(
        fc.anything({ withNullPrototype: true, withBoxedValues: true, withSparseArray: true }),
        (value) => assertDecision(set, value),
      ),
      {
        numRuns: 500,
      },
    )
  })

  it('for inputs shaped like real ones', () => {
    fc.assert(
      fc.property(structuredInput, (value) => assertDecision(set, value)),
      { numRuns: 1000 },
    )
  })

  it('and decides the same input alike twice', () => {
    fc.assert(
      fc.property(structuredInput, (value) => {
        assert.deepEqual(
          set.evaluate(value as PolicyInput, { explain: true }),
          set.evaluate(value as PolicyInput, { explain: true }),
        )
      }),
      { numRuns: 200 },
    )
  })
})

function assertPointsIntoFile(errors: readonly ErrorDetail[], file: string, text: string): void {
  const lines = text.split(/\r\n|\r|\n/).length
  assert.ok(errors.length > 0)
  for (const e of errors) {
    assert.equal(e.file, file)
    assert.ok(
      Number.isInteger(e.line) && (e.line ?? 0) >= 1 && (e.line ?? 0) <= lines + 1,
      `line ${e.line} of ${lines}`,
    )
    assert.ok(Number.isInteger(e.column) && (e.column ?? 0) >= 1, `column ${e.column}`)
    assert.ok(typeof e.message === 'string' && e.message.length > 0)
  }
}

function assertCompiles(text: string): void {
  const result = compilePolicySet([{ file: 'p.yaml', text }])
  if (result.ok) assertDecision(result.set, input())
  else assertPointsIntoFile(result.errors, 'p.yaml', text)
}

/** Pieces of policy YAML, so that random texts are often nearly valid. */
const YAML_PIECES = [
  'kind: Policy\n',
  'kind: Groups\n',
  'kind: MaskingProfile\n',
  'kind: Classifications\n',
  'name: p\n',
  'rules:\n',
  '  - name: r\n',
  '    effect: allow\n',
  '    effect: require_approval\n',
  '    match: { verbs: db.query }\n',
  '    when: actor.id == "a"\n',
  '    when: |\n      member_of("dba")\n',
  'groups: { dba: { users: [a] } }\n',
  '---\n',
  '    approval: { steps: [ { any_of: [group:dba] } ] }\n',
  '    obligations: { mask: { profile: m } }\n',
  'fields: { a.b: redact }\n',
  '{',
  '}',
  '[',
  ']',
  ':',
  ' ',
  '\n',
  '"',
  "'",
  '&a ',
  '*a',
  '!!binary ',
  '# c\n',
  '\t',
  '? ',
  '- ',
  '%YAML 1.2\n',
  '<<: *a\n',
]

describe('compilePolicySet never throws', () => {
  it('for any text', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 400 }), assertCompiles), { numRuns: 300 })
  })

  it('for texts made of pieces of policies', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...YAML_PIECES), { maxLength: 40 }).map((p) => p.join('')),
        assertCompiles,
      ),
      {
        numRuns: 500,
      },
    )
  })

  it('for a valid policy with characters inserted or removed', () => {
    const mutation = fc.tuple(
      fc.nat({ max: RICH.length }),
      fc.nat({ max: 8 }),
      fc.string({ unit: 'binary-ascii', maxLength: 4 }),
    )
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 3 }), (edits) => {
        let text = RICH
        for (const [at, remove, insert] of edits) text = text.slice(0, at) + insert + text.slice(at + remove)
        assertCompiles(text)
      }),
      { numRuns: 500 },
    )
  })
})

/** Pieces of CEL, so that random conditions often parse and type-check. */
const CEL_PIECES = [
  'actor',
  '.id',
  '.groups',
  '.roles',
  '.attributes',
  'context',
  '.ip',
  '["x"]',
  'resource',
  'action',
  'purpose',
  'now',
  'member_of("dba")',
  'member_of("nope")',
  'in_cidr(context.ip, "10.0.0.0/8")',
  'in_cidr(',
  '"10.0.0.0/33"',
  'glob("pg://{", resource)',
  'within_hours(now, "UTC", "09:00", "17:00")',
  'weekday(now, "Mars/Base")',
  'time_of_day(',
  'has_grant()',
  'consent(',
  'counter("n")',
  '==',
  '!=',
  '<',
  '+',
  '&&',
  '||',
  '!',
  '?',
  ':',
  '(',
  ')',
  '[',
  ']',
  '{',
  '}',
  ',',
  '.all(x, x)',
  '.exists(',
  'size(',
  'has(',
  '1',
  '-1',
  '2.5',
  '9223372036854775807',
  '1u',
  'true',
  'false',
  'null',
  '"a"',
  "'b'",
  'b"c"',
  '"\\u00e9"',
  'r"\\d"',
  '"""',
  'dyn(',
  'int(',
  'timestamp("2026-01-01T00:00:00Z")',
  'duration("1h")',
  ' ',
  '\n',
  '\\',
  '"',
  '`',
  '#',
]

/** Conditions built from a small CEL grammar: many type-check, and then run against inputs. */
const celExpression = fc.letrec<{ bool: string; value: string }>((tie) => ({
  bool: fc.oneof(
    { depthSize: 'small' },
    fc.constantFrom(
      'member_of("dba")',
      'in_cidr(context.ip, "10.0.0.0/8")',
      'within_hours(now, "Europe/Berlin", "22:00", "06:00")',
      'weekday(now, "UTC") == "mon"',
      'time_of_day(now, "Asia/Kolkata") < "12:00"',
      'has_grant()',
      'has_grant("db.*", resource)',
      'consent(actor.id, purpose)',
      'glob("pg://prod/**", resource)',
      'counter("n") < 3',
      'actor.id == "alice"',
      '"dba" in actor.groups',
      'context.x == 1',
      'has(context.ip)',
      'actor.attributes.a > 0',
      'true',
    ),
    fc.tuple(tie('bool'), fc.constantFrom('&&', '||'), tie('bool')).map(([a, op, b]) => `(${a} ${op} ${b})`),
    tie('bool').map((b) => `!${b}`),
    fc
      .tuple(tie('value'), fc.constantFrom('==', '!=', '<', '>='), tie('value'))
      .map(([a, op, b]) => `${a} ${op} ${b}`),
    fc.tuple(tie('bool'), tie('bool'), tie('bool')).map(([c, a, b]) => `(${c} ? ${a} : ${b})`),
    fc.tuple(tie('value'), tie('bool')).map(([list, b]) => `[${list}].exists(v, ${b})`),
  ),
  value: fc.oneof(
    { depthSize: 'small' },
    fc.constantFrom(
      'actor.id',
      'resource',
      'action',
      'purpose',
      'context.x',
      'now',
      'counter("n")',
      '1',
      '2.5',
      '"a"',
      'null',
      'actor.roles',
      'context',
    ),
    fc
      .tuple(tie('value'), fc.constantFrom('+', '-', '*', '/', '%'), tie('value'))
      .map(([a, op, b]) => `(${a} ${op} ${b})`),
    fc
      .tuple(fc.constantFrom('size', 'string', 'int', 'dyn', 'type'), tie('value'))
      .map(([f, v]) => `${f}(${v})`),
  ),
}))

/** Inputs for conditions to run against, with and without the fields they read. */
const conditionInputs = [
  input(),
  input({ context: { time: undefined } }),
  input({
    actor: { id: 'alice', groups: ['dba'], roles: ['reader'], attributes: { a: 1 } },
    purpose: 'marketing',
    context: { ip: '10.0.0.1', x: 1 },
    facts: {
      grants: [{ id: 'g', verb: '**', resource: '**' }],
      consents: [{ subject: 'alice', purpose: 'marketing', state: 'granted' }],
      counters: { n: 2 },
    },
  }),
]

describe('CEL conditions never make the compiler throw', () => {
  const whenLine = 7
  const check = (when: string) => {
    const rule = `  - name: r\n    effect: allow\n    match: { verbs: "**" }\n    when: ${JSON.stringify(when)}\n`
    const text = documents(policy(rule), 'kind: Groups\ngroups: { dba: { users: [alice] } }\n')
    const result = compilePolicySet([{ file: 'p.yaml', text }])
    if (result.ok) {
      for (const value of conditionInputs) assertDecision(result.set, value)
      return
    }
    assertPointsIntoFile(result.errors, 'p.yaml', text)
    // An error in the condition points into the condition's line, inside its quotes.
    const line = text.split('\n')[whenLine - 1] ?? ''
    for (const e of result.errors.filter((x) => x.path === '/rules/0/when')) {
      assert.equal(e.line, whenLine)
      assert.ok(
        (e.column ?? 0) >= 11 && (e.column ?? 0) <= line.length,
        `column ${e.column} outside ${JSON.stringify(line)}`,
      )
    }
  }

  it('for any text', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', minLength: 1, maxLength: 200 }), check), {
      numRuns: 500,
    })
  })

  it('for texts made of pieces of CEL', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...CEL_PIECES), { minLength: 1, maxLength: 25 }).map((p) => p.join(' ')),
        check,
      ),
      {
        numRuns: 1000,
      },
    )
  })

  it('for conditions from a small CEL grammar', () => {
    fc.assert(fc.property(celExpression.bool, check), { numRuns: 1000 })
  })

  it('for deeply nested expressions', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 3000 }),
        fc.constantFrom('(', '!', '-', '[', 'dyn('),
        (depth, open) => {
          const close = { '(': ')', '!': '', '-': '', '[': ']', 'dyn(': ')' }[open] ?? ''
          check(`${open.repeat(depth)}true${close.repeat(depth)}`)
        },
      ),
      { numRuns: 50 },
    )
  })
})
