// How a compiled policy set decides: the four effects and their priorities,
// default deny, verb and resource globs, every obligation and how obligations of
// several rules combine, explain traces, versions, determinism, and the denials
// for inputs or conditions that cannot be evaluated.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import {
  type Decision,
  type FieldTransform,
  type PolicyInput,
  policyVersion,
} from '../../src/policy/index.ts'
import { buildSet, DEFAULT_FILE, documents, input, policy, sourceFiles } from './fixtures/policy-fixtures.ts'

const GROUPS = `kind: Groups
groups:
  dba: { users: [alice], idp_groups: [db-admins] }
  managers: { users: [mia] }
`

const ref = (name: string, effect: Decision['effect'], line: number, file = DEFAULT_FILE) => ({
  name,
  effect,
  source: { file, line },
})

/** Rule names of a decision. */
const names = (decision: Decision) => decision.rules.map((r) => r.name)

describe('evaluate: effects', () => {
  const set = buildSet(
    documents(
      GROUPS,
      `kind: Policy
name: effects
rules:
  - name: reads
    effect: allow
    match: { verbs: db.query, resources: "pg://prod/**" }
    when: context.kind == "read"
  - name: exports-need-consent
    effect: require_consent
    match: { verbs: db.query, resources: "pg://prod/**" }
    when: context.kind == "export"
    consent: { purpose: marketing, subject: context.subject, notice: We will tell you }
  - name: writes-need-approval
    effect: require_approval
    match: { verbs: db.query, resources: "pg://prod/**" }
    when: context.kind == "write"
    approval: { steps: [ { any_of: [group:dba] } ] }
  - name: no-ddl
    effect: deny
    match: { verbs: db.query, resources: "pg://prod/**" }
    when: context.kind == "ddl"
    message: DDL on production is not allowed
`,
    ),
  )
  const cases: {
    kind: string
    effect: Decision['effect']
    reason: Decision['reason']
    rules: Decision['rules']
  }[] = [
    {
      kind: 'read',
      effect: 'allow',
      reason: { code: 'rule_matched', message: "allowed by rule 'reads'" },
      rules: [ref('reads', 'allow', 9)],
    },
    {
      kind: 'export',
      effect: 'require_consent',
      reason: { code: 'rule_matched', message: "requires consent (rule 'exports-need-consent')" },
      rules: [ref('exports-need-consent', 'require_consent', 13)],
    },
    {
      kind: 'write',
      effect: 'require_approval',
      reason: { code: 'rule_matched', message: "requires approval (rule 'writes-need-approval')" },
      rules: [ref('writes-need-approval', 'require_approval', 18)],
    },
    {
      kind: 'ddl',
      effect: 'deny',
      reason: { code: 'rule_matched', message: 'DDL on production is not allowed' },
      rules: [ref('no-ddl', 'deny', 23)],
    },
    {
      kind: 'vacuum',
      effect: 'deny',
      reason: { code: 'no_rule_matched', message: 'no rule allows this action, so it is denied' },
      rules: [],
    },
  ]
  for (const c of cases) {
    it(`${c.kind} → ${c.effect} (${c.reason.code})`, () => {
      const decision = set.evaluate(input({ context: { kind: c.kind, subject: 'subject-1' } }))
      assert.equal(decision.effect, c.effect)
      assert.deepEqual(decision.reason, c.reason)
      assert.deepEqual(decision.rules, c.rules)
      assert.equal(decision.policyVersion, set.version)
      assert.equal('explanation' in decision, false)
    })
  }

  it('a deny carries no obligations', () => {
    assert.deepEqual(set.evaluate(input({ context: { kind: 'ddl' } })).obligations, {})
    assert.deepEqual(set.evaluate(input({ context: { kind: 'vacuum' } })).obligations, {})
  })

  it('an action no rule is about is denied by default', () => {
    const decision = set.evaluate(input({ action: 'dsar.erase', resource: 'crm://contacts/42' }))
    assert.deepEqual(decision, {
      effect: 'deny',
      reason: { code: 'no_rule_matched', message: 'no rule allows this action, so it is denied' },
      rules: [],
      obligations: {},
      policyVersion: set.version,
    })
  })

  it('an empty policy set denies everything', () => {
    const empty = buildSet('')
    assert.equal(empty.evaluate(input()).reason.code, 'no_rule_matched')
  })
})

