// What the policy compiler says about each kind of mistake: the exact file, line,
// column, field path, message and hint, so that authors can fix policies from the
// error alone. A set with any mistake is refused as a whole.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { compilePolicySet } from '../../src/policy/index.ts'
import type { ErrorDetail } from '../../src/shared/index.ts'
import {
  buildSet,
  compileErrors,
  DEFAULT_FILE,
  documents,
  type PolicyText,
  policy,
  textAt,
} from './fixtures/policy-fixtures.ts'

const GROUPS = `kind: Groups
groups:
  dba: { users: [alice], idp_groups: [db-admins] }
`
const CLASSIFICATIONS = `kind: Classifications
classifications:
  pii.email: {}
  pii.ssn: {}
`
const PROFILE = `kind: MaskingProfile
name: support
fields:
  pii.email: redact
`
/** Groups, classifications and a masking profile: the policy after them starts on line 15. */
const DECLARATIONS = documents(GROUPS, CLASSIFICATIONS, PROFILE, '')

const GLOB_HINT = 'globs use * (within a segment), ** (across), ? and {a,b}; escape with \\'
const CEL_HINT = 'see `jitgate policy functions` for variables and functions'
const YAML_HINT = 'check indentation, quoting and that each key appears once'

interface ErrorCase {
  readonly name: string
  readonly text: PolicyText
  readonly errors: readonly ErrorDetail[]
  /** For errors inside a string: the source text the first error points at. */
  readonly pointsAt?: string
}

function check(c: ErrorCase): void {
  const errors = compileErrors(c.text)
  assert.deepEqual(errors, c.errors)
  const first = errors[0]
  if (c.pointsAt !== undefined && first !== undefined && typeof c.text === 'string') {
    assert.ok(
      textAt(c.text, first.line ?? 0, first.column ?? 0).startsWith(c.pointsAt),
      `expected ${first.line}:${first.column} to point at ${JSON.stringify(c.pointsAt)}`,
    )
  }
}

const at = (
  line: number,
  column: number,
  path: string | undefined,
  message: string,
  hint?: string,
): ErrorDetail => ({
  file: DEFAULT_FILE,
  line,
  column,
  ...(path === undefined ? {} : { path }),
  message,
  ...(hint === undefined ? {} : { hint }),
})

describe('compilePolicySet: YAML and document structure', () => {
  const cases: ErrorCase[] = [
    {
      name: 'an unclosed flow sequence is a YAML syntax error at the end of the text',
      text: 'kind: Policy\nname: p\nrules: [\n',
      errors: [
        at(
          4,
          1,
          undefined,
          'YAML syntax: Flow sequence in block collection must be sufficiently indented and end with a ]',
          YAML_HINT,
        ),
      ],
    },
    {
      name: 'a key given twice is a YAML syntax error at the second one',
      text: 'kind: Policy\nname: p\nname: q\nrules: []\n',
      errors: [at(3, 1, undefined, 'YAML syntax: Map keys must be unique', YAML_HINT)],
    },
    {
      name: 'a tab used as indentation is a YAML syntax error',
      text: 'kind: Policy\nname: p\nrules:\n\t- name: r\n',
      errors: [at(4, 1, undefined, 'YAML syntax: Tabs are not allowed as indentation', YAML_HINT)],
    },
    {
      name: 'an alias bomb is refused',
      text: 'a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n',
      errors: [at(1, 1, undefined, 'YAML: Excessive alias count indicates a resource exhaustion attack')],
    },
    {
      name: 'an unknown kind suggests the closest one',
      text: 'kind: Polciy\nname: p\nrules: []\n',
      errors: [at(1, 7, '/kind', 'unknown kind "Polciy"', "did you mean 'Policy'?")],
    },
    {
      name: 'an unknown kind far from any lists them all',
      text: 'kind: Firewall\n',
      errors: [
        at(
          1,
          7,
          '/kind',
          'unknown kind "Firewall"',
          'kind is one of Policy, Groups, Classifications, MaskingProfile',
        ),
      ],
    },
    {
      name: 'a document without kind',
      text: 'name: p\nrules: []\n',
      errors: [
        at(
          1,
          1,
          '',
          'document 1 has no kind',
          'kind is one of Policy, Groups, Classifications, MaskingProfile',
        ),
      ],
    },
    {
      name: 'a document that is not a mapping names its index',
      text: 'kind: Policy\nname: p\nrules: []\n---\n- a\n- b\n',
      errors: [
        at(
          5,
          1,
          '',
          'document 2 is not a mapping',
          'start it with kind: Policy | Groups | Classifications | MaskingProfile',
        ),
      ],
    },
    {
      name: 'a policy name that is not lowercase',
      text: 'kind: Policy\nname: Bad Name\nrules: []\n',
      errors: [
        at(2, 7, '/name', `'name' has an invalid value "Bad Name" (lowercase letters, digits, . _ -)`),
      ],
    },
    {
      name: 'a group name that is not a name, whose value would otherwise go unchecked',
      text: 'kind: Groups\ngroups:\n  DBA: { users: alice }\n',
      errors: [
        at(3, 3, '/groups/DBA', `invalid name 'DBA' in 'groups'`, 'names must match ^[a-z0-9][a-z0-9._-]*$'),
      ],
    },
    {
      name: 'a classification name that is not a name',
      text: 'kind: Classifications\nclassifications:\n  PII Email: {}\n',
      errors: [
        at(
          3,
          3,
          '/classifications/PII Email',
          `invalid name 'PII Email' in 'classifications'`,
          'names must match ^[a-z0-9][a-z0-9._-]*$',
        ),
      ],
    },
    {
      name: 'rules that are not a list',
      text: 'kind: Policy\nname: p\nrules: {}\n',
      errors: [at(3, 8, '/rules', `'rules' must be a list`)],
    },
  ]
  for (const c of cases) it(c.name, () => check(c))
})

