// Merging obligations of several matched rules: the strictest always wins, however
// each rule names a field.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { StaticApproval } from './compiled-policy.ts'
import type { FieldTransform } from './decision-types.ts'
import { mergeMasks, mergeObligations } from './obligation-merge.ts'

const t = (transform: FieldTransform['transform']): FieldTransform => ({ transform, params: {} })
const classes = new Map([
  ['users.email', 'pii.email'],
  ['users.ssn', 'pii.ssn'],
])

describe('mergeMasks', () => {
  const cases: [string, Record<string, FieldTransform>[], Record<string, FieldTransform>][] = [
    [
      'one mask is kept as it is',
      [{ 'pii.email': t('partial'), '*': t('keep') }],
      { 'pii.email': t('partial'), '*': t('keep') },
    ],
    [
      "another mask's default is stricter than a classification entry",
      [{ 'pii.email': t('pseudonym'), '*': t('keep') }, { '*': t('redact') }],
      { 'pii.email': t('redact'), '*': t('redact') },
    ],
    [
      'a field key meets a stricter classification key for the same field',
      [{ 'users.email': t('keep') }, { 'pii.email': t('redact') }],
      { 'users.email': t('redact'), 'pii.email': t('redact') },
    ],
    [
      'a mask without a default keeps what it does not name',
      [{ 'pii.ssn': t('redact') }, { 'pii.email': t('partial') }],
      { 'pii.ssn': t('redact'), 'pii.email': t('partial') },
    ],
    [
      'between two partial masks, the one showing fewer characters wins',
      [
        { 'pii.card': { transform: 'partial', params: { keep_last: 4 } } },
        { 'pii.card': { transform: 'partial', params: { keep_last: 2 } } },
      ],
      { 'pii.card': { transform: 'partial', params: { keep_last: 2 } } },
    ],
    [
      'the least revealing transform wins, whatever the order',
      [{ 'pii.email': t('token') }, { 'pii.email': t('generalize') }, { 'pii.email': t('pseudonym') }],
      { 'pii.email': t('pseudonym') },
    ],
  ]
  for (const [name, masks, expected] of cases) {
    it(name, () => {
      assert.deepEqual(mergeMasks(masks, classes), expected)
      assert.deepEqual(mergeMasks([...masks].reverse(), classes), expected)
    })
  }
})

describe('mergeObligations: approvals', () => {
  const approval = (timeoutSeconds: number, escalateAfter?: number): StaticApproval => ({
    steps: [{ name: 'peer', anyOf: ['group:dba'], quorum: 1 }],
    separationOfDuties: true,
    timeoutSeconds,
    ...(escalateAfter === undefined
      ? {}
      : { escalation: { afterSeconds: escalateAfter, to: ['group:managers'] } }),
    reasonRequired: false,
    stepUp: false,
    grant: { mode: 'window', maxSeconds: 3600, defaultSeconds: 900 },
  })

  it('drops an escalation that would come after the merged timeout', () => {
    const merged = mergeObligations(
      [
        { rule: 'a', obligations: {}, approval: { spec: approval(3600), autoApproved: false } },
        { rule: 'b', obligations: {}, approval: { spec: approval(4 * 3600, 2 * 3600), autoApproved: false } },
      ],
      classes,
    )
    assert.equal(merged.approval?.timeoutSeconds, 3600)
    assert.equal(merged.approval?.escalation, undefined)
  })

  it('keeps the earliest escalation that comes before the timeout, and one step asked twice once', () => {
    const merged = mergeObligations(
      [
        { rule: 'a', obligations: {}, approval: { spec: approval(7200, 3600), autoApproved: true } },
        { rule: 'b', obligations: {}, approval: { spec: approval(7200, 1800), autoApproved: false } },
      ],
      classes,
    )
    assert.equal(merged.approval?.escalation?.afterSeconds, 1800)
    assert.equal(merged.approval?.steps.length, 1)
    assert.equal(merged.approval?.autoApprove, false, 'auto-approved only when every rule says so')
  })
})