describe('evaluate: combining rules', () => {
  // Written from the least to the most restrictive, to show that file order does not set priority.
  const rule = (name: string, effect: string, flag: string, extra = '') =>
    `  - name: ${name}\n    effect: ${effect}\n    match: { verbs: db.query }\n    when: '"${flag}" in context.flags'\n${extra}`
  const set = buildSet(
    documents(
      GROUPS,
      `kind: Policy\nname: combining\nrules:\n${[
        rule('allow-first', 'allow', 'allow'),
        rule('allow-second', 'allow', 'allow'),
        rule(
          'approval',
          'require_approval',
          'approval',
          '    approval: { steps: [ { any_of: [group:dba] } ] }\n',
        ),
        rule('consent', 'require_consent', 'consent', '    consent: { purpose: ads, subject: actor.id }\n'),
        rule('deny-first', 'deny', 'deny'),
        rule('deny-second', 'deny', 'deny'),
      ].join('')}`,
    ),
  )
  const cases: { flags: string[]; effect: Decision['effect']; rules: string[] }[] = [
    { flags: ['allow', 'approval', 'consent', 'deny'], effect: 'deny', rules: ['deny-first'] },
    { flags: ['allow', 'approval', 'consent'], effect: 'require_consent', rules: ['consent'] },
    { flags: ['allow', 'consent'], effect: 'require_consent', rules: ['consent'] },
    { flags: ['allow', 'approval'], effect: 'require_approval', rules: ['approval'] },
    { flags: ['approval', 'deny'], effect: 'deny', rules: ['deny-first'] },
    { flags: ['allow'], effect: 'allow', rules: ['allow-first', 'allow-second'] },
    { flags: [], effect: 'deny', rules: [] },
  ]
  for (const c of cases) {
    it(`[${c.flags.join(', ')}] → ${c.effect}`, () => {
      const decision = set.evaluate(input({ context: { flags: c.flags } }))
      assert.equal(decision.effect, c.effect)
      assert.deepEqual(names(decision), c.rules)
    })
  }

  it('the first matching deny decides and no later rule is evaluated', () => {
    const decision = set.evaluate(input({ context: { flags: ['deny', 'allow'] } }), { explain: true })
    assert.deepEqual(decision.reason, { code: 'rule_matched', message: "denied by rule 'deny-first'" })
    assert.deepEqual(
      decision.explanation?.map((t) => [t.rule.name, t.outcome]),
      [
        ['deny-first', 'matched'],
        ['deny-second', 'skipped'],
        ['consent', 'skipped'],
        ['approval', 'skipped'],
        ['allow-first', 'skipped'],
        ['allow-second', 'skipped'],
      ],
    )
  })
})

describe('evaluate: verb and resource globs', () => {
  const set = buildSet(`kind: Policy
name: globs
rules:
  - name: one-level
    effect: allow
    match: { verbs: db.*, resources: "pg://prod/*" }
  - name: deep
    effect: allow
    match: { verbs: db.query, resources: "pg://prod/**" }
  - name: anything-csv
    effect: allow
    match: { verbs: "**", resources: "s3://{eu,us}-bucket/?.csv" }
  - name: any-resource
    effect: allow
    match: { verbs: [dsar.erase, dsar.export] }
  - name: literal-star
    effect: allow
    match: { verbs: files.read, resources: 'file:///srv/\\*' }
`)
  const cases: [action: string, resource: string, rules: string[]][] = [
    ['db.query', 'pg://prod/users', ['one-level', 'deep']],
    ['db.query', 'pg://prod/a/b', ['deep']],
    ['db.exec', 'pg://prod/users', ['one-level']],
    ['db.exec', 'pg://prod/a/b', []],
    ['db.query', 'pg://prod/', ['one-level', 'deep']],
    ['db.query', 'pg://prod', []],
    ['db.query', 'pg://production/users', []],
    ['db.query', 'pg://staging/users', []],
    ['db.query.explain', 'pg://prod/users', []],
    ['db', 'pg://prod/users', []],
    ['DB.QUERY', 'pg://prod/users', []],
    ['anything.at.all', 's3://eu-bucket/a.csv', ['anything-csv']],
    ['db.query', 's3://us-bucket/b.csv', ['anything-csv']],
    ['x', 's3://us-bucket/ab.csv', []],
    ['x', 's3://asia-bucket/a.csv', []],
    ['x', 's3://eu-bucket/a/b.csv', []],
    ['dsar.erase', 'crm://contacts/42', ['any-resource']],
    ['dsar.export', 'anything at all', ['any-resource']],
    ['dsar.rectify', 'crm://contacts/42', []],
    ['files.read', 'file:///srv/*', ['literal-star']],
    ['files.read', 'file:///srv/x', []],
  ]
  for (const [action, resource, rules] of cases) {
    it(`${action} on ${resource} → ${rules.length === 0 ? 'none' : rules.join(', ')}`, () => {
      const decision = set.evaluate(input({ action, resource }))
      assert.deepEqual(names(decision), rules)
      assert.equal(decision.effect, rules.length === 0 ? 'deny' : 'allow')
    })
  }
})

