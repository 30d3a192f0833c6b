// The shape of policy documents, as JSON Schema (TypeBox). The same schema checks
// YAML files at load time, is published by `jitgate policy schema` for editors,
// and names the fields in error messages.
import { type Static, Type as T } from '@sinclair/typebox'

const Name = T.String({
  pattern: '^[a-z0-9][a-z0-9._-]*$',
  maxLength: 128,
  description: 'lowercase letters, digits, . _ -',
})
const Duration = T.String({ pattern: '^(?:\\d{1,6}[smhdw])+$', description: 'e.g. 90s, 15m, 1h30m, 2d' })
const Principal = T.String({
  pattern: '^(user|group|idp):[^\\s]+$',
  description: 'user:ID, group:NAME (a policy group) or idp:NAME (an identity-provider group)',
})
const OneOrMany = (item: ReturnType<typeof T.String>) => T.Union([item, T.Array(item, { minItems: 1 })])
const Scope = T.Union([T.Literal('global'), T.Literal('actor'), T.Literal('resource'), T.Literal('subject')])

export const TRANSFORM_NAMES = [
  'redact',
  'null',
  'partial',
  'pseudonym',
  'token',
  'fpe',
  'generalize',
  'noise',
  'keep',
] as const

export const TransformSpec = T.Union([
  T.Union(TRANSFORM_NAMES.map((name) => T.Literal(name))),
  T.Object(
    {
      transform: T.Union(TRANSFORM_NAMES.map((name) => T.Literal(name))),
      with: T.Optional(T.String({ description: 'redact: the replacement text' })),
      keep_first: T.Optional(T.Integer({ minimum: 0, maximum: 64 })),
      keep_last: T.Optional(T.Integer({ minimum: 0, maximum: 64 })),
      keep: T.Optional(T.Union([T.Literal('email_domain'), T.Literal('card_last4')])),
      purpose: T.Optional(
        T.String({ description: 'pseudonym, token, fpe, noise: key purpose, so joins work within it' }),
      ),
      format: T.Optional(
        T.Union(
          ['digits', 'alnum', 'alnum_ci', 'card', 'phone'].map((v) => T.Literal(v)),
          { description: 'fpe: what the value is; its format is kept' },
        ),
      ),
      percent: T.Optional(
        T.Number({ exclusiveMinimum: 0, maximum: 100, description: 'noise: at most this % of the value' }),
      ),
      to: T.Optional(
        T.Union(
          ['month', 'year', 'age_band', 'range', 'postcode', 'ip_prefix'].map((v) => T.Literal(v)),
          { description: 'generalize: what to generalize to' },
        ),
      ),
      size: T.Optional(T.Integer({ minimum: 1, description: 'generalize: band, range or prefix size' })),
    },
    { additionalProperties: false },
  ),
])

const RateLimitSpec = T.Object(
  { max: T.Integer({ minimum: 1 }), per: Duration, scope: T.Optional(Scope) },
  { additionalProperties: false },
)

export const ObligationsSpec = T.Object(
  {
    mask: T.Optional(
      T.Object(
        {
          profile: T.Optional(Name),
          fields: T.Optional(T.Record(T.String({ minLength: 1 }), TransformSpec)),
        },
        { additionalProperties: false },
      ),
    ),
    row_limit: T.Optional(T.Integer({ minimum: 1 })),
    statement_timeout: T.Optional(Duration),
    rate_limit: T.Optional(T.Union([RateLimitSpec, T.Array(RateLimitSpec, { minItems: 1 })])),
    concurrency: T.Optional(
      T.Object({ max: T.Integer({ minimum: 1 }), scope: T.Optional(Scope) }, { additionalProperties: false }),
    ),
    step_up: T.Optional(T.Boolean()),
    reason_required: T.Optional(T.Boolean()),
    max_ttl: T.Optional(Duration),
  },
  { additionalProperties: false },
)

