// verifyChain names the first broken link: a table of every kind of tampering, with the
// exact problem, seq, id and message, and a property over random chains and edits.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { JitgateError } from '../shared/index.ts'
import type { AuditDraft, AuditEvent, StoredAuditEvent } from './audit-event.ts'
import { appendEvents, GENESIS_HEAD, hashEvent } from './hash-chain.ts'
import { toStoredEvent } from './stored-event.ts'
import { GENESIS_START, type VerifyResult, verifyChain, verifyChainAsync } from './verify-chain.ts'

function makeChain(n: number): AuditEvent[] {
  const drafts: AuditDraft[] = Array.from({ length: n }, (_, i) => ({
    actor: { type: 'user', id: `user-${i % 3}` },
    type: 'decision.made',
    subject: { type: 'request', id: `req-${i + 1}` },
    details: { n: i + 1 },
  }))
  const ids = drafts.map((_, i) => `ev-${i + 1}`)
  return appendEvents(GENESIS_HEAD, drafts, ids, () => new Date('2026-11-23T12:00:00.000Z'))
}

const at = (events: readonly AuditEvent[], seq: number): AuditEvent => events[seq - 1] as AuditEvent
/** An event with new details and its hash left as it was. */
const edited = (event: AuditEvent): AuditEvent => ({ ...event, details: { n: -1 } })
/** An event with new details and a hash recomputed to match them. */
const rehashed = (event: AuditEvent): AuditEvent => {
  const changed = edited(event)
  return { ...changed, hash: hashEvent(changed.prevHash, changed) }
}
/** A well-forged event claiming `seq` after `before`. */
const forged = (before: AuditEvent, seq: number): AuditEvent => {
  const event = { ...rehashed(before), id: 'forged', seq, prevHash: before.hash }
  return { ...event, hash: hashEvent(event.prevHash, event) }
}
const edit = (seq: number, change: (e: AuditEvent) => AuditEvent) => (events: AuditEvent[]) =>
  events.map((e) => (e.seq === seq ? change(e) : e))

interface Case {
  readonly name: string
  readonly tamper: (events: AuditEvent[]) => AuditEvent[]
  readonly expected: Omit<Extract<VerifyResult, { ok: false }>, 'ok'>
}

const cases: Case[] = [
  {
    name: 'an event changed in place',
    tamper: edit(5, edited),
    expected: {
      seq: 5,
      id: 'ev-5',
      problem: 'changed',
      message: 'event 5 (id ev-5) was changed: its hash does not match its content',
    },
  },
  {
    name: 'an event changed with its hash recomputed',
    tamper: edit(5, rehashed),
    expected: {
      seq: 5,
      id: 'ev-5',
      problem: 'changed',
      message:
        'event 5 (id ev-5) was changed: it has a new hash, but event 6 (id ev-6) after it still links to the original',
    },
  },
  {
    name: 'the first event rewritten to link elsewhere',
    tamper: edit(1, (e) => {
      const moved = { ...e, prevHash: '1'.repeat(64) }
      return { ...moved, hash: hashEvent(moved.prevHash, moved) }
    }),
    expected: {
      seq: 1,
      id: 'ev-1',
      problem: 'changed',
      message:
        'event 1 (id ev-1) does not link to the start of the chain: its prevHash is not the genesis hash',
    },
  },
  {
    name: 'a seq renumbered',
    tamper: edit(4, (e) => ({ ...e, seq: 40 })),
    expected: {
      seq: 40,
      id: 'ev-4',
      problem: 'changed',
      message: 'event 40 (id ev-4) was changed: its hash does not match its content',
    },
  },
  {
    name: 'an event removed',
    tamper: (events) => events.filter((e) => e.seq !== 4),
    expected: {
      seq: 4,
      problem: 'removed',
      message: 'event 4 was removed: event 5 (id ev-5) follows event 3',
    },
  },
  {
    name: 'several events removed',
    tamper: (events) => events.filter((e) => e.seq < 4 || e.seq > 6),
    expected: {
      seq: 4,
      problem: 'removed',
      message: 'events 4 to 6 were removed: event 7 (id ev-7) follows event 3',
    },
  },
  {
    name: 'the first event removed',
    tamper: (events) => events.slice(1),
    expected: {
      seq: 1,
      problem: 'removed',
      message: 'event 1 was removed: event 2 (id ev-2) follows the start of the log',
    },
  },
  {
    name: 'two neighbours swapped',
    tamper: (events) => [...events.slice(0, 3), at(events, 5), at(events, 4), ...events.slice(5)],
    expected: {
      seq: 4,
      id: 'ev-5',
      problem: 'reordered',
      message: 'events are out of order at 4: event 5 (id ev-5) comes where event 4 belongs',
    },
  },
  {
    name: 'two distant events swapped',
    tamper: (events) => events.map((e) => (e.seq === 3 ? at(events, 8) : e.seq === 8 ? at(events, 3) : e)),
    expected: {
      seq: 3,
      id: 'ev-8',
      problem: 'reordered',
      message: 'events are out of order at 3: event 8 (id ev-8) comes where event 3 belongs',
    },
  },
  {
    name: 'a forged event inserted with a valid hash',
    tamper: (events) => [...events.slice(0, 4), forged(at(events, 4), 5), ...events.slice(4)],
    expected: {
      seq: 5,
      id: 'forged',
      problem: 'inserted',
      message: 'event 5 (id forged) was inserted: event 5 (id ev-5) after it links to the event before it',
    },
  },
  {
    name: 'a forged event inserted and the later seqs renumbered',
    tamper: (events) => [
      ...events.slice(0, 4),
      forged(at(events, 4), 5),
      ...events.slice(4).map((e) => ({ ...e, seq: e.seq + 1 })),
    ],
    expected: {
      seq: 5,
      id: 'forged',
      problem: 'inserted',
      message: 'event 5 (id forged) was inserted: event 6 (id ev-5) after it links to the event before it',
    },
  },
  {
    name: 'a garbage event inserted',
    tamper: (events) => [
      ...events.slice(0, 4),
      { ...edited(at(events, 4)), id: 'junk', seq: 5 },
      ...events.slice(4),
    ],
    expected: {
      seq: 5,
      id: 'junk',
      problem: 'inserted',
      message:
        'event 5 (id junk) was inserted: its hash does not match its content, and event 5 (id ev-5) continues the chain without it',
    },
  },
  {
    name: 'an event copied right after itself',
    tamper: (events) => [...events.slice(0, 4), at(events, 4), ...events.slice(4)],
    expected: {
      seq: 4,
      id: 'ev-4',
      problem: 'inserted',
      message: 'event 4 (id ev-4) appears twice in a row: a copy was inserted',
    },
  },
  {
    name: 'an earlier event copied further down',
    tamper: (events) => [...events.slice(0, 6), at(events, 2), ...events.slice(6)],
    expected: {
      seq: 2,
      id: 'ev-2',
      problem: 'inserted',
      message: 'event 2 (id ev-2) appears again after event 6: a copy was inserted',
    },
  },
  {
    name: 'a hash field blanked (a malformed row)',
    tamper: edit(3, (e) => ({ ...e, hash: null as unknown as string })),
    expected: {
      seq: 3,
      id: 'ev-3',
      problem: 'changed',
      message: 'event 3 (id ev-3) was changed: its hash does not match its content',
    },
  },
]