describe('evaluate: the rule index', () => {
  // The index must find exactly the rules a scan of every glob would find.
  const segment = fc.constantFrom('a', 'b', 'ab', '*', '**', '?', '{a,b}', 'a*', '*b', '')
  const rule = fc.record({
    verbs: fc.array(
      fc
        .array(segment, { minLength: 1, maxLength: 3 })
        .map((s) => s.join('.'))
        .filter((v) => v !== ''),
      { minLength: 1, maxLength: 2 },
    ),
    resources: fc.option(
      fc.array(
        fc.array(segment, { minLength: 1, maxLength: 4 }).map((s) => `x://${s.join('/')}`),
        { minLength: 1, maxLength: 2 },
      ),
      { nil: undefined },
    ),
  })
  const name = (separator: string, max: number) =>
    fc
      .array(fc.constantFrom('a', 'b', 'ab', 'ba', ''), { minLength: 1, maxLength: max })
      .map((s) => s.join(separator))
  const action = fc.tuple(
    name('.', 3).filter((v) => v !== ''),
    name('/', 4).map((v) => `x://${v}`),
  )

  it('considers exactly the rules whose verb and resource globs match', () => {
    fc.assert(
      fc.property(
        fc.array(rule, { minLength: 1, maxLength: 6 }),
        fc.array(action, { maxLength: 10 }),
        (rules, actions) => {
          const text = policy(
            rules
              .map(
                (r, i) =>
                  `  - name: r${i}\n    effect: allow\n    match:\n      verbs: ${JSON.stringify(r.verbs)}\n` +
                  (r.resources === undefined ? '' : `      resources: ${JSON.stringify(r.resources)}\n`),
              )
              .join(''),
          )
          const set = buildSet(text)
          for (const [verb, resource] of actions) {
            const matches = (patterns: readonly string[], separator: string, value: string) =>
              patterns.some((p) => globMatches(p, separator, value))
            const expected = rules.flatMap((r, i) =>
              matches(r.verbs, '.', verb) &&
              (r.resources === undefined || matches(r.resources, '/', resource))
                ? [`r${i}`]
                : [],
            )
            const decision = set.evaluate({ actor: { id: 'a' }, action: verb, resource }, { explain: true })
            assert.deepEqual(
              decision.explanation?.map((t) => t.rule.name),
              expected,
            )
          }
        },
      ),
      { numRuns: 300 },
    )
  })
})

/** A plain regular-expression reading of the glob language, to check the engine against. */
function globMatches(pattern: string, separator: string, value: string): boolean {
  const notSeparator = `[^${separator === '.' ? '.' : '/'}]`
  const regex = pattern
    .replace(/[.+^$()|[\]\\/]/g, '\\$&')
    .replace(/\*\*|\*|\?|\{|\}|,/g, (t) =>
      t === '**'
        ? '.*'
        : t === '*'
          ? `${notSeparator}*`
          : t === '?'
            ? notSeparator
            : t === '{'
              ? '(?:'
              : t === '}'
                ? ')'
                : '|',
    )
  return new RegExp(`^${regex}$`, 's').test(value)
}

