// Property tests: whatever the text, detection answers instead of throwing; every finding
// lies inside the text; and scanning a finding's own substring again (with a column hint
// standing in for the context words it may have needed) finds the same type over all of it.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { createPiiDetector, type EntityType, type PiiFinding } from '../../../src/anonymize/detect/index.ts'

/** Fragments of personal data and their look-alikes, so random texts hit the detectors often. */
const FRAGMENTS = [
  'john.smith@example.com',
  '+1 415-555-2671',
  '(415) 555-2671',
  '030 1234567',
  '4111 1111 1111 1111',
  '4111111111111112',
  'DE89 3704 0044 0532 0130 00',
  '536-22-1784',
  '12345678Z',
  'X1234567L',
  'RSSMRA85T10A562S',
  '111222333',
  '2 55 08 14 168 025 38',
  'AB 12 34 56 C',
  '943 476 5919',
  '86095742719',
  'LZ6311T47',
  '192.168.1.20',
  '2001:db8::1',
  'https://example.org/x',
  'www.example.com',
  '12 March 1985',
  '1985-03-12',
  '1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa',
  '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed',
  'Mr. Smith',
  'Anna Schmidt',
  'Hauptstraße 5, 10115 Berlin',
  '221B Baker Street',
  'Berlin',
  'phone',
  'SSN',
  'passport',
  'born',
  'Grüße 👋🏽',
  '東京',
]

const text = fc
  .array(
    fc.oneof(
      fc.constantFrom(...FRAGMENTS),
      fc.string({ maxLength: 6 }),
      fc.constantFrom(' ', ' ', '-', '.', '@', ':', '/', ',', '\n', '(', ')', '+', '0', '9'),
    ),
    { maxLength: 24 },
  )
  .map((parts) => parts.join(''))

/** A column name that makes a lone value count as the type, as its context words would. */
const HINT: Readonly<Partial<Record<EntityType, string>>> = {
  PERSON: 'full_name',
  LOCATION: 'address',
  PHONE_NUMBER: 'phone',
  DATE_TIME: 'birth_date',
  US_SSN: 'ssn',
  NL_BSN: 'bsn',
  UK_NHS: 'nhs',
  CREDIT_CARD: 'card',
  DE_ID_CARD: 'ausweis',
}

describe('detection on arbitrary text', () => {
  const detector = createPiiDetector({ minScore: 0, overlaps: 'all' })

  it('never throws and keeps every finding inside the text', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          text,
          fc.string({ maxLength: 200 }),
          fc.string({ unit: 'binary', maxLength: 100 }),
          fc.string({ unit: 'grapheme', maxLength: 60 }),
        ),
        (t) => {
          for (const f of detector.detect(t)) {
            assert.ok(Number.isInteger(f.start) && Number.isInteger(f.end))
            assert.ok(f.start >= 0 && f.start < f.end && f.end <= t.length)
            assert.ok(f.score >= 0 && f.score <= 1)
          }
        },
      ),
      { numRuns: 2000 },
    )
  })

  it('finds each finding again in its own substring', () => {
    const isSame = (f: PiiFinding, type: EntityType, length: number): boolean =>
      f.type === type && f.start === 0 && f.end === length
    fc.assert(
      fc.property(text, (t) => {
        for (const f of detector.detect(t)) {
          const part = t.slice(f.start, f.end)
          const again = detector.detect(part, HINT[f.type])
          assert.ok(
            again.some((g) => isSame(g, f.type, part.length)),
            `${f.type} '${part}' (from '${t}') not found again: ${JSON.stringify(again)}`,
          )
        }
      }),
      { numRuns: 2000 },
    )
  })
})
