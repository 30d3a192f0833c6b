// The masker: which entry of a mask a column gets, rows as objects and arrays, the
// fail-safe redaction of values a transform cannot handle, and the property that no
// transform but keep hands a raw value back.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import {
  AnonymizeError,
  Masker,
  type MaskerOptions,
  type MaskFailure,
} from '../../../src/anonymize/transforms/index.ts'
import type { FieldTransform } from '../../../src/policy/index.ts'
import { NOW, testKeys } from './fixtures.ts'

const keys = testKeys()
const t = (
  transform: FieldTransform['transform'],
  params: FieldTransform['params'] = {},
): FieldTransform => ({
  transform,
  params,
})

describe('Masker', () => {
  it("gives a column its own entry, then its table.column's, its classification's, '*', else keep", () => {
    const mask = {
      note: t('null'),
      'customers.email': t('partial', { keep: 'email_domain' }),
      'pii.phone': t('partial', { keep_last: 4 }),
      '*': t('redact'),
    }
    const classes = new Map([['customers.mobile', 'pii.phone']])
    const masker = new Masker(mask, { keys, table: 'customers', classOf: (f) => classes.get(f) })
    assert.deepEqual(
      masker.maskObject({ note: 'x', email: 'ada@example.com', mobile: '+44 7700 900123', city: 'London' }),
      { note: null, email: '***@example.com', mobile: '***********0123', city: '[redacted]' },
    )
    assert.equal(
      new Masker({ 'pii.phone': t('redact') }, { keys }).maskObject({ city: 'London' }).city,
      'London',
    )
    assert.deepEqual(masker.transformFor('mobile'), mask['pii.phone'])
  })

  it('keeps null, undefined (as null) and empty text, and masks array rows by column', () => {
    const masker = new Masker({ a: t('pseudonym'), b: t('redact', { with: 'X' }), '*': t('keep') }, { keys })
    assert.deepEqual(masker.maskObject({ a: null, b: undefined, c: '' }), { a: null, b: null, c: '' })
    const mask = masker.rows(['a', 'b', 'c'])
    const [a, b, c, extra] = mask([42, 'secret', { kept: true }, 'stray'])
    assert.match(String(a), /^ps_/)
    assert.deepEqual([b, c, extra], ['X', { kept: true }, '[redacted]'])
  })

  it('redacts values a transform cannot handle and reports them by column and code only', () => {
    const failures: MaskFailure[] = []
    const masker = new Masker(
      {
        email: t('partial', { keep: 'email_domain' }),
        card: t('fpe', { format: 'card' }),
        dob: t('generalize', { to: 'age_band', size: 10 }),
        id: t('token'),
      },
      { keys, failSafe: '[masked]', onFailure: (f) => failures.push(f) },
    )
    const row = { email: 'not-an-email', card: '4111', dob: '1990-01-01', id: { nested: 'x' } }
    assert.deepEqual(masker.maskObject(row), {
      email: '[masked]',
      card: '[masked]',
      dob: '[masked]',
      id: '[masked]',
    })
    assert.deepEqual(failures, [
      { column: 'email', transform: 'partial', code: 'transform_input_invalid' },
      { column: 'card', transform: 'fpe', code: 'transform_input_invalid' },
      { column: 'dob', transform: 'generalize', code: 'transform_input_invalid' },
      { column: 'id', transform: 'token', code: 'transform_input_invalid' },
    ])
    assert.deepEqual(
      [...masker.failures],
      [
        ['email', 1],
        ['card', 1],
        ['dob', 1],
        ['id', 1],
      ],
    )
    const withNow = new Masker({ dob: t('generalize', { to: 'age_band', size: 10 }) }, { keys, now: NOW })
    assert.equal(withNow.maskObject({ dob: '1990-01-01' }).dob, '30-39')
  })

  it('refuses to compile a transform it does not understand, naming the field', () => {
    const cases: [Record<string, FieldTransform>, string, string][] = [
      [
        { 'customers.card': t('fpe', { format: 'hex' }) },
        'customers.card.params.format',
        'format must be one of',
      ],
      [{ x: { transform: 'scramble' as 'keep', params: {} } }, 'x.params.transform', "'scramble' is not"],
      [{ x: t('noise', { percent: 0 }) }, 'x.params.percent', 'percent must be a number in (0, 100]'],
      [{ x: t('partial', { keep: 'email_domain', keep_last: 2 }) }, 'x.params.keep', 'not both'],
      [{ x: t('partial', {}) }, 'x.params.keep_first', 'needs keep_first'],
      [{ x: t('redact', { with: 3 }) }, 'x.params.with', 'with must be text'],
      [
        { x: t('generalize', { to: 'ip_prefix', size: 129 }) },
        'x.params.size',
        'size must be an integer in 1…128',
      ],
    ]
    for (const [mask, path, message] of cases) {
      assert.throws(
        () => new Masker(mask, { keys }),
        (err: unknown) =>
          err instanceof AnonymizeError &&
          err.code === 'mask_transform_invalid' &&
          err.details[0]?.path === path &&
          err.message.includes(message),
        path,
      )
    }
  })

  it('never hands back a raw value for a transform other than keep (or noise)', () => {
    const transforms: FieldTransform[] = [
      t('redact'),
      t('redact', { with: '***' }),
      t('null'),
      t('partial', { keep_first: 2 }),
      t('partial', { keep_last: 4 }),
      t('partial', { keep_first: 3, keep_last: 3 }),
      t('partial', { keep: 'email_domain' }),
      t('partial', { keep: 'card_last4' }),
      t('pseudonym', { purpose: 'a' }),
      t('token', { purpose: 'b' }),
      t('fpe', { format: 'digits' }),
      t('fpe', { format: 'alnum' }),
      t('fpe', { format: 'alnum_ci' }),
      t('fpe', { format: 'card' }),
      t('fpe', { format: 'phone' }),
      ...(['month', 'year', 'postcode'] as const).map((to) => t('generalize', { to })),
      t('generalize', { to: 'age_band', size: 10 }),
      t('generalize', { to: 'range', size: 100 }),
      t('generalize', { to: 'ip_prefix', size: 24 }),
    ]
    const columns = transforms.map((_, i) => `c${i}`)
    const masker = new Masker(
      Object.fromEntries(columns.map((c, i) => [c, transforms[i] as FieldTransform])),
      {
        keys,
        now: NOW,
      } satisfies MaskerOptions,
    )
    const value = fc.oneof(
      fc.string(),
      fc.string({ unit: 'grapheme' }),
      fc.emailAddress(),
      fc.integer(),
      fc.double(),
      fc.bigInt(),
      fc.boolean(),
      fc.date({ noInvalidDate: true }),
      fc.ipV4(),
      fc.ipV6(),
      fc.stringMatching(/^\d{10,19}$/),
      fc.stringMatching(/^\+44 \d{2} \d{4} \d{4}$/),
      fc.stringMatching(/^[A-Z]{1,2}\d{1,2} \d[A-Z]{2}$/),
      fc.stringMatching(/^(19|20)\d\d-(0[1-9]|1[0-2])-(0[1-9]|[12]\d)$/),
      fc.constantFrom(null, undefined, ''),
      fc.object(),
      fc.array(fc.integer()),
    )
    const masked = (v: unknown): boolean => v === null || v === undefined || v === ''
    // Values that are themselves a mask (all asterisks) may come out as they went in.
    const alreadyMasked = (v: unknown): boolean => typeof v === 'string' && /^\**$/.test(v)
    fc.assert(
      fc.property(fc.array(value, { minLength: columns.length, maxLength: columns.length }), (values) => {
        const out = masker.rows(columns)(values)
        values.forEach((v, i) => {
          if (masked(v) || alreadyMasked(v)) return
          const o = out[i]
          assert.notEqual(o, v, `${columns[i]} ${JSON.stringify(transforms[i])}`)
          if (typeof v !== 'object') assert.notEqual(String(o), String(v), `${JSON.stringify(transforms[i])}`)
        })
      }),
      { numRuns: 300 },
    )
  })
})