describe('evaluate: obligations of allow rules', () => {
  const toggled = (name: string, obligations: string) =>
    `  - name: ${name}\n    effect: allow\n    match: { verbs: db.query }\n    when: '"${name}" in context.on'\n    obligations:\n${obligations}`
  const set = buildSet(
    documents(
      `kind: Classifications
classifications: { pii.email: {}, pii.ssn: {}, pii.phone: {} }
fields: { users.email: pii.email }
`,
      `kind: MaskingProfile
name: support
fields:
  pii.email: { transform: partial, keep: email_domain }
  pii.ssn: redact
  users.phone: { transform: partial, keep_last: 4 }
default: keep
`,
      `kind: Policy\nname: obligations\nrules:\n${[
        toggled(
          'support',
          '      mask: { profile: support }\n      row_limit: 1000\n      max_ttl: 1h\n      statement_timeout: 30s\n',
        ),
        toggled(
          'override',
          '      mask:\n        profile: support\n        fields:\n          pii.email: redact\n          pii.phone: { transform: token, purpose: support }\n',
        ),
        toggled(
          'analytics',
          "      mask:\n        fields:\n          pii.email: { transform: pseudonym, purpose: analytics }\n          users.phone: keep\n          '*': { transform: redact, with: '***' }\n      row_limit: 50\n      max_ttl: 30m\n      statement_timeout: 5s\n",
        ),
        toggled('nulls', "      mask: { fields: { pii.ssn: 'null' } }\n"),
        toggled('reveal', '      mask: { fields: { users.email: keep, pii.ssn: keep } }\n'),
        toggled(
          'limits',
          '      rate_limit: { max: 10, per: 1m }\n      concurrency: { max: 2 }\n      step_up: false\n      reason_required: false\n',
        ),
        toggled(
          'strict',
          '      rate_limit:\n        - { max: 100, per: 1h, scope: global }\n        - { max: 5, per: 1d, scope: subject }\n      concurrency: { max: 1, scope: actor }\n      step_up: true\n      reason_required: true\n',
        ),
      ].join('')}`,
    ),
  )
  const redact: FieldTransform = { transform: 'redact', params: {} }
  const keep: FieldTransform = { transform: 'keep', params: {} }
  const emailDomain: FieldTransform = { transform: 'partial', params: { keep: 'email_domain' } }
  const last4: FieldTransform = { transform: 'partial', params: { keep_last: 4 } }
  const cases: { name: string; on: string[]; obligations: Decision['obligations'] }[] = [
    {
      name: 'a masking profile, with its default as *',
      on: ['support'],
      obligations: {
        mask: { 'pii.email': emailDomain, 'pii.ssn': redact, 'users.phone': last4, '*': keep },
        rowLimit: 1000,
        statementTimeoutSeconds: 30,
        maxTtlSeconds: 3600,
      },
    },
    {
      name: "a rule's own fields override its profile's",
      on: ['override'],
      obligations: {
        mask: {
          'pii.email': redact,
          'pii.ssn': redact,
          'users.phone': last4,
          '*': keep,
          'pii.phone': { transform: 'token', params: { purpose: 'support' } },
        },
      },
    },
    {
      name: 'across rules the least revealing transform of each field wins, and the smallest limits',
      on: ['support', 'analytics'],
      obligations: {
        mask: {
          'pii.email': { transform: 'pseudonym', params: { purpose: 'analytics' } },
          'pii.ssn': redact,
          'users.phone': last4,
          '*': { transform: 'redact', params: { with: '***' } },
        },
        rowLimit: 50,
        statementTimeoutSeconds: 5,
        maxTtlSeconds: 1800,
      },
    },
    {
      name: "a field named by table.column stays as strict as another rule's mask of its classification",
      on: ['support', 'reveal'],
      obligations: {
        mask: {
          'pii.email': emailDomain,
          'pii.ssn': redact,
          'users.phone': last4,
          '*': keep,
          'users.email': emailDomain,
        },
        rowLimit: 1000,
        statementTimeoutSeconds: 30,
        maxTtlSeconds: 3600,
      },
    },
    {
      name: "a field one rule reveals stays as strict as another rule's default",
      on: ['analytics', 'reveal'],
      obligations: {
        mask: {
          'pii.email': { transform: 'pseudonym', params: { purpose: 'analytics' } },
          'users.phone': keep,
          '*': { transform: 'redact', params: { with: '***' } },
          'users.email': { transform: 'pseudonym', params: { purpose: 'analytics' } },
          'pii.ssn': { transform: 'redact', params: { with: '***' } },
        },
        rowLimit: 50,
        statementTimeoutSeconds: 5,
        maxTtlSeconds: 1800,
      },
    },
    {
      name: 'between equally strict transforms the first rule keeps its own',
      on: ['support', 'nulls'],
      obligations: {
        mask: { 'pii.email': emailDomain, 'pii.ssn': redact, 'users.phone': last4, '*': keep },
        rowLimit: 1000,
        statementTimeoutSeconds: 30,
        maxTtlSeconds: 3600,
      },
    },
    {
      name: 'rate and concurrency limits with their default scopes; false requirements are left out',
      on: ['limits'],
      obligations: {
        rateLimits: [{ rule: 'limits', max: 10, perSeconds: 60, scope: 'actor' }],
        concurrencyLimits: [{ rule: 'limits', max: 2, scope: 'global' }],
      },
    },
    {
      name: 'every rate and concurrency limit of every rule applies; any true requirement holds',
      on: ['limits', 'strict'],
      obligations: {
        rateLimits: [
          { rule: 'limits', max: 10, perSeconds: 60, scope: 'actor' },
          { rule: 'strict', max: 100, perSeconds: 3600, scope: 'global' },
          { rule: 'strict', max: 5, perSeconds: 86400, scope: 'subject' },
        ],
        concurrencyLimits: [
          { rule: 'limits', max: 2, scope: 'global' },
          { rule: 'strict', max: 1, scope: 'actor' },
        ],
        stepUp: true,
        reasonRequired: true,
      },
    },
  ]
  for (const c of cases) {
    it(c.name, () => {
      const decision = set.evaluate(input({ context: { on: c.on } }))
      assert.equal(decision.effect, 'allow')
      assert.deepEqual(names(decision), c.on)
      assert.deepEqual(decision.obligations, c.obligations)
    })
  }
})

