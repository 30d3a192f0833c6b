// The hash chain: the hashed bytes are exactly the RFC 8785 encoding of the event, the
// hash of a fixed event never changes, and appendEvents chains batches purely.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { JitgateError } from '../shared/index.ts'
import type { AuditDraft, AuditEvent, ChainedEvent } from './audit-event.ts'
import { canonicalJson, type JsonObject } from './canonical-json.ts'
import {
  appendEvents,
  canonicalEvent,
  contentHash,
  GENESIS_HASH,
  GENESIS_HEAD,
  hashEvent,
  hashStoredEvent,
  headAfter,
} from './hash-chain.ts'
import { fromStoredEvent, toStoredEvent } from './stored-event.ts'

const clock = () => new Date('2026-11-23T13:49:00.123Z')
const draft: AuditDraft = {
  actor: { type: 'user', id: 'alice' },
  type: 'request.approved',
  subject: { type: 'request', id: 'req-1' },
  details: { step: 'peer', quorum: 1, comment: 'ok ✓' },
  policyVersion: 'v1',
}

function withoutHash(event: ChainedEvent): JsonObject {
  const { hash: _hash, detailsJson: _text, ...rest } = event
  return rest as unknown as JsonObject
}

const text = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 12 })
const draftArb: fc.Arbitrary<AuditDraft> = fc.record(
  {
    actor: fc.record({ type: fc.constantFrom('user', 'service', 'system'), id: text }),
    type: fc.constantFrom('decision.made', 'grant.revoked', 'dsar.export_started'),
    subject: fc.record({ type: text, id: text }),
    details: fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 2 })) as fc.Arbitrary<JsonObject>,
    policyVersion: text,
  },
  { requiredKeys: ['actor', 'type', 'subject'] },
)

describe('canonicalEvent', () => {
  it('is the RFC 8785 encoding of the event without its hash', () => {
    fc.assert(
      fc.property(fc.array(draftArb, { minLength: 1, maxLength: 5 }), (drafts) => {
        const ids = drafts.map((_, i) => `id-${i}`)
        for (const event of appendEvents(GENESIS_HEAD, drafts, ids, clock)) {
          assert.equal(canonicalEvent(event.prevHash, event), canonicalJson(withoutHash(event)))
          assert.equal(event.detailsJson, canonicalJson(event.details))
        }
      }),
    )
  })

  it('gives a fixed event a fixed hash: changing the encoding would break every stored chain', () => {
    const [event] = appendEvents(GENESIS_HEAD, [draft], ['0192f1a4-7b2c-7def-8a00-000000000001'], clock)
    assert.ok(event)
    assert.equal(
      canonicalEvent(GENESIS_HASH, event),
      `{"actor":{"id":"alice","type":"user"},"details":{"comment":"ok ✓","quorum":1,"step":"peer"},"id":"0192f1a4-7b2c-7def-8a00-000000000001","policyVersion":"v1","prevHash":"${GENESIS_HASH}","seq":1,"subject":{"id":"req-1","type":"request"},"time":"2026-11-23T13:49:00.123Z","type":"request.approved"}`,
    )
    // `printf '%s' '<the text above>' | sha256sum` gives the same.
    assert.equal(event.hash, '8d8faf803d26aaad2717ddc029991966df0208a4129e905f8f8e6f11983142a8')
  })

  it('changes the hash when any field changes', () => {
    const [event] = appendEvents(GENESIS_HEAD, [draft], ['e1'], clock)
    assert.ok(event)
    const variants: Partial<AuditEvent>[] = [
      { seq: 2 },
      { id: 'e2' },
      { time: '2026-11-23T13:49:00.124Z' },
      { actor: { type: 'service', id: 'alice' } },
      { type: 'request.rejected' },
      { subject: { type: 'request', id: 'req-2' } },
      { details: { step: 'peer', quorum: 2, comment: 'ok ✓' } },
      { policyVersion: 'v2' },
      { policyVersion: undefined },
    ]
    for (const change of variants)
      assert.notEqual(hashEvent(event.prevHash, { ...event, ...change }), event.hash)
    assert.notEqual(hashEvent('1'.repeat(64), event), event.hash)
  })

  it('does not let a string field turn into a number unnoticed', () => {
    const [event] = appendEvents(
      GENESIS_HEAD,
      [{ ...draft, subject: { type: 'request', id: '42' } }],
      ['e1'],
      clock,
    )
    assert.ok(event)
    const changed = { ...event, subject: { type: 'request', id: 42 as unknown as string } }
    assert.throws(() => hashEvent(event.prevHash, changed))
  })
})