describe('compilePolicySet: rule fields', () => {
  const cases: ErrorCase[] = [
    {
      name: 'an unknown field points at the key and suggests the right one',
      text: policy('  - name: r\n    effect: allow\n    match: { verbs: db.query }\n    whn: "true"\n'),
      errors: [at(7, 5, '/rules/0/whn', `unknown field 'whn' in 'rules.0'`, "did you mean 'when'?")],
    },
    {
      name: 'an unknown field unlike any lists the allowed ones',
      text: policy('  - name: r\n    effect: allow\n    match: { verbs: db.query, tables: [a] }\n'),
      errors: [
        at(
          6,
          31,
          '/rules/0/match/tables',
          `unknown field 'tables' in 'rules.0.match'`,
          'allowed fields: verbs, resources',
        ),
      ],
    },
    {
      name: 'a wrong effect lists the effects and suggests the closest',
      text: policy('  - name: r\n    effect: alow\n    match: { verbs: db.query }\n'),
      errors: [
        at(
          5,
          13,
          '/rules/0/effect',
          `'rules.0.effect' must be one of allow, deny, require_approval, require_consent; got "alow"`,
          "did you mean 'allow'?",
        ),
      ],
    },
    {
      name: 'a missing required field points at the rule',
      text: policy('  - name: r\n    match: { verbs: db.query }\n'),
      errors: [at(4, 5, '/rules/0', `missing required field 'effect'`)],
    },
    {
      name: 'a value of the wrong type',
      text: policy(
        '  - name: r\n    effect: allow\n    match: { verbs: x }\n    obligations: { step_up: "yes" }\n',
      ),
      errors: [
        at(
          7,
          29,
          '/rules/0/obligations/step_up',
          `'rules.0.obligations.step_up' must be true or false; got "yes"`,
        ),
      ],
    },
    {
      name: 'verbs that are neither a string nor a list',
      text: policy('  - name: r\n    effect: allow\n    match: { verbs: 5 }\n'),
      errors: [
        at(
          6,
          21,
          '/rules/0/match/verbs',
          `'rules.0.match.verbs' does not have any of the allowed forms`,
          'see `jitgate policy schema`',
        ),
      ],
    },
    {
      name: 'an unknown field in one rate limit',
      text: policy(
        '  - name: r\n    effect: allow\n    match: { verbs: x }\n    obligations:\n      rate_limit: { max: 5, per: 1m, scpoe: actor }\n',
      ),
      errors: [
        at(
          8,
          38,
          '/rules/0/obligations/rate_limit/scpoe',
          `unknown field 'scpoe' in 'rules.0.obligations.rate_limit'`,
          'allowed fields: max, per, scope',
        ),
      ],
    },
    {
      name: 'a wrong value in a list of rate limits',
      text: policy(
        '  - name: r\n    effect: allow\n    match: { verbs: x }\n    obligations:\n      rate_limit: [ { max: 5, per: 1m }, { max: 0, per: 1h } ]\n',
      ),
      errors: [
        at(
          8,
          49,
          '/rules/0/obligations/rate_limit/1/max',
          `'rules.0.obligations.rate_limit.1.max': expected integer to be greater or equal to 1`,
        ),
      ],
    },
    {
      name: 'a verb in a list that is not a string',
      text: policy('  - name: r\n    effect: allow\n    match: { verbs: [db.query, 5] }\n'),
      errors: [at(6, 32, '/rules/0/match/verbs/1', `'rules.0.match.verbs.1' must be a string; got 5`)],
    },
    {
      name: 'a malformed duration',
      text: policy(
        '  - name: r\n    effect: allow\n    match: { verbs: x }\n    obligations: { max_ttl: 5x }\n',
      ),
      errors: [
        at(
          7,
          29,
          '/rules/0/obligations/max_ttl',
          `'rules.0.obligations.max_ttl' has an invalid value "5x" (e.g. 90s, 15m, 1h30m, 2d)`,
        ),
      ],
    },
    {
      name: 'an approver that is not user:, group: or idp:',
      text: policy(
        '  - name: r\n    effect: require_approval\n    match: { verbs: x }\n    approval: { steps: [ { any_of: [alice] } ] }\n',
      ),
      errors: [
        at(
          7,
          37,
          '/rules/0/approval/steps/0/any_of/0',
          `'rules.0.approval.steps.0.any_of.0' has an invalid value "alice" (user:ID, group:NAME (a policy group) or idp:NAME (an identity-provider group))`,
        ),
      ],
    },
  ]
  for (const c of cases) it(c.name, () => check(c))
})

