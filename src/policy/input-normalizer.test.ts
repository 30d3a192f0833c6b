// The hand-written RFC 3339 parser against Date.parse, and the timestamps it refuses.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { parseTimestamp } from './input-normalizer.ts'

const pad = (n: number, width = 2): string => String(n).padStart(width, '0')

describe('parseTimestamp', () => {
  it('gives the same instant as Date.parse for every valid timestamp', () => {
    fc.assert(
      fc.property(
        fc.date({
          min: new Date('1000-01-01T00:00:00Z'),
          max: new Date('9998-12-31T23:59:59Z'),
          noInvalidDate: true,
        }),
        fc.integer({ min: -23 * 60 - 59, max: 23 * 60 + 59 }),
        fc.constantFrom('', '.5', '.25', '.123', '.123456789'),
        fc.constantFrom('T', 't', ' '),
        (instant, offset, fraction, separator) => {
          const local = new Date(instant.getTime() + offset * 60_000)
          const zone =
            offset === 0 && fraction === ''
              ? 'Z'
              : `${offset < 0 ? '-' : '+'}${pad(Math.floor(Math.abs(offset) / 60))}:${pad(Math.abs(offset) % 60)}`
          const text = `${pad(local.getUTCFullYear(), 4)}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())}${separator}${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:${pad(local.getUTCSeconds())}${fraction}${zone}`
          assert.equal(parseTimestamp(text)?.getTime(), Date.parse(text.replace(/[t ]/, 'T')), text)
        },
      ),
      { numRuns: 2000 },
    )
  })

  const invalid = [
    '2026-02-30T10:00:00Z',
    '2025-02-29T10:00:00Z',
    '2026-13-01T10:00:00Z',
    '2026-01-01T24:00:00Z',
    '2026-01-01T10:60:00Z',
    '2026-01-01T10:00:60Z',
    '2026-01-01T10:00:00+25:00',
    '2026-01-01T10:00:00',
    '2026-01-01T10:00:00.Z',
    '2026-01-01T10:00:00Zjunk',
    '2026-1-01T10:00:00Z',
    '2026-01-01',
    '',
  ]
  for (const text of invalid) {
    it(`refuses ${JSON.stringify(text)}`, () => assert.equal(parseTimestamp(text), undefined))
  }

  it('accepts Feb 29 of a leap year and years before 100', () => {
    assert.equal(parseTimestamp('2024-02-29T23:30:00-01:00')?.toISOString(), '2024-03-01T00:30:00.000Z')
    assert.equal(parseTimestamp('0050-06-01T00:00:00Z')?.getUTCFullYear(), 50)
  })
})
