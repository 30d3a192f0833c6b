// The shape of policy test files (`*.test.yaml`): inputs and the decisions the
// policies must give for them, checked by `jitgate policy test`.
import { type Static, Type as T } from '@sinclair/typebox'
import { EffectSpec } from './policy-schema.ts'

export const PolicyTestCase = T.Object(
  {
    name: T.String({ minLength: 1 }),
    input: T.Record(T.String(), T.Unknown(), {
      description: 'the action; merged over the document defaults',
    }),
    expect: T.Object(
      {
        effect: EffectSpec,
        reason: T.Optional(T.String({ description: 'reason code, e.g. no_rule_matched' })),
        rules: T.Optional(T.Array(T.String(), { description: 'names of the deciding rules, in any order' })),
        obligations: T.Optional(
          T.Record(T.String(), T.Unknown(), { description: 'must be contained in the decision obligations' }),
        ),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
)

export const PolicyTestDocument = T.Object(
  {
    kind: T.Literal('PolicyTest'),
    name: T.String({ minLength: 1 }),
    defaults: T.Optional(
      T.Record(T.String(), T.Unknown(), { description: 'input fields every case starts from' }),
    ),
    cases: T.Array(PolicyTestCase, { minItems: 1 }),
  },
  { additionalProperties: false },
)

export type PolicyTestDoc = Static<typeof PolicyTestDocument>
export type PolicyTestCaseDoc = Static<typeof PolicyTestCase>