export const ApprovalSpec = T.Object(
  {
    steps: T.Array(
      T.Object(
        {
          name: T.Optional(Name),
          any_of: T.Array(Principal, { minItems: 1 }),
          quorum: T.Optional(T.Integer({ minimum: 1, maximum: 100 })),
        },
        { additionalProperties: false },
      ),
      { minItems: 1 },
    ),
    separation_of_duties: T.Optional(T.Boolean()),
    timeout: T.Optional(Duration),
    escalate: T.Optional(
      T.Object({ after: Duration, to: T.Array(Principal, { minItems: 1 }) }, { additionalProperties: false }),
    ),
    reason_required: T.Optional(T.Boolean()),
    step_up: T.Optional(T.Boolean({ description: 'approvers confirm with a TOTP code' })),
    grant: T.Optional(
      T.Object(
        {
          mode: T.Union([T.Literal('single_use'), T.Literal('window')]),
          max: T.Optional(Duration),
          default: T.Optional(Duration),
        },
        { additionalProperties: false },
      ),
    ),
    auto_approve: T.Optional(
      T.String({ minLength: 1, description: 'CEL: approve without people when true' }),
    ),
  },
  { additionalProperties: false },
)

export const ConsentSpec = T.Object(
  {
    purpose: T.String({ minLength: 1 }),
    subject: T.String({ minLength: 1, description: 'CEL expression giving the data subject id' }),
    notice: T.Optional(T.String({ minLength: 1 })),
  },
  { additionalProperties: false },
)

export const EffectSpec = T.Union([
  T.Literal('allow'),
  T.Literal('deny'),
  T.Literal('require_approval'),
  T.Literal('require_consent'),
])

export const RuleSpec = T.Object(
  {
    name: Name,
    description: T.Optional(T.String()),
    effect: EffectSpec,
    match: T.Object(
      {
        verbs: OneOrMany(T.String({ minLength: 1 })),
        resources: T.Optional(OneOrMany(T.String({ minLength: 1 }))),
      },
      { additionalProperties: false },
    ),
    when: T.Optional(
      T.String({ minLength: 1, description: 'CEL condition; the rule applies when it is true' }),
    ),
    message: T.Optional(T.String({ description: 'shown to the actor when this rule decides' })),
    obligations: T.Optional(ObligationsSpec),
    approval: T.Optional(ApprovalSpec),
    consent: T.Optional(ConsentSpec),
  },
  { additionalProperties: false },
)

export const PolicyDocument = T.Object(
  { kind: T.Literal('Policy'), name: Name, description: T.Optional(T.String()), rules: T.Array(RuleSpec) },
  { additionalProperties: false },
)

export const GroupsDocument = T.Object(
  {
    kind: T.Literal('Groups'),
    groups: T.Record(
      Name,
      T.Object(
        {
          description: T.Optional(T.String()),
          users: T.Optional(T.Array(T.String({ minLength: 1 }))),
          idp_groups: T.Optional(T.Array(T.String({ minLength: 1 }))),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
)

export const ClassificationsDocument = T.Object(
  {
    kind: T.Literal('Classifications'),
    classifications: T.Record(
      Name,
      T.Object({ description: T.Optional(T.String()) }, { additionalProperties: false }),
    ),
    fields: T.Optional(
      T.Record(T.String({ minLength: 1 }), Name, { description: 'table.column → classification' }),
    ),
  },
  { additionalProperties: false },
)

export const MaskingProfileDocument = T.Object(
  {
    kind: T.Literal('MaskingProfile'),
    name: Name,
    description: T.Optional(T.String()),
    fields: T.Record(T.String({ minLength: 1 }), TransformSpec, {
      description: 'classification or table.column → transform',
    }),
    default: T.Optional(TransformSpec),
  },
  { additionalProperties: false },
)

export const DOCUMENT_KINDS = {
  Policy: PolicyDocument,
  Groups: GroupsDocument,
  Classifications: ClassificationsDocument,
  MaskingProfile: MaskingProfileDocument,
} as const

export type DocumentKind = keyof typeof DOCUMENT_KINDS
export type PolicyDoc = Static<typeof PolicyDocument>
export type RuleDoc = Static<typeof RuleSpec>
export type GroupsDoc = Static<typeof GroupsDocument>
export type ClassificationsDoc = Static<typeof ClassificationsDocument>
export type MaskingProfileDoc = Static<typeof MaskingProfileDocument>
export type TransformDoc = Static<typeof TransformSpec>
export type ApprovalDoc = Static<typeof ApprovalSpec>
export type ObligationsDoc = Static<typeof ObligationsSpec>
