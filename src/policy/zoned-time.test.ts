// The cached-offset local clock must agree with Intl's own wall clock everywhere,
// including zones off the hour grid and across daylight-saving transitions.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { ZonedClock } from './zoned-time.ts'

const ZONES = [
  'UTC',
  'Europe/Berlin',
  'America/New_York',
  'America/St_Johns',
  'Asia/Kathmandu',
  'Australia/Lord_Howe',
  'Pacific/Chatham',
  'Asia/Kolkata',
]

function reference(t: number, zone: string): { minutes: number; weekday: string } {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    hour: 'numeric',
    minute: 'numeric',
    weekday: 'short',
  }).formatToParts(t)
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? ''
  return { minutes: Number(get('hour')) * 60 + Number(get('minute')), weekday: get('weekday').toLowerCase() }
}

describe('ZonedClock', () => {
  it('agrees with Intl at random instants in every zone (2000–2040)', () => {
    const clock = new ZonedClock()
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2040, 0, 1) }),
        fc.constantFrom(...ZONES),
        (t, zone) => {
          assert.deepEqual(clock.localTime(new Date(t), zone), reference(t, zone))
        },
      ),
      { numRuns: 3000 },
    )
  })

  it('agrees minute by minute around daylight-saving transitions', () => {
    const clock = new ZonedClock()
    const around = [
      ['Europe/Berlin', Date.UTC(2026, 2, 29, 1, 0)],
      ['Europe/Berlin', Date.UTC(2026, 9, 25, 1, 0)],
      ['America/St_Johns', Date.UTC(2026, 2, 8, 5, 30)],
      ['Australia/Lord_Howe', Date.UTC(2026, 3, 4, 15, 0)],
    ] as const
    for (const [zone, at] of around) {
      for (let t = at - 90 * 60_000; t <= at + 90 * 60_000; t += 60_000) {
        assert.deepEqual(
          clock.localTime(new Date(t), zone),
          reference(t, zone),
          `${zone} at ${new Date(t).toISOString()}`,
        )
      }
    }
  })
})