describe('verifyChain', () => {
  it('accepts an intact chain, from the genesis or from any point', () => {
    const events = makeChain(10)
    assert.deepEqual(verifyChain(events), { ok: true, count: 10, lastSeq: 10, lastHash: at(events, 10).hash })
    assert.deepEqual(verifyChain(asRows(events)), verifyChain(events))
    assert.deepEqual(verifyChain(events.slice(6), { seq: 7, prevHash: at(events, 6).hash }), {
      ok: true,
      count: 4,
      lastSeq: 10,
      lastHash: at(events, 10).hash,
    })
    assert.deepEqual(verifyChain([]), { ok: true, count: 0, lastSeq: 0, lastHash: GENESIS_START.prevHash })
  })

  for (const { name, tamper, expected } of cases) {
    it(`finds ${name}`, async () => {
      const events = tamper(makeChain(10))
      assert.deepEqual(verifyChain(events), { ok: false, ...expected })
      assert.deepEqual(await verifyChainAsync(toAsync(events)), { ok: false, ...expected })
      // The same rows as a store reads them: details as text, in pages.
      assert.deepEqual(await verifyChainAsync(toAsync(pages(asRows(events), 3))), { ok: false, ...expected })
    })
  }

  it('does not read past the first broken link', () => {
    let read = 0
    const events = edit(3, edited)(makeChain(10))
    const counted = (function* () {
      for (const e of events) {
        read++
        yield e
      }
    })()
    assert.equal(verifyChain(counted).ok, false)
    assert.equal(read, 4)
  })
})

describe('verifyChain with an anchor', () => {
  const events = makeChain(10)
  const anchor = { seq: 8, hash: at(events, 8).hash }

  it('accepts a chain that reaches the anchor and goes on', () => {
    assert.equal(verifyChain(events, GENESIS_START, { anchor }).ok, true)
  })

  it('finds the newest events dropped', () => {
    assert.deepEqual(verifyChain(events.slice(0, 6), GENESIS_START, { anchor }), {
      ok: false,
      seq: 7,
      problem: 'removed',
      message: 'the chain ends at event 6, but the anchored head is event 8: events 7 to 8 were removed',
    })
  })

  it('finds a chain rewritten consistently', () => {
    const rewritten = [...events.slice(0, 5)]
    for (const e of events.slice(5)) {
      const before = rewritten[rewritten.length - 1] as AuditEvent
      const next = { ...edited(e), prevHash: before.hash }
      rewritten.push({ ...next, hash: hashEvent(next.prevHash, next) })
    }
    assert.equal(verifyChain(rewritten).ok, true)
    assert.deepEqual(verifyChain(rewritten, GENESIS_START, { anchor }), {
      ok: false,
      seq: 8,
      id: 'ev-8',
      problem: 'changed',
      message:
        'event 8 (id ev-8) does not match the anchored head: its hash differs from the one recorded outside the store, so the log was rewritten up to here',
    })
  })

  it('checks an anchor just before the start against the start', () => {
    const start = { seq: 9, prevHash: '2'.repeat(64) }
    assert.deepEqual(verifyChain(events.slice(8), start, { anchor }), {
      ok: false,
      seq: 8,
      problem: 'changed',
      message:
        'the chain does not start from the anchored hash of event 8: the checkpoint it starts from was changed',
    })
  })

  it('refuses an anchor it cannot check', () => {
    assert.throws(
      () => verifyChain(events.slice(9), { seq: 10, prevHash: at(events, 9).hash }, { anchor }),
      (err: unknown) =>
        err instanceof JitgateError &&
        err.code === 'audit_anchor_before_start' &&
        err.message === 'the anchor (event 8) lies before where verification starts (event 10)',
    )
  })
})