describe('evaluate: approval obligations', () => {
  const toggled = (name: string, approval: string) =>
    `  - name: ${name}\n    effect: require_approval\n    match: { verbs: db.query }\n    when: '"${name}" in context.on'\n    approval:\n${approval}`
  const set = buildSet(
    documents(
      GROUPS,
      `kind: Policy\nname: approvals\nrules:\n${[
        toggled(
          'two-step',
          '      steps:\n        - { name: dba-review, any_of: [group:dba], quorum: 2 }\n        - { any_of: [user:mia] }\n      timeout: 4h\n      escalate: { after: 1h, to: [group:managers] }\n      grant: { mode: window, max: 2h, default: 30m }\n      reason_required: true\n',
        ),
        toggled(
          'single',
          '      steps: [ { any_of: [group:dba], quorum: 2 } ]\n      separation_of_duties: false\n      timeout: 2h\n      step_up: true\n',
        ),
        toggled(
          'window',
          '      steps: [ { any_of: [idp:security] } ]\n      escalate: { after: 30m, to: [user:ciso] }\n      grant: { mode: window, max: 1h }\n',
        ),
        toggled(
          'auto',
          '      steps: [ { any_of: [group:dba] } ]\n      auto_approve: context.tables.all(t, t.startsWith("scratch."))\n',
        ),
        toggled(
          'auto-too',
          '      steps: [ { any_of: [group:dba] } ]\n      auto_approve: context.tables.size() < 3\n',
        ),
      ].join('')}`,
    ),
  )
  const dbaReview = { name: 'dba-review', anyOf: ['group:dba'], quorum: 2 }
  const mia = { name: 'step-2', anyOf: ['user:mia'], quorum: 1 }
  const base = {
    separationOfDuties: true,
    timeoutSeconds: 86400,
    reasonRequired: false,
    stepUp: false,
    grant: { mode: 'single_use' },
    autoApprove: false,
  } as const
  const cases: { name: string; on: string[]; tables?: string[]; approval: unknown; reasonRequired?: true }[] =
    [
      {
        name: 'named and numbered steps, quorum, timeout, escalation and a grant window',
        on: ['two-step'],
        approval: {
          ...base,
          steps: [dbaReview, mia],
          timeoutSeconds: 14400,
          escalation: { afterSeconds: 3600, to: ['group:managers'] },
          reasonRequired: true,
          grant: { mode: 'window', maxSeconds: 7200, defaultSeconds: 1800 },
        },
        reasonRequired: true,
      },
      {
        name: 'separation of duties can be turned off; the grant is single use by default',
        on: ['single'],
        approval: {
          ...base,
          steps: [{ name: 'step-1', anyOf: ['group:dba'], quorum: 2 }],
          separationOfDuties: false,
          timeoutSeconds: 7200,
          stepUp: true,
        },
      },
      {
        name: 'a window without default gets 15 minutes',
        on: ['window'],
        approval: {
          ...base,
          steps: [{ name: 'step-1', anyOf: ['idp:security'], quorum: 1 }],
          escalation: { afterSeconds: 1800, to: ['user:ciso'] },
          grant: { mode: 'window', maxSeconds: 3600, defaultSeconds: 900 },
        },
      },
      {
        name: 'two rules: same steps asked once, the shortest timeout, any separation of duties, single use beats a window',
        on: ['two-step', 'single'],
        approval: {
          ...base,
          steps: [dbaReview, mia],
          timeoutSeconds: 7200,
          escalation: { afterSeconds: 3600, to: ['group:managers'] },
          reasonRequired: true,
          stepUp: true,
        },
        reasonRequired: true,
      },
      {
        name: 'two windows: the shorter max and default; the earliest escalation',
        on: ['two-step', 'window'],
        approval: {
          ...base,
          steps: [dbaReview, mia, { name: 'step-1', anyOf: ['idp:security'], quorum: 1 }],
          timeoutSeconds: 14400,
          escalation: { afterSeconds: 1800, to: ['user:ciso'] },
          reasonRequired: true,
          grant: { mode: 'window', maxSeconds: 3600, defaultSeconds: 900 },
        },
        reasonRequired: true,
      },
      {
        name: 'auto_approve that holds',
        on: ['auto'],
        tables: ['scratch.a', 'scratch.b'],
        approval: {
          ...base,
          steps: [{ name: 'step-1', anyOf: ['group:dba'], quorum: 1 }],
          autoApprove: true,
        },
      },
      {
        name: 'auto_approve that does not hold',
        on: ['auto'],
        tables: ['scratch.a', 'public.users'],
        approval: {
          ...base,
          steps: [{ name: 'step-1', anyOf: ['group:dba'], quorum: 1 }],
          autoApprove: false,
        },
      },
      {
        name: 'auto_approve that fails to evaluate leaves the decision to people',
        on: ['auto'],
        approval: {
          ...base,
          steps: [{ name: 'step-1', anyOf: ['group:dba'], quorum: 1 }],
          autoApprove: false,
        },
      },
      {
        name: 'auto-approved only when every rule auto-approves',
        on: ['auto', 'auto-too'],
        tables: ['scratch.a', 'scratch.b'],
        approval: {
          ...base,
          steps: [{ name: 'step-1', anyOf: ['group:dba'], quorum: 1 }],
          autoApprove: true,
        },
      },
      {
        name: 'not auto-approved when one rule of two does not auto-approve',
        on: ['auto', 'auto-too'],
        tables: ['scratch.a', 'scratch.b', 'scratch.c'],
        approval: {
          ...base,
          steps: [{ name: 'step-1', anyOf: ['group:dba'], quorum: 1 }],
          autoApprove: false,
        },
      },
      {
        name: 'not auto-approved when a rule without auto_approve matches too',
        on: ['single', 'auto'],
        tables: ['scratch.a'],
        approval: {
          ...base,
          steps: [
            { name: 'step-1', anyOf: ['group:dba'], quorum: 2 },
            { name: 'step-1', anyOf: ['group:dba'], quorum: 1 },
          ],
          timeoutSeconds: 7200,
          stepUp: true,
        },
      },
    ]
  for (const c of cases) {
    it(c.name, () => {
      const context = c.tables === undefined ? { on: c.on } : { on: c.on, tables: c.tables }
      const decision = set.evaluate(input({ context }))
      assert.equal(decision.effect, 'require_approval')
      assert.deepEqual(names(decision), c.on)
      assert.deepEqual(decision.obligations, {
        approval: c.approval,
        ...(c.reasonRequired === undefined ? {} : { reasonRequired: true }),
      })
    })
  }
})