describe('compilePolicySet: globs', () => {
  const cases: ErrorCase[] = [
    {
      name: 'an unclosed { in a verb glob points at the {',
      text: policy(
        '  - name: r\n    effect: allow\n    match: { verbs: "db.{query,exec", resources: "pg://prod/*" }\n',
      ),
      errors: [
        at(6, 25, '/rules/0/match/verbs', `bad glob 'db.{query,exec': '{' is never closed`, GLOB_HINT),
      ],
      pointsAt: '{query',
    },
    {
      name: 'an unclosed { in the second resource glob of a list points at the {',
      text: policy(
        '  - name: r\n    effect: allow\n    match:\n      verbs: db.query\n      resources: [ "pg://a", "pg://{prod,dev/x" ]\n',
      ),
      errors: [
        at(
          8,
          36,
          '/rules/0/match/resources/1',
          `bad glob 'pg://{prod,dev/x': '{' is never closed`,
          GLOB_HINT,
        ),
      ],
      pointsAt: '{prod',
    },
    {
      name: 'a } without {',
      text: policy("  - name: r\n    effect: allow\n    match: { verbs: 'db}' }\n"),
      errors: [at(6, 24, '/rules/0/match/verbs', `bad glob 'db}': '}' without a matching '{'`, GLOB_HINT)],
      pointsAt: '}',
    },
    {
      name: 'nested { } groups',
      text: policy("  - name: r\n    effect: allow\n    match: { verbs: 'db.{a,{b}}' }\n"),
      errors: [
        at(
          6,
          28,
          '/rules/0/match/verbs',
          `bad glob 'db.{a,{b}}': nested { } groups are not supported`,
          GLOB_HINT,
        ),
      ],
      pointsAt: '{b}',
    },
    {
      name: 'a lone trailing backslash',
      text: policy("  - name: r\n    effect: allow\n    match: { verbs: 'db\\' }\n"),
      errors: [
        at(6, 24, '/rules/0/match/verbs', `bad glob 'db\\': pattern ends with a lone backslash`, GLOB_HINT),
      ],
      pointsAt: "\\'",
    },
  ]
  for (const c of cases) it(c.name, () => check(c))
})

/** A rule whose condition is written as `when` (one or more lines, from line 7 on). */
const withWhen = (when: string): string =>
  policy(`  - name: r\n    effect: allow\n    match: { verbs: db.query }\n    when: ${when}\n`)