describe('verifyChain, property', () => {
  type Edit =
    | { kind: 'change'; seq: number }
    | { kind: 'rehash'; seq: number }
    | { kind: 'remove'; seq: number }
    | { kind: 'swap'; seq: number; other: number }

  const scenario = fc.integer({ min: 2, max: 40 }).chain((n) =>
    fc.record({
      n: fc.constant(n),
      from: fc.integer({ min: 1, max: n }),
      edit: fc.oneof(
        fc.record({ kind: fc.constant('change' as const), seq: fc.integer({ min: 1, max: n }) }),
        fc.record({ kind: fc.constant('rehash' as const), seq: fc.integer({ min: 1, max: n }) }),
        fc.record({ kind: fc.constant('remove' as const), seq: fc.integer({ min: 1, max: n }) }),
        fc
          .tuple(fc.integer({ min: 1, max: n }), fc.integer({ min: 1, max: n }))
          .filter(([a, b]) => a !== b)
          .map(([a, b]) => ({ kind: 'swap' as const, seq: Math.min(a, b), other: Math.max(a, b) })),
      ),
    }),
  )

  function apply(events: AuditEvent[], e: Edit): AuditEvent[] {
    switch (e.kind) {
      case 'change':
        return edit(e.seq, edited)(events)
      case 'rehash':
        return edit(e.seq, rehashed)(events)
      case 'remove':
        return events.filter((x) => x.seq !== e.seq)
      case 'swap':
        return events.map((x) =>
          x.seq === e.seq ? at(events, e.other) : x.seq === e.other ? at(events, e.seq) : x,
        )
    }
  }

  const expectedProblem = {
    change: 'changed',
    rehash: 'changed',
    remove: 'removed',
    swap: 'reordered',
  } as const

  it('finds any single change, removal or swap at its seq (anchored at the last event)', () => {
    fc.assert(
      fc.property(scenario, ({ n, from, edit: e }) => {
        fc.pre(e.seq >= from)
        const events = makeChain(n)
        const start = { seq: from, prevHash: from === 1 ? GENESIS_START.prevHash : at(events, from - 1).hash }
        // Retention deleted what lies before `from`; the edit is in what is kept.
        const kept = apply(events, e).filter((x) => x.seq >= from)
        const result = verifyChain(kept, start, { anchor: { seq: n, hash: at(events, n).hash } })
        const id = e.kind === 'remove' ? undefined : `ev-${e.kind === 'swap' ? e.other : e.seq}`
        assert.deepEqual(result.ok ? result : [result.problem, result.seq, result.id], [
          expectedProblem[e.kind],
          e.seq,
          id,
        ])
      }),
      { numRuns: 1000 },
    )
  })
})

/** Rows as a store keeps them, their details text made from the (maybe tampered) details. */
function asRows(events: readonly AuditEvent[]): StoredAuditEvent[] {
  return events.map(({ detailsJson: _stale, ...event }: AuditEvent & { detailsJson?: string }) =>
    toStoredEvent(event),
  )
}

function pages<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = []
  for (let at = 0; at < items.length; at += size) out.push(items.slice(at, at + size))
  return out
}

async function* toAsync<T>(items: Iterable<T>): AsyncIterable<T> {
  yield* items
}

describe('verifyChainAsync over large pages (hashes checked on a worker thread)', () => {
  const events = makeChain(700)
  const tampers: [string, (events: AuditEvent[]) => AuditEvent[]][] = [
    ['intact', (e) => e],
    ['an event changed', edit(650, edited)],
    ['an event removed', (e) => [...e.slice(0, 499), ...e.slice(500)]],
    ['two events swapped', (e) => [...e.slice(0, 299), at(e, 301), at(e, 300), ...e.slice(301)]],
  ]
  for (const [name, tamper] of tampers) {
    it(`gives what the synchronous verifier gives: ${name}`, async () => {
      const tampered = tamper(events)
      const expected = verifyChain(tampered)
      assert.deepEqual(await verifyChainAsync(toAsync(pages(asRows(tampered), 300))), expected)
    })
  }
})