describe('evaluate: consent obligations', () => {
  const set = buildSet(`kind: Policy
name: consent
rules:
  - name: marketing
    effect: require_consent
    match: { verbs: crm.export }
    consent: { purpose: marketing, subject: context.subject, notice: We will email you offers }
  - name: marketing-again
    effect: require_consent
    match: { verbs: crm.* }
    consent: { purpose: marketing, subject: context.subject }
  - name: profiling
    effect: require_consent
    match: { verbs: crm.export }
    consent: { purpose: profiling, subject: '"subject-" + actor.id' }
`)
  it('names subject, purpose and notice, once per subject and purpose', () => {
    const decision = set.evaluate(input({ action: 'crm.export', context: { subject: 'subject-1' } }))
    assert.equal(decision.effect, 'require_consent')
    assert.deepEqual(names(decision), ['marketing', 'marketing-again', 'profiling'])
    assert.deepEqual(decision.obligations, {
      consent: [
        { subject: 'subject-1', purpose: 'marketing', notice: 'We will email you offers' },
        { subject: 'subject-alice', purpose: 'profiling' },
      ],
    })
  })

  const broken: [label: string, context: Record<string, unknown>][] = [
    ['missing', {}],
    ['empty', { subject: '' }],
    ['not a string', { subject: 42 }],
  ]
  for (const [label, context] of broken) {
    it(`denies when the subject is ${label}`, () => {
      const decision = set.evaluate(input({ action: 'crm.export', context }), { explain: true })
      const message = "the data subject of rule 'marketing' (context.subject) could not be determined"
      assert.deepEqual(decision.reason, {
        code: 'condition_error',
        message: `${message}, so the action is denied`,
      })
      assert.deepEqual(names(decision), ['marketing'])
      const traces = decision.explanation?.filter((t) => t.rule.name === 'marketing')
      assert.deepEqual(traces, [
        { rule: ref('marketing', 'require_consent', 4), outcome: 'error', detail: message },
      ])
    })
  }
})

describe('evaluate: explain', () => {
  const set = buildSet(`kind: Policy
name: explain
rules:
  - name: no-ddl
    effect: deny
    match: { verbs: db.query }
    when: context.kind == "ddl"
  - name: reads
    effect: allow
    match: { verbs: db.query }
    when: context.kind == "read"
  - name: always
    effect: allow
    match: { verbs: db.query }
  - name: needs-ip
    effect: allow
    match: { verbs: db.query }
    when: in_cidr(context.ip, "10.0.0.0/8")
  - name: other-verb
    effect: allow
    match: { verbs: db.exec }
`)
  const trace = (
    name: string,
    effect: Decision['effect'],
    line: number,
    outcome: string,
    detail: string,
  ) => ({
    rule: ref(name, effect, line),
    outcome,
    detail,
  })

  it('traces every candidate rule with its condition and value; rules for other verbs are not candidates', () => {
    const decision = set.evaluate(input({ context: { kind: 'read', ip: '192.168.1.1' } }), { explain: true })
    assert.equal(decision.effect, 'allow')
    assert.deepEqual(decision.explanation, [
      trace('no-ddl', 'deny', 4, 'not_matched', 'context.kind == "ddl" → false'),
      trace('reads', 'allow', 8, 'matched', 'context.kind == "read" → true'),
      trace('always', 'allow', 12, 'matched', 'no condition'),
      trace('needs-ip', 'allow', 15, 'not_matched', 'in_cidr(context.ip, "10.0.0.0/8") → false'),
    ])
  })

  it('traces an error and skips the rest', () => {
    const decision = set.evaluate(input({ context: { kind: 'write' } }), { explain: true })
    assert.deepEqual(decision.explanation, [
      trace('no-ddl', 'deny', 4, 'not_matched', 'context.kind == "ddl" → false'),
      trace('reads', 'allow', 8, 'not_matched', 'context.kind == "read" → false'),
      trace('always', 'allow', 12, 'matched', 'no condition'),
      trace('needs-ip', 'allow', 15, 'error', 'No such key: ip'),
    ])
  })

  it('traces rules skipped after a deny', () => {
    const decision = set.evaluate(input({ context: { kind: 'ddl' } }), { explain: true })
    const skipped = 'not evaluated: a deny rule already decided'
    assert.deepEqual(decision.explanation, [
      trace('no-ddl', 'deny', 4, 'matched', 'context.kind == "ddl" → true'),
      trace('reads', 'allow', 8, 'skipped', skipped),
      trace('always', 'allow', 12, 'skipped', skipped),
      trace('needs-ip', 'allow', 15, 'skipped', skipped),
    ])
  })

  it('is empty for an invalid input and absent unless asked for', () => {
    assert.deepEqual(set.evaluate(input({ action: '' }), { explain: true }).explanation, [])
    assert.equal('explanation' in set.evaluate(input({ context: { kind: 'read', ip: '10.0.0.1' } })), false)
  })

  it('does not change the decision', () => {
    const plain = set.evaluate(input({ context: { kind: 'read', ip: '10.0.0.1' } }))
    const { explanation, ...explained } = set.evaluate(input({ context: { kind: 'read', ip: '10.0.0.1' } }), {
      explain: true,
    })
    assert.ok(explanation !== undefined)
    assert.deepEqual(explained, plain)
  })
})