describe('compilePolicySet: CEL conditions', () => {
  const syntax = (line: number, column: number, message: string): ErrorDetail =>
    at(line, column, '/rules/0/when', `CEL syntax error: ${message}`)
  const cases: ErrorCase[] = [
    {
      name: 'a syntax error in a plain scalar points into the expression',
      text: withWhen('actor.id == "a" &&& true'),
      errors: [syntax(7, 29, 'Unexpected character: &')],
      pointsAt: '& true',
    },
    {
      name: 'a syntax error in a single-quoted scalar accounts for the quote',
      text: withWhen(`'actor.id == "a" &&& true'`),
      errors: [syntax(7, 30, 'Unexpected character: &')],
      pointsAt: '& true',
    },
    {
      name: "a syntax error in a single-quoted scalar accounts for '' escapes",
      text: withWhen(`'actor.id == ''a'' &&& true'`),
      errors: [syntax(7, 32, 'Unexpected character: &')],
      pointsAt: '& true',
    },
    {
      name: 'a syntax error in a double-quoted scalar accounts for \\" escapes',
      text: withWhen('"actor.id == \\"a\\" &&& true"'),
      errors: [syntax(7, 32, 'Unexpected character: &')],
      pointsAt: '& true',
    },
    {
      name: 'a syntax error in a | block scalar points at its line and column',
      text: withWhen('|\n      actor.id == "a" &&\n        actor.roles.size() > ) 0'),
      errors: [syntax(9, 30, 'Unexpected token: RPAREN')],
      pointsAt: ') 0',
    },
    {
      name: 'a syntax error in a | block scalar that starts with a blank line',
      text: withWhen('|\n\n      actor.id == "a" &&\n      actor.roles.size() > ) 0'),
      errors: [syntax(10, 28, 'Unexpected token: RPAREN')],
      pointsAt: ') 0',
    },
    {
      name: 'a syntax error in a > folded block scalar',
      text: withWhen('>\n      actor.id == "a" &&\n      actor.roles.size() > ) 0'),
      errors: [syntax(9, 28, 'Unexpected token: RPAREN')],
      pointsAt: ') 0',
    },
    {
      name: 'a syntax error on the second line of a plain scalar that spans lines',
      text: withWhen('actor.id == "a" &&\n      actor.roles.size() > ) 0'),
      errors: [syntax(8, 28, 'Unexpected token: RPAREN')],
      pointsAt: ') 0',
    },
    {
      name: 'a syntax error in a rule written as a flow mapping',
      text: policy('  - { name: r, effect: allow, match: { verbs: x }, when: "a &&& b" }\n'),
      errors: [syntax(4, 63, 'Unexpected character: &')],
      pointsAt: '& b',
    },
    {
      name: 'an expression cut short points just after its end',
      text: withWhen('"actor.id == "'),
      errors: [syntax(7, 23, 'Unexpected token: EOF')],
      pointsAt: ' "',
    },
    {
      name: 'a type error points at the unknown field',
      text: withWhen('actor.grups.exists(g, g == "dba")'),
      errors: [at(7, 17, '/rules/0/when', 'CEL type error: No such key: grups', CEL_HINT)],
      pointsAt: 'grups',
    },
    {
      name: 'an unknown variable',
      text: withWhen('user.id == "a"'),
      errors: [at(7, 11, '/rules/0/when', 'CEL type error: Unknown variable: user', CEL_HINT)],
    },
    {
      name: 'a function with the wrong arguments',
      text: withWhen('in_cidr(context.ip)'),
      errors: [
        at(7, 11, '/rules/0/when', `CEL type error: found no matching overload for 'in_cidr(dyn)'`, CEL_HINT),
      ],
    },
    {
      name: 'a condition that is not a bool',
      text: withWhen('actor.id'),
      errors: [at(7, 11, '/rules/0/when', 'expression has type string, but a bool is needed here')],
    },
    {
      name: 'an auto_approve condition that is not a bool',
      text: policy(
        '  - name: r\n    effect: require_approval\n    match: { verbs: x }\n    approval:\n      steps: [ { any_of: [user:bob] } ]\n      auto_approve: actor.id\n',
      ),
      errors: [
        at(9, 21, '/rules/0/approval/auto_approve', 'expression has type string, but a bool is needed here'),
      ],
    },
    {
      name: 'a consent subject that is not a string',
      text: policy(
        '  - name: r\n    effect: require_consent\n    match: { verbs: x }\n    consent: { purpose: ads, subject: "1 + 2" }\n',
      ),
      errors: [at(7, 40, '/rules/0/consent/subject', 'expression has type int, but a string is needed here')],
    },
  ]
  for (const c of cases) it(c.name, () => check(c))
})

describe('compilePolicySet: literal arguments of policy functions', () => {
  const cases: ErrorCase[] = [
    {
      name: 'an unknown group in member_of() points at the literal',
      text: `${DECLARATIONS}${policy('  - name: r\n    effect: allow\n    match: { verbs: db.query }\n    when: actor.id == "x" || member_of("dbb")\n')}`,
      errors: [at(21, 40, '/rules/0/when', `unknown group 'dbb' in member_of()`, "did you mean 'dba'?")],
      pointsAt: '"dbb"',
    },
    {
      name: 'a bad CIDR literal',
      text: withWhen('in_cidr(context.ip, "10.0.0.0/33")'),
      errors: [
        at(
          7,
          31,
          '/rules/0/when',
          `'10.0.0.0/33' is not a CIDR range`,
          'write e.g. 10.0.0.0/8 or 2001:db8::/32',
        ),
      ],
      pointsAt: '"10.0.0.0/33"',
    },
    {
      name: 'a bad time zone literal',
      text: withWhen('within_hours(now, "Europe/Berln", "09:00", "17:00")'),
      errors: [
        at(
          7,
          29,
          '/rules/0/when',
          `'Europe/Berln' is not a known IANA time zone`,
          'e.g. Europe/Berlin, America/New_York, UTC',
        ),
      ],
      pointsAt: '"Europe/Berln"',
    },
    {
      name: 'a bad clock time literal',
      text: withWhen('within_hours(now, "UTC", "9:00", "17:00")'),
      errors: [
        at(7, 36, '/rules/0/when', `'9:00' is not a time of day`, "write 24-hour 'HH:MM', e.g. '09:00'"),
      ],
      pointsAt: '"9:00"',
    },
    {
      name: 'a bad glob literal',
      text: withWhen('glob("pg://{a", resource)'),
      errors: [at(7, 16, '/rules/0/when', `'pg://{a' is not a valid glob`)],
      pointsAt: '"pg://{a"',
    },
  ]
  for (const c of cases) it(c.name, () => check(c))
})

