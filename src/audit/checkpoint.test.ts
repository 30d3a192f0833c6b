// Retention behind a sealed checkpoint: the kept events still verify, and tampering with
// them or with the checkpoint is found.
import assert from 'node:assert/strict'
import { beforeEach, describe, it } from 'node:test'
import { JitgateError } from '../shared/index.ts'
import type { StoredAuditEvent } from './audit-event.ts'
import { AuditWriter } from './audit-writer.ts'
import {
  type Checkpoint,
  checkpointDraft,
  checkpointStart,
  createCheckpoint,
  isSealIntact,
  sealHash,
} from './checkpoint.ts'
import { hashStoredEvent } from './hash-chain.ts'
import { MemoryAuditStore } from './memory-audit-store.ts'
import { verifyLog } from './verify-log.ts'

const CREATED = '2026-11-23T14:00:00.000Z'

async function writeEvents(writer: AuditWriter, n: number): Promise<void> {
  await Promise.all(
    Array.from({ length: n }, (_, i) =>
      writer.append({
        actor: { type: 'user', id: 'u' },
        type: 'decision.made',
        subject: { type: 'request', id: `r${i}` },
      }),
    ),
  )
}

/** Retention as the service will run it: checkpoint, record it in the chain, delete. */
async function retainUpTo(store: MemoryAuditStore, writer: AuditWriter, seq: number): Promise<Checkpoint> {
  const covered = store.events.find((e) => e.seq === seq) as StoredAuditEvent
  const checkpoint = createCheckpoint(covered, await store.latestCheckpoint(), CREATED)
  await writer.append(checkpointDraft(checkpoint))
  await store.retain(checkpoint)
  return checkpoint
}

describe('createCheckpoint', () => {
  const covered = { seq: 12, hash: 'a'.repeat(64) }

  it('seals the covered head, the count and the time', () => {
    const first = createCheckpoint(covered, undefined, CREATED)
    const { sealHash: seal, ...fields } = first
    assert.deepEqual(fields, { seq: 12, hash: 'a'.repeat(64), count: 12, createdAt: CREATED })
    assert.equal(seal, sealHash(fields))
    const second = createCheckpoint({ seq: 30, hash: 'b'.repeat(64) }, first, CREATED)
    assert.equal(second.count, 18)
    assert.deepEqual(checkpointStart(second), { seq: 31, prevHash: 'b'.repeat(64) })
  })

  it('breaks its seal when any field changes', () => {
    const checkpoint = createCheckpoint(covered, undefined, CREATED)
    assert.equal(isSealIntact(checkpoint), true)
    for (const change of [
      { seq: 13 },
      { hash: 'c'.repeat(64) },
      { count: 11 },
      { createdAt: '2026-11-23T14:00:00.001Z' },
      { sealHash: 'e'.repeat(64) },
    ])
      assert.equal(isSealIntact({ ...checkpoint, ...change }), false, JSON.stringify(change))
  })

  const refusals: [string, () => unknown, string][] = [
    [
      'nothing new',
      () =>
        createCheckpoint(
          { seq: 12, hash: 'a'.repeat(64) },
          createCheckpoint(covered, undefined, CREATED),
          CREATED,
        ),
      'the checkpoint must cover events after the previous checkpoint (event 12)',
    ],
    [
      'seq 0',
      () => createCheckpoint({ seq: 0, hash: 'a'.repeat(64) }, undefined, CREATED),
      'the checkpoint must cover events after the start of the log',
    ],
    [
      'a bad hash',
      () => createCheckpoint({ seq: 1, hash: 'xyz' }, undefined, CREATED),
      'the checkpoint needs the 64 hex digit hash of the last event covered',
    ],
    [
      'a bad time',
      () => createCheckpoint(covered, undefined, '2026-11-23 14:00'),
      'the checkpoint needs createdAt as RFC 3339 UTC with milliseconds',
    ],
  ]
  for (const [what, run, message] of refusals) {
    it(`refuses ${what}`, () => {
      assert.throws(
        run,
        (err: unknown) =>
          err instanceof JitgateError && err.code === 'audit_checkpoint_invalid' && err.message === message,
      )
    })
  }
})

