// How scores are made: context words count only as whole words within the window,
// column names raise their types, offsets are JavaScript string indices whatever comes
// before, overlaps keep the best finding, and bad options fail with a clear error.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  CONTEXT_BOOST,
  createPiiDetector,
  detectPii,
  HINT_BOOST,
  PiiOptionError,
  parseColumnHint,
} from '../../../src/anonymize/detect/index.ts'
import { found, scoreOf } from './detect-helpers.ts'

/** Scores are rounded to two decimals, as detectPii rounds them. */
const up = (n: number): number => Math.round(n * 100) / 100

describe('context words', () => {
  const base = scoreOf('ref 536221784', 'US_SSN') ?? 0

  it('raise a match when a whole word is near', () => {
    assert.equal(scoreOf('ssn 536221784', 'US_SSN'), up(base + CONTEXT_BOOST))
    assert.equal(scoreOf('SSN: 536221784', 'US_SSN'), up(base + CONTEXT_BOOST))
    assert.equal(scoreOf('(social) 536221784', 'US_SSN'), up(base + CONTEXT_BOOST))
  })

  it('do not count inside longer words', () => {
    assert.equal(scoreOf('ssnX 536221784', 'US_SSN'), base)
    assert.equal(scoreOf('xssn 536221784', 'US_SSN'), base)
  })

  it('"phone" raises a phone number, "telephoneX" and "iphone" do not', () => {
    // A bare digit run is checked as a phone number only when a phone word is near.
    assert.deepEqual(found('phone 4155552671'), [['PHONE_NUMBER', '4155552671']])
    assert.deepEqual(found('telephoneX 4155552671'), [])
    assert.deepEqual(found('my iphone 4155552671'), [])
    const formatted = scoreOf('iphone (415) 555-2671', 'PHONE_NUMBER') ?? 0
    assert.equal(scoreOf('phone (415) 555-2671', 'PHONE_NUMBER'), up(formatted + CONTEXT_BOOST))
  })

  it('count only within the window', () => {
    const far = 'ssn one two three four five six 536221784'
    assert.equal(scoreOf(far, 'US_SSN'), base)
    assert.equal(scoreOf('ssn one two three four 536221784', 'US_SSN'), up(base + CONTEXT_BOOST))
    const narrow = detectPii('ssn one 536221784', { minScore: 0, contextWindow: { before: 1, after: 0 } })
    assert.equal(narrow.find((f) => f.type === 'US_SSN')?.score, base)
  })

  it('count after the match too, and negative words lower it', () => {
    assert.equal(scoreOf('536221784 (SSN)', 'US_SSN'), up(base + CONTEXT_BOOST))
    assert.ok(
      (scoreOf('release 10.4.1.2', 'IP_ADDRESS') ?? 1) < (scoreOf('host 10.4.1.2', 'IP_ADDRESS') ?? 0),
    )
  })
})

describe('column names', () => {
  it('raise the types they name', () => {
    assert.equal(
      scoreOf('536221784', 'US_SSN', 'ssn'),
      up((scoreOf('536221784', 'US_SSN') ?? 0) + HINT_BOOST),
    )
    assert.deepEqual(found('4155552671', { columnHint: 'phone_number' }), [['PHONE_NUMBER', '4155552671']])
    assert.deepEqual(found('4155552671', { columnHint: 'order_id' }), [])
  })

  it('make a whole value a name or an address', () => {
    assert.deepEqual(found(' Smith ', { columnHint: 'surname' }), [['PERSON', 'Smith']])
    assert.deepEqual(found('van der Berg', { columnHint: 'lastName' }), [['PERSON', 'van der Berg']])
    assert.deepEqual(found('Springfield', { columnHint: 'city' }), [['LOCATION', 'Springfield']])
    assert.deepEqual(found('742 Evergreen Terrace', { columnHint: 'billing_street' }), [
      ['LOCATION', '742 Evergreen Terrace'],
    ])
    assert.deepEqual(found('Smith', { columnHint: 'product_name' }), [])
    assert.deepEqual(found('n/a', { columnHint: 'surname' }), [])
    assert.deepEqual(found('12345', { columnHint: 'first_name' }), [])
  })

  it('are read from snake, camel and kebab case', () => {
    assert.deepEqual([...parseColumnHint('emailAddress').boost], ['EMAIL_ADDRESS'])
    assert.deepEqual([...parseColumnHint('ip-address').boost], ['IP_ADDRESS'])
    assert.equal(parseColumnHint('FirstName').whole, 'PERSON')
    assert.equal(parseColumnHint('street_name').whole, 'LOCATION')
    assert.equal(parseColumnHint('id_card_number').boost.has('CREDIT_CARD'), false)
  })
})

describe('offsets', () => {
  it('are UTF-16 indices, right after accents, CJK and emoji', () => {
    const text = 'Grüße 👋🏽 from 東京: mail ñandú@example.com, IBAN DE89370400440532013000'
    const hits = detectPii(text)
    assert.deepEqual(
      hits.map((f) => [f.type, text.slice(f.start, f.end)]),
      [
        ['EMAIL_ADDRESS', 'ñandú@example.com'],
        ['IBAN_CODE', 'DE89370400440532013000'],
      ],
    )
    assert.equal(hits[0]?.start, text.indexOf('ñandú'))
  })
})

describe('overlaps', () => {
  const text = 'NHS 943 476 5919'

  it('keep the higher score, or the longer span on a tie', () => {
    const all = detectPii(text, { minScore: 0, overlaps: 'all' })
    assert.ok(all.length > 1, 'several detectors match the same digits')
    const best = detectPii(text, { minScore: 0 })
    assert.deepEqual(
      best.map((f) => [f.type, f.score]),
      [['UK_NHS', 0.8]],
    )
  })

  it('can return every finding, in text order', () => {
    const all = detectPii(text, { minScore: 0, overlaps: 'all' })
    const sorted = [...all].sort((a, b) => a.start - b.start || b.end - a.end)
    assert.deepEqual(
      all.map((f) => f.start),
      sorted.map((f) => f.start),
    )
  })
})

describe('options', () => {
  it('filter by type and score', () => {
    const text = 'mail a@example.com, SSN 536-22-1784'
    assert.deepEqual(found(text, { types: ['US_SSN'] }), [['US_SSN', '536-22-1784']])
    assert.deepEqual(found(text, { minScore: 0.99 }), [['EMAIL_ADDRESS', 'a@example.com']])
  })

  it('reject unknown types with a suggestion', () => {
    assert.throws(
      () => createPiiDetector({ types: ['EMAIL_ADDRESS', 'EMAIL_ADRESS'] }),
      (err: unknown) =>
        err instanceof PiiOptionError &&
        err.code === 'pii_option_invalid' &&
        err.message === "unknown entity type 'EMAIL_ADRESS'" &&
        err.details[0]?.path === 'types/1' &&
        err.details[0]?.hint === "did you mean 'EMAIL_ADDRESS'?",
    )
  })

  it('reject scores outside 0–1, bad windows and unknown regions', () => {
    assert.throws(() => createPiiDetector({ minScore: 1.5 }), /minScore must be between 0 and 1, got 1.5/)
    assert.throws(() => createPiiDetector({ minScore: Number.NaN }), PiiOptionError)
    assert.throws(() => createPiiDetector({ contextWindow: { before: -1, after: 0 } }), PiiOptionError)
    assert.throws(() => createPiiDetector({ phoneRegions: ['XX'] }), /unknown phone region 'XX'/)
  })
})