describe('compilePolicySet: references between documents', () => {
  const rule = (body: string) => `${DECLARATIONS}${policy(`  - name: r\n${body}`)}`
  const cases: ErrorCase[] = [
    {
      name: 'an unknown group among the approvers',
      text: rule(
        '    effect: require_approval\n    match: { verbs: x }\n    approval:\n      steps:\n        - any_of: [user:bob, group:dbx]\n',
      ),
      errors: [
        at(23, 30, '/rules/0/approval/steps/0/any_of/1', `unknown group 'dbx'`, "did you mean 'group:dba'?"),
      ],
    },
    {
      name: 'an unknown group to escalate to, unlike any declared',
      text: rule(
        '    effect: require_approval\n    match: { verbs: x }\n    approval:\n      steps: [ { any_of: [group:dba] } ]\n      escalate: { after: 1h, to: [group:security] }\n',
      ),
      errors: [
        at(
          23,
          35,
          '/rules/0/approval/escalate/to/0',
          `unknown group 'security'`,
          'declare it in a Groups document, or write idp:NAME for an identity-provider group',
        ),
      ],
    },
    {
      name: 'an unknown masking profile',
      text: rule(
        '    effect: allow\n    match: { verbs: x }\n    obligations:\n      mask: { profile: suport }\n',
      ),
      errors: [
        at(
          22,
          24,
          '/rules/0/obligations/mask/profile',
          `unknown masking profile 'suport'`,
          "did you mean 'support'?",
        ),
      ],
    },
    {
      name: 'an unknown classification as a mask key points at the key',
      text: rule(
        '    effect: allow\n    match: { verbs: x }\n    obligations:\n      mask:\n        fields:\n          pii.emial: redact\n',
      ),
      errors: [
        at(
          24,
          11,
          '/rules/0/obligations/mask/fields/pii.emial',
          `unknown classification 'pii.emial'`,
          "did you mean 'pii.email'?",
        ),
      ],
    },
    {
      name: 'a mask key that is neither a classification nor table.column',
      text: rule(
        '    effect: allow\n    match: { verbs: x }\n    obligations:\n      mask:\n        fields:\n          email: redact\n',
      ),
      errors: [
        at(
          24,
          11,
          '/rules/0/obligations/mask/fields/email',
          `'email' is neither a classification nor a table.column field`,
          "name a declared classification, a field as 'table.column', or '*' for every other field",
        ),
      ],
    },
    {
      name: 'an unknown classification of a field',
      text: 'kind: Classifications\nclassifications: { pii.email: {} }\nfields: { users.email: pii.emial }\n',
      errors: [
        at(3, 24, '/fields/users.email', `unknown classification 'pii.emial'`, "did you mean 'pii.email'?"),
      ],
    },
  ]
  for (const c of cases) it(c.name, () => check(c))
})