describe('verifyLog after retention', () => {
  let store: MemoryAuditStore
  let writer: AuditWriter
  let checkpoint: Checkpoint

  beforeEach(async () => {
    store = new MemoryAuditStore()
    let n = 0
    writer = new AuditWriter({ store, newId: () => `ev-${++n}`, now: () => new Date(CREATED) })
    await writeEvents(writer, 20)
    checkpoint = await retainUpTo(store, writer, 12)
    await writeEvents(writer, 3)
  })

  const verify = async (over: Partial<{ checkpoint: Checkpoint }> = {}) =>
    verifyLog({ checkpoint: over.checkpoint ?? checkpoint, events: store.read(1) })

  it('verifies the kept events from the checkpoint', async () => {
    assert.deepEqual(
      store.events.map((e) => e.seq),
      [13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24],
    )
    assert.equal(store.events[8]?.type, 'audit.checkpoint')
    const result = await verify()
    assert.deepEqual(result, { ok: true, count: 12, lastSeq: 24, lastHash: store.events[11]?.hash })
  })

  it('still finds a changed event after the checkpoint', async () => {
    const at = store.events.findIndex((e) => e.seq === 15)
    store.events[at] = { ...(store.events[at] as StoredAuditEvent), detailsJson: '{"injected":true}' }
    assert.deepEqual(await verify(), {
      ok: false,
      seq: 15,
      id: 'ev-15',
      problem: 'changed',
      message: 'event 15 (id ev-15) was changed: its hash does not match its content',
    })
  })

  it('still finds the first kept event removed', async () => {
    store.events.shift()
    assert.deepEqual(await verify(), {
      ok: false,
      seq: 13,
      problem: 'removed',
      message: 'event 13 was removed: event 14 (id ev-14) follows event 12',
    })
  })

  it('finds a checkpoint changed without re-sealing', async () => {
    assert.deepEqual(await verify({ checkpoint: { ...checkpoint, seq: 14 } }), {
      ok: false,
      seq: 14,
      problem: 'checkpoint',
      message: 'the checkpoint covering events up to 14 was changed: its seal does not match its fields',
    })
  })

  it('finds a checkpoint forged and re-sealed to hide deleted events', async () => {
    // Delete events 13 and 14 and claim the checkpoint covered them.
    const hidden = store.events.find((e) => e.seq === 14) as StoredAuditEvent
    store.events.splice(0, 2)
    const fields = { ...checkpoint, seq: 14, hash: hidden.hash, count: 14 }
    const forged = { ...fields, sealHash: sealHash(fields) }
    assert.deepEqual(await verify({ checkpoint: forged }), {
      ok: false,
      seq: 14,
      problem: 'checkpoint',
      message:
        'the checkpoint covering events up to 14 is not recorded in the chain: no audit.checkpoint event carries its seal',
    })
  })

  it('cannot catch a consistent rewrite of everything after the checkpoint without an anchor', async () => {
    const anchor = (await store.head()) as { seq: number; hash: string }
    let prevHash = checkpoint.hash
    const rewritten = store.events.map((e) => {
      const detailsJson = e.type === 'audit.checkpoint' ? e.detailsJson : '{"rewritten":true}'
      const next = { ...e, detailsJson, prevHash }
      prevHash = hashStoredEvent(next)
      return { ...next, hash: prevHash }
    })
    store.events.splice(0, store.events.length, ...rewritten)
    assert.equal((await verify()).ok, true)
    const anchored = await verifyLog({ checkpoint, events: store.read(1), anchor })
    assert.equal(anchored.ok ? 'ok' : anchored.problem, 'changed')
  })

  it('retains again behind a second checkpoint', async () => {
    const second = await retainUpTo(store, writer, 22)
    assert.equal(second.count, 10)
    assert.deepEqual(await store.head(), { seq: 25, hash: store.events[store.events.length - 1]?.hash })
    assert.equal((await verifyLog({ checkpoint: second, events: store.read(1) })).ok, true)
  })
})