describe('evaluate: policy version', () => {
  const a = 'kind: Policy\nname: a\nrules: []\n'
  const b = 'kind: Policy\nname: b\nrules: []\n'

  it('is the same for the same files, in any order, and on every decision', () => {
    const one = buildSet({ 'a.yaml': a, 'b.yaml': b })
    const two = buildSet({ 'b.yaml': b, 'a.yaml': a })
    assert.match(one.version, /^sha256:[0-9a-f]{16}$/)
    assert.equal(one.version, two.version)
    assert.equal(one.version, policyVersion(sourceFiles({ 'a.yaml': a, 'b.yaml': b })))
    assert.equal(one.evaluate(input()).policyVersion, one.version)
    assert.equal(one.evaluate(input({ action: '' })).policyVersion, one.version)
  })

  const changes: [label: string, files: Record<string, string>][] = [
    ['a changed character', { 'a.yaml': a.replace('rules: []', 'rules:  []'), 'b.yaml': b }],
    ['a renamed file', { 'a2.yaml': a, 'b.yaml': b }],
    ['a file fewer', { 'a.yaml': a }],
    ['content moved between files', { 'a.yaml': `${a}---\n${b}`, 'b.yaml': '' }],
  ]
  for (const [label, files] of changes) {
    it(`changes with ${label}`, () => {
      assert.notEqual(buildSet(files).version, buildSet({ 'a.yaml': a, 'b.yaml': b }).version)
    })
  }
})

describe('evaluate: determinism', () => {
  const text = documents(
    GROUPS,
    `kind: Policy
name: d
rules:
  - name: dba-reads
    effect: allow
    match: { verbs: db.query, resources: "pg://prod/**" }
    when: member_of("dba") && within_hours(now, "Europe/Berlin", "08:00", "18:00")
    obligations: { row_limit: 10, rate_limit: { max: 1, per: 1m } }
  - name: writes
    effect: require_approval
    match: { verbs: db.exec, resources: "pg://prod/**" }
    approval: { steps: [ { any_of: [group:dba] } ], auto_approve: has_grant() }
`,
  )
  const set = buildSet(text)
  const read = input()
  const write = input({
    action: 'db.exec',
    facts: { grants: [{ id: 'g', verb: 'db.exec', resource: 'pg://prod/**' }] },
  })

  it('gives deep-equal decisions for the same input, whatever was decided in between', () => {
    const first = set.evaluate(read, { explain: true })
    const other = set.evaluate(write, { explain: true })
    assert.deepEqual(set.evaluate(read, { explain: true }), first)
    assert.deepEqual(set.evaluate(write, { explain: true }), other)
    assert.equal(first.effect, 'allow')
    assert.equal(other.obligations.approval?.autoApprove, true)
  })

  it('does not change its input', () => {
    const frozen = structuredClone(write)
    deepFreeze(frozen)
    assert.deepEqual(set.evaluate(frozen), set.evaluate(write))
    assert.deepEqual(frozen, write)
  })

  it('two sets compiled from the same files decide alike', () => {
    const twin = buildSet(text)
    assert.equal(twin.version, set.version)
    for (const value of [read, write, input({ context: { time: '2026-03-02T20:00:00Z' } })]) {
      assert.deepEqual(twin.evaluate(value, { explain: true }), set.evaluate(value, { explain: true }))
    }
  })
})

function deepFreeze(value: unknown): void {
  if (value === null || typeof value !== 'object') return
  Object.freeze(value)
  for (const v of Object.values(value)) deepFreeze(v)
}

const TIME_PROBLEM = 'context.time must be an RFC 3339 timestamp with a zone, e.g. 2026-01-31T09:30:00Z'