describe('compilePolicySet: masking transforms', () => {
  const profile = (fields: string) => `kind: MaskingProfile\nname: m\nfields:\n${fields}`
  const cases: ErrorCase[] = [
    {
      name: 'a transform given a parameter it does not take',
      text: profile('  users.email: { transform: redact, keep_last: 4 }\n'),
      errors: [
        at(4, 16, '/fields/users.email', `transform 'redact' does not take 'keep_last'`, 'it takes: with'),
      ],
    },
    {
      name: 'a transform without parameters given one',
      text: profile('  users.email: { transform: keep, with: x }\n'),
      errors: [
        at(
          4,
          16,
          '/fields/users.email',
          `transform 'keep' does not take 'with'`,
          `'keep' takes no parameters`,
        ),
      ],
    },
    {
      name: 'a transform that needs parameters written bare',
      text: profile('  users.phone: partial\n'),
      errors: [
        at(
          4,
          16,
          '/fields/users.phone',
          `transform 'partial' needs parameters`,
          'write it as { transform: partial, keep_first: … } with one of keep_first, keep_last, keep',
        ),
      ],
    },
    {
      name: 'a transform missing its required parameter',
      text: profile('  users.birthday: { transform: generalize, size: 5 }\n'),
      errors: [
        at(
          4,
          19,
          '/fields/users.birthday',
          `transform 'generalize' needs one of to`,
          'e.g. { transform: generalize, to: … }',
        ),
      ],
    },
    {
      name: 'a generalization that needs a size',
      text: profile('  users.age: { transform: generalize, to: age_band }\n'),
      errors: [
        at(
          4,
          14,
          '/fields/users.age',
          `generalize to 'age_band' needs a size`,
          'add size: (band width, range width or prefix length)',
        ),
      ],
    },
    {
      name: 'an unknown transform name suggests the closest',
      text: profile('  users.email: redcat\n'),
      errors: [
        at(
          4,
          16,
          '/fields/users.email',
          `'fields.users.email' must be one of redact, null, partial, pseudonym, token, fpe, generalize, noise, keep; got "redcat"`,
          "did you mean 'redact'?",
        ),
      ],
    },
    {
      name: 'an unknown transform name in the object form points at the name',
      text: profile('  users.email: { transform: redcat }\n'),
      errors: [
        at(
          4,
          29,
          '/fields/users.email/transform',
          `'fields.users.email.transform' must be one of redact, null, partial, pseudonym, token, fpe, generalize, noise, keep; got "redcat"`,
          "did you mean 'redact'?",
        ),
      ],
    },
    {
      name: 'a misspelt parameter in the object form points at the key',
      text: profile('  users.email: { transform: partial, keep_frist: 2 }\n'),
      errors: [
        at(
          4,
          38,
          '/fields/users.email/keep_frist',
          `unknown field 'keep_frist' in 'fields.users.email'`,
          "did you mean 'keep_first'?",
        ),
      ],
    },
    {
      name: 'a parameter value out of its list in the object form',
      text: profile('  users.birthday: { transform: generalize, to: decade }\n'),
      errors: [
        at(
          4,
          48,
          '/fields/users.birthday/to',
          `'fields.users.birthday.to' must be one of month, year, age_band, range, postcode, ip_prefix; got "decade"`,
        ),
      ],
    },
    {
      name: 'a transform written as a list',
      text: profile('  users.email: [redact]\n'),
      errors: [
        at(
          4,
          16,
          '/fields/users.email',
          `'fields.users.email' must be one of redact, null, partial, pseudonym, token, fpe, generalize, noise, keep; got ["redact"]`,
        ),
      ],
    },
    {
      name: 'a transform given in a rule, with the wrong parameters',
      text: policy(
        '  - name: r\n    effect: allow\n    match: { verbs: x }\n    obligations:\n      mask:\n        fields:\n          users.email: { transform: partial, purpose: ads }\n',
      ),
      errors: [
        at(
          10,
          24,
          '/rules/0/obligations/mask/fields/users.email',
          `transform 'partial' does not take 'purpose'`,
          'it takes: keep_first, keep_last, keep',
        ),
      ],
    },
  ]
  for (const c of cases) it(c.name, () => check(c))
})

