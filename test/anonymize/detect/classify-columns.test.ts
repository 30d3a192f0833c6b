// Column classification: names and sampled values together, the evidence reported, and
// the fail-safe choice when they disagree.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { classifyColumns } from '../../../src/anonymize/classify/index.ts'

const TABLE = [
  { name: 'id', values: [1, 2, 3, 4] },
  { name: 'email', values: ['ana@example.com', 'bo@example.org', null, 'cy@example.net'] },
  { name: 'phone_number', values: ['+1 415-555-2671', '4155552671', '(415) 555-2672'] },
  { name: 'first_name', values: ['Ana', 'Bo', 'Cyrille'] },
  { name: 'surname', values: ['García', 'van der Berg', "O'Neil"] },
  { name: 'billing_street', values: ['742 Evergreen Terrace', 'Hauptstraße 5'] },
  { name: 'city', values: ['Springfield', 'Berlin'] },
  { name: 'card_number', values: ['4111 1111 1111 1111', '5555555555554444'] },
  { name: 'iban', values: ['DE89370400440532013000', 'GB82WEST12345698765432'] },
  { name: 'ssn', values: ['536-22-1784', '536221784'] },
  { name: 'dni', values: ['12345678Z', 'X1234567L'] },
  { name: 'last_ip', values: ['192.168.1.20', '2001:db8::1'] },
  { name: 'date_of_birth', values: ['1985-03-12', '12.03.1985'] },
  { name: 'created_at', values: ['2024-03-05', '2024-03-06'] },
  {
    name: 'notes',
    values: ['call me at ana@example.com', 'ok', 'see ticket', 'fine', 'bo@example.org please'],
  },
  { name: 'col7', values: ['ana@example.com', 'bo@example.org', 'cy@example.net'] },
  { name: 'status', values: ['active', 'inactive', 'active'] },
  { name: 'product_name', values: ['Widget', 'Gadget'] },
  { name: 'mobile', values: [] },
  { name: 'email_address', values: ['n/a', 'unknown', 'none', '-', '12'] },
]

describe('classifyColumns', () => {
  const result = classifyColumns(TABLE)
  const byName = new Map(result.map((r) => [r.column, r]))
  const classOf = (name: string) => byName.get(name)?.classification

  it('classifies by name and values', () => {
    assert.deepEqual(
      result.map((r) => [r.column, r.classification]),
      [
        ['id', 'pii.none'],
        ['email', 'pii.email'],
        ['phone_number', 'pii.phone'],
        ['first_name', 'pii.name'],
        ['surname', 'pii.name'],
        ['billing_street', 'pii.address'],
        ['city', 'pii.address'],
        ['card_number', 'pii.card'],
        ['iban', 'pii.iban'],
        ['ssn', 'pii.ssn'],
        ['dni', 'pii.national_id'],
        ['last_ip', 'pii.ip'],
        ['date_of_birth', 'pii.dob'],
        ['created_at', 'pii.none'],
        ['notes', 'pii.email'],
        ['col7', 'pii.email'],
        ['status', 'pii.none'],
        ['product_name', 'pii.none'],
        ['mobile', 'pii.phone'],
        ['email_address', 'pii.email'],
      ],
    )
  })

  it('reports the evidence: name hint and fractions of matching values', () => {
    assert.deepEqual(byName.get('email')?.evidence, {
      nameHint: 'pii.email',
      sampled: 3,
      matches: { 'pii.email': 1 },
      contains: { 'pii.email': 1 },
    })
    assert.deepEqual(byName.get('notes')?.evidence.contains, { 'pii.email': 0.4 })
    assert.equal(byName.get('col7')?.evidence.nameHint, undefined)
  })

  it('is most confident when name and values agree', () => {
    const confidence = (name: string) => byName.get(name)?.confidence ?? 0
    assert.equal(confidence('email'), 0.95)
    assert.ok(confidence('col7') < confidence('email'), 'values alone count less than values and name')
    assert.equal(confidence('mobile'), 0.5, 'a name alone, with nothing sampled')
    assert.equal(confidence('email_address'), 0.3, 'a name the values do not back: kept, but unsure')
    assert.ok(confidence('status') >= 0.9)
    assert.equal(classOf('notes'), 'pii.email')
  })

  it('is pure: the same input gives the same output', () => {
    assert.deepEqual(classifyColumns(TABLE), result)
  })

  it('samples at most maxSample values', () => {
    const many = { name: 'x', values: Array.from({ length: 50 }, (_, i) => `u${i}@example.com`) }
    assert.equal(classifyColumns([many], { maxSample: 10 })[0]?.evidence.sampled, 10)
  })
})