describe('evaluate: inputs that cannot be evaluated', () => {
  const set = buildSet(
    documents(
      GROUPS,
      'kind: Policy\nname: p\nrules:\n  - name: all\n    effect: allow\n    match: { verbs: "**" }\n',
    ),
  )
  const valid = input()
  const cases: [label: string, value: unknown, problem: string][] = [
    ['no input', null, 'the input must be an object'],
    ['a list', [valid], 'the input must be an object'],
    ['no actor', { ...valid, actor: undefined }, 'actor must be an object with an id'],
    ['an actor that is a string', { ...valid, actor: 'alice' }, 'actor must be an object with an id'],
    ['an actor without id', { ...valid, actor: { groups: [] } }, 'actor.id must be a non-empty string'],
    ['an empty actor id', { ...valid, actor: { id: '' } }, 'actor.id must be a non-empty string'],
    [
      'actor groups that are not a list',
      { ...valid, actor: { id: 'a', groups: 'dba' } },
      'actor.groups must be a list of strings',
    ],
    [
      'actor roles with a number',
      { ...valid, actor: { id: 'a', roles: ['x', 1] } },
      'actor.roles must be a list of strings',
    ],
    [
      'actor attributes that are a list',
      { ...valid, actor: { id: 'a', attributes: [] } },
      'actor.attributes must be an object',
    ],
    ['no action', { ...valid, action: undefined }, 'action must be a non-empty string'],
    [
      'a resource with a line break',
      { ...valid, resource: 'pg://prod/a\nb' },
      'resource must not contain a line break',
    ],
    ['an overlong action', { ...valid, action: 'x'.repeat(8193) }, 'action is longer than 8192 characters'],
    ['a purpose that is not a string', { ...valid, purpose: 5 }, 'purpose must be a string'],
    ['a context that is a list', { ...valid, context: [] }, 'context must be an object'],
    ['a context time in words', { ...valid, context: { time: 'yesterday' } }, TIME_PROBLEM],
    ['a context time without zone', { ...valid, context: { time: '2026-03-02T10:00:00' } }, TIME_PROBLEM],
    ['a context time that is a number', { ...valid, context: { time: 1772445600 } }, TIME_PROBLEM],
    ['a context time with month 13', { ...valid, context: { time: '2026-13-01T10:00:00Z' } }, TIME_PROBLEM],
    ['a context time on February 30', { ...valid, context: { time: '2026-02-30T10:00:00Z' } }, TIME_PROBLEM],
    ['a context time at hour 24', { ...valid, context: { time: '2026-03-02T24:00:00Z' } }, TIME_PROBLEM],
    [
      'a context time with offset +25:00',
      { ...valid, context: { time: '2026-03-02T10:00:00+25:00' } },
      TIME_PROBLEM,
    ],
    ['facts that are a string', { ...valid, facts: 'x' }, 'facts must be an object'],
    [
      'grants that are not a list',
      { ...valid, facts: { grants: {} } },
      'facts.grants must be a list of objects',
    ],
    [
      'consents that are strings',
      { ...valid, facts: { consents: ['x'] } },
      'facts.consents must be a list of objects',
    ],
    ['counters that are a list', { ...valid, facts: { counters: [] } }, 'facts.counters must be an object'],
  ]
  for (const [label, value, problem] of cases) {
    it(`denies ${label}: ${problem}`, () => {
      assert.deepEqual(set.evaluate(value as PolicyInput), {
        effect: 'deny',
        reason: { code: 'invalid_input', message: `the action could not be evaluated: ${problem}` },
        rules: [],
        obligations: {},
        policyVersion: set.version,
      })
    })
  }

  it('accepts a context time with an offset and fractions of a second', () => {
    const decision = set.evaluate(input({ context: { time: '2026-03-02T11:00:00.123+01:00' } }))
    assert.equal(decision.effect, 'allow')
  })

  it('accepts February 29 in a leap year', () => {
    assert.equal(set.evaluate(input({ context: { time: '2028-02-29T10:00:00Z' } })).effect, 'allow')
  })

  it('accepts a deeply nested context, which rules read as deep as they need', () => {
    assert.equal(set.evaluate(input({ context: nested(1000) })).effect, 'allow')
  })
})

function nested(depth: number): Record<string, unknown> {
  let value: Record<string, unknown> = { leaf: true }
  for (let i = 0; i < depth; i++) value = { child: value }
  return value
}

describe('evaluate: conditions that cannot be evaluated', () => {
  const set = buildSet(`kind: Policy
name: errors
rules:
  - name: office-network
    effect: deny
    match: { verbs: db.query }
    when: '!in_cidr(context.ip, "10.0.0.0/8")'
  - name: flagged
    effect: allow
    match: { verbs: db.query }
    when: context.flag
  - name: exports
    effect: allow
    match: { verbs: crm.export }
  - name: exports-with-rows
    effect: allow
    match: { verbs: crm.export }
    when: context.rows < 100
  - name: approval-first
    effect: require_approval
    match: { verbs: db.exec }
    approval: { steps: [ { any_of: [user:mia] } ] }
  - name: exec-check
    effect: allow
    match: { verbs: db.exec }
    when: context.missing == 1
`)
  const cases: [label: string, value: PolicyInput, rule: string, problem: string][] = [
    ['a missing context field', input(), 'office-network', 'No such key: ip'],
    [
      'a field of the wrong type',
      input({ context: { ip: 10 } }),
      'office-network',
      "found no matching overload for 'in_cidr(double, string)'",
    ],
    [
      'a condition that is not a bool at run time',
      input({ context: { ip: '10.0.0.1', flag: 'yes' } }),
      'flagged',
      "condition of rule 'flagged' gave string, not a bool",
    ],
    [
      'an allow rule that fails after another allow rule matched',
      input({ action: 'crm.export', context: { rows: 'many' } }),
      'exports-with-rows',
      'no such overload: string < int',
    ],
  ]
  for (const [label, value, rule, problem] of cases) {
    it(`denies ${label}, naming the rule`, () => {
      const decision = set.evaluate(value)
      assert.equal(decision.effect, 'deny')
      assert.deepEqual(decision.reason, {
        code: 'condition_error',
        message: `rule '${rule}' could not be evaluated, so the action is denied: ${problem}`,
      })
      assert.deepEqual(names(decision), [rule])
      assert.deepEqual(decision.obligations, {})
    })
  }

  it('does not evaluate a failing rule below the effect that decided', () => {
    const decision = set.evaluate(input({ action: 'db.exec' }), { explain: true })
    assert.equal(decision.effect, 'require_approval')
    assert.deepEqual(
      decision.explanation?.map((t) => t.outcome),
      ['matched', 'skipped'],
    )
  })
})