describe('compilePolicySet: effects and what goes with them', () => {
  const rule = (body: string) => policy(`  - name: r\n${body}`)
  const cases: ErrorCase[] = [
    {
      name: 'require_approval without approval',
      text: rule('    effect: require_approval\n    match: { verbs: x }\n'),
      errors: [
        at(
          4,
          5,
          '/rules/0',
          `rule 'r' requires approval but says nothing of who approves`,
          'add approval: { steps: [ { any_of: [group:…] } ] }',
        ),
      ],
    },
    {
      name: 'approval on an allow rule points at the key',
      text: rule(
        '    effect: allow\n    match: { verbs: x }\n    approval:\n      steps: [ { any_of: [user:bob] } ]\n',
      ),
      errors: [
        at(
          7,
          5,
          '/rules/0/approval',
          `'approval' only applies to rules with effect require_approval (this rule's effect is allow)`,
        ),
      ],
    },
    {
      name: 'require_consent without consent',
      text: rule('    effect: require_consent\n    match: { verbs: x }\n'),
      errors: [
        at(
          4,
          5,
          '/rules/0',
          `rule 'r' requires consent but does not say for which purpose and subject`,
          'add consent: { purpose: …, subject: context.subject }',
        ),
      ],
    },
    {
      name: 'consent on a deny rule',
      text: rule(
        '    effect: deny\n    match: { verbs: x }\n    consent: { purpose: ads, subject: context.subject }\n',
      ),
      errors: [
        at(
          7,
          5,
          '/rules/0/consent',
          `'consent' only applies to rules with effect require_consent (this rule's effect is deny)`,
        ),
      ],
    },
    {
      name: 'obligations on a deny rule',
      text: rule('    effect: deny\n    match: { verbs: x }\n    obligations: { row_limit: 5 }\n'),
      errors: [
        at(
          7,
          5,
          '/rules/0/obligations',
          'a deny rule carries no obligations',
          'remove obligations, or change the effect',
        ),
      ],
    },
    {
      name: 'a grant window whose default is longer than its max',
      text: rule(
        '    effect: require_approval\n    match: { verbs: x }\n    approval:\n      steps: [ { any_of: [user:bob] } ]\n      grant: { mode: window, max: 10m, default: 1h }\n',
      ),
      errors: [
        at(
          9,
          49,
          '/rules/0/approval/grant/default',
          'default window 1h is longer than max 10m',
          'make default at most max',
        ),
      ],
    },
    {
      name: 'a single_use grant with a max',
      text: rule(
        '    effect: require_approval\n    match: { verbs: x }\n    approval:\n      steps: [ { any_of: [user:bob] } ]\n      grant: { mode: single_use, max: 10m }\n',
      ),
      errors: [
        at(
          9,
          14,
          '/rules/0/approval/grant',
          'a single_use grant takes no max or default',
          'use mode: window for a time-boxed grant',
        ),
      ],
    },
    {
      name: 'an escalation after the timeout',
      text: rule(
        '    effect: require_approval\n    match: { verbs: x }\n    approval:\n      steps: [ { any_of: [user:bob] } ]\n      timeout: 1h\n      escalate: { after: 2h, to: [user:carol] }\n',
      ),
      errors: [
        at(
          10,
          26,
          '/rules/0/approval/escalate/after',
          'escalation after 2h would come after the request times out (1h)',
          'escalate before the timeout',
        ),
      ],
    },
    {
      name: 'durations of zero are mistakes, not defaults',
      text: rule(
        '    effect: require_approval\n    match: { verbs: x }\n    obligations: { max_ttl: 0s, rate_limit: [ { max: 5, per: 1m }, { max: 1, per: 0m } ] }\n    approval:\n      steps: [ { any_of: [user:bob] } ]\n      timeout: 0h\n      escalate: { after: 0s, to: [user:carol] }\n',
      ),
      errors: [
        at(
          7,
          29,
          '/rules/0/obligations/max_ttl',
          `duration '0s' must be longer than zero`,
          'e.g. 90s, 15m, 1h30m, 2d',
        ),
        at(
          7,
          83,
          '/rules/0/obligations/rate_limit/1/per',
          `duration '0m' must be longer than zero`,
          'e.g. 90s, 15m, 1h30m, 2d',
        ),
        at(
          10,
          16,
          '/rules/0/approval/timeout',
          `duration '0h' must be longer than zero`,
          'e.g. 90s, 15m, 1h30m, 2d',
        ),
        at(
          11,
          26,
          '/rules/0/approval/escalate/after',
          `duration '0s' must be longer than zero`,
          'e.g. 90s, 15m, 1h30m, 2d',
        ),
      ],
    },
  ]
  for (const c of cases) it(c.name, () => check(c))
})

describe('compilePolicySet: names across the set', () => {
  it('a rule name used in two files names the first place it was defined', () => {
    const errors = compileErrors({
      'a.yaml': policy('  - name: r\n    effect: allow\n    match: { verbs: x }\n').replace(
        'name: p',
        'name: a',
      ),
      'b.yaml': policy(
        '  - name: s\n    effect: allow\n    match: { verbs: x }\n  - name: r\n    effect: deny\n    match: { verbs: y }\n',
      ).replace('name: p', 'name: b'),
    })
    assert.deepEqual(errors, [
      {
        file: 'b.yaml',
        line: 7,
        column: 11,
        path: '/rules/1/name',
        message: `duplicate rule name 'r'`,
        hint: 'it is already defined at a.yaml:4:11; names must be unique across the policy set',
      },
    ])
  })

  it('policy, group, classification and profile names are unique too', () => {
    const errors = compileErrors({
      'a.yaml': documents(GROUPS, CLASSIFICATIONS, PROFILE, 'kind: Policy\nname: p\nrules: []\n'),
      'b.yaml': documents(GROUPS, CLASSIFICATIONS, PROFILE, 'kind: Policy\nname: p\nrules: []\n'),
    })
    const hint = (line: number, column: number) =>
      `it is already defined at a.yaml:${line}:${column}; names must be unique across the policy set`
    assert.deepEqual(errors, [
      {
        file: 'b.yaml',
        line: 3,
        column: 8,
        path: '/groups/dba',
        message: `duplicate group 'dba'`,
        hint: hint(3, 8),
      },
      {
        file: 'b.yaml',
        line: 7,
        column: 14,
        path: '/classifications/pii.email',
        message: `duplicate classification 'pii.email'`,
        hint: hint(7, 14),
      },
      {
        file: 'b.yaml',
        line: 8,
        column: 12,
        path: '/classifications/pii.ssn',
        message: `duplicate classification 'pii.ssn'`,
        hint: hint(8, 12),
      },
      {
        file: 'b.yaml',
        line: 11,
        column: 7,
        path: '/name',
        message: `duplicate masking profile 'support'`,
        hint: hint(11, 7),
      },
      {
        file: 'b.yaml',
        line: 16,
        column: 7,
        path: '/name',
        message: `duplicate policy 'p'`,
        hint: hint(16, 7),
      },
    ])
  })

  it('a field classified twice', () => {
    const errors = compileErrors(
      documents(
        'kind: Classifications\nclassifications: { pii.a: {}, pii.b: {} }\nfields: { t.c: pii.a }\n',
        'kind: Classifications\nclassifications: { pii.c: {} }\nfields: { t.c: pii.b }\n',
      ),
    )
    assert.deepEqual(errors, [
      at(
        7,
        16,
        '/fields/t.c',
        `field 't.c' is classified twice ('pii.a' and 'pii.b')`,
        'give each field one classification',
      ),
    ])
  })
})