describe('hashStoredEvent', () => {
  const [event] = appendEvents(GENESIS_HEAD, [draft], ['e1'], clock)
  assert.ok(event)
  const row = toStoredEvent(event)

  it('hashes a stored row like the event it holds, without parsing its details', () => {
    assert.equal('details' in row, false)
    assert.equal(hashStoredEvent(row), event.hash)
    assert.equal(contentHash(row), event.hash)
    assert.equal(contentHash(event), event.hash)
    const { detailsJson: _text, ...parsed } = event
    assert.deepEqual(fromStoredEvent(row), parsed)
  })

  it('changes the hash when the stored text changes by a byte, even to equal JSON', () => {
    for (const detailsJson of [
      row.detailsJson.replace('"quorum":1', '"quorum":2'),
      row.detailsJson.replace('"quorum":1', '"quorum":1.0'),
      row.detailsJson.replace(',', ', '),
    ])
      assert.notEqual(hashStoredEvent({ ...row, detailsJson }), event.hash, detailsJson)
  })

  it('reads a damaged row as not JSON, naming it', () => {
    assert.throws(
      () => fromStoredEvent({ ...row, detailsJson: '{"a":' }),
      (err: unknown) =>
        err instanceof JitgateError &&
        err.code === 'audit_details_unreadable' &&
        err.message ===
          'the details of event 1 (id e1) are not a JSON object: the row was damaged or changed',
    )
  })
})

describe('appendEvents', () => {
  it('continues from the head: seq, prevHash, ids in order, one time for the batch', () => {
    const first = appendEvents(GENESIS_HEAD, [draft, draft], ['a', 'b'], clock)
    const second = appendEvents(headAfter(GENESIS_HEAD, first), [draft], ['c'], () => new Date(0))
    const all = [...first, ...second]
    assert.deepEqual(
      all.map((e) => [e.seq, e.id, e.time]),
      [
        [1, 'a', '2026-11-23T13:49:00.123Z'],
        [2, 'b', '2026-11-23T13:49:00.123Z'],
        [3, 'c', '1970-01-01T00:00:00.000Z'],
      ],
    )
    assert.equal(all[0]?.prevHash, GENESIS_HASH)
    for (let i = 1; i < all.length; i++) assert.equal(all[i]?.prevHash, all[i - 1]?.hash)
    for (const e of all) assert.equal(e.hash, hashEvent(e.prevHash, e))
    assert.deepEqual(headAfter(GENESIS_HEAD, all), { seq: 3, hash: all[2]?.hash })
  })

  it('leaves policyVersion out when the draft has none, and defaults details to {}', () => {
    const [event] = appendEvents(
      GENESIS_HEAD,
      [{ ...draft, details: undefined, policyVersion: undefined }],
      ['a'],
      clock,
    )
    assert.ok(event)
    assert.equal('policyVersion' in event, false)
    assert.deepEqual(event.details, {})
  })

  const refusals: [string, () => unknown, string, string][] = [
    [
      'ids that do not match the drafts',
      () => appendEvents(GENESIS_HEAD, [draft], [], clock),
      'audit_invalid_batch',
      '1 drafts need as many ids, got 0',
    ],
    [
      'an invalid type',
      () =>
        appendEvents(
          GENESIS_HEAD,
          [{ ...draft, type: 'Request.Approved' as 'request.approved' }],
          ['a'],
          clock,
        ),
      'audit_invalid_event',
      'the audit event is invalid: /type must be dotted lowercase, like request.approved',
    ],
    [
      'an invalid clock',
      () => appendEvents(GENESIS_HEAD, [draft], ['a'], () => new Date(Number.NaN)),
      'audit_clock_invalid',
      'the clock returned an invalid or out-of-range time',
    ],
  ]
  for (const [what, run, code, message] of refusals) {
    it(`refuses ${what}`, () => {
      assert.throws(
        run,
        (err: unknown) => err instanceof JitgateError && err.code === code && err.message === message,
      )
    })
  }
})