/** A policy with one rule that compiles. */
const VALID = withWhen('actor.id != ""')

describe('compilePolicySet: a set with several mistakes', () => {
  it('reports every mistake, sorted by file, line and column, whatever stage found it', () => {
    const errors = compileErrors({
      'b.yaml': withWhen('actor.id == ) "a"'),
      'a.yaml': documents(
        // A document that breaks the schema is not checked further: its bad glob goes unreported.
        policy(
          '  - name: r\n    effect: alow\n    match: { verbs: "db.{x" }\n  - name: s\n    effect: allow\n    match: { verbs: x }\n',
        ),
        'kind: Groups\ngroups:\n  dba: { users: [alice], idp_group: [x] }\n',
        'kind: Polciy\n',
      ),
    })
    assert.deepEqual(
      errors.map((e) => `${e.file}:${e.line}:${e.column} ${e.message}`),
      [
        `a.yaml:5:13 'rules.0.effect' must be one of allow, deny, require_approval, require_consent; got "alow"`,
        `a.yaml:13:26 unknown field 'idp_group' in 'groups.dba'`,
        'a.yaml:15:7 unknown kind "Polciy"',
        'b.yaml:7:23 CEL syntax error: Unexpected token: RPAREN',
      ],
    )
  })

  it('reports every problem of an otherwise valid document, in source order', () => {
    const errors = compileErrors(
      policy(
        '  - name: r\n    effect: allow\n    match: { verbs: "db.{x" }\n    when: actor.id ==\n  - name: s\n    effect: allow\n    match: { verbs: db.query, resources: "pg://{" }\n    obligations: { mask: { profile: nope } }\n',
      ),
    )
    assert.deepEqual(
      errors.map((e) => `${e.line}:${e.column} ${e.message}`),
      [
        `6:25 bad glob 'db.{x': '{' is never closed`,
        '7:22 CEL syntax error: Unexpected token: EOF',
        `10:48 bad glob 'pg://{': '{' is never closed`,
        `11:37 unknown masking profile 'nope'`,
      ],
    )
  })

  it('yields no set at all when only one file of many has a mistake', () => {
    const good = buildSet({ 'a.yaml': VALID })
    assert.equal(good.rules.length, 1)
    const result = compilePolicySet([
      { file: 'a.yaml', text: VALID },
      {
        file: 'b.yaml',
        text: withWhen('true &&').replace('name: r', 'name: other').replace('name: p', 'name: q'),
      },
    ])
    assert.deepEqual(result, {
      ok: false,
      errors: [
        {
          file: 'b.yaml',
          line: 7,
          column: 18,
          path: '/rules/0/when',
          message: 'CEL syntax error: Unexpected token: EOF',
        },
      ],
    })
  })
})

describe('compilePolicySet: what it accepts', () => {
  const cases: { name: string; text: string; rules: number }[] = [
    { name: 'an empty file', text: '', rules: 0 },
    { name: 'a file of comments', text: '# nothing yet\n', rules: 0 },
    { name: 'a leading ---', text: `---\n${VALID}`, rules: 1 },
    { name: 'a trailing ---', text: `${VALID}---\n`, rules: 1 },
    {
      name: 'an empty document between two',
      text: documents(VALID, '', 'kind: Groups\ngroups: {}\n'),
      rules: 1,
    },
    {
      name: 'Windows line endings',
      text: withWhen('|\n      actor.id == "a"').replaceAll('\n', '\r\n'),
      rules: 1,
    },
  ]
  for (const c of cases) {
    it(c.name, () => assert.equal(buildSet(c.text).rules.length, c.rules))
  }

  it('points into expressions in files with Windows line endings', () => {
    const text = withWhen('|\n      actor.id == "a" &&\n      actor.roles.size() > ) 0').replaceAll(
      '\n',
      '\r\n',
    )
    assert.deepEqual(compileErrors(text), [
      at(9, 28, '/rules/0/when', 'CEL syntax error: Unexpected token: RPAREN'),
    ])
  })
})
