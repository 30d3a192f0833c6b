// The group-commit writer on in-memory stores typed against the port: coalescing,
// durability before resolving, failures that reject a whole batch without advancing
// the chain, and two writers sharing one log.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { JitgateError } from '../shared/index.ts'
import type { AuditDraft, ChainedEvent, ChainHead } from './audit-event.ts'
import type { AuditStore } from './audit-port.ts'
import { AuditWriter } from './audit-writer.ts'
import { CanonicalJson } from './canonical-json.ts'
import { contentHash } from './hash-chain.ts'
import { MemoryAuditStore } from './memory-audit-store.ts'
import { REDACTED } from './redact-details.ts'
import { toStoredEvent } from './stored-event.ts'
import { verifyChain } from './verify-chain.ts'

const NOW = new Date('2026-11-23T15:00:00.000Z')

function draft(i: number, details: AuditDraft['details'] = { i }): AuditDraft {
  return {
    actor: { type: 'service', id: 'svc' },
    type: 'decision.made',
    subject: { type: 'request', id: `r${i}` },
    details,
  }
}

/** A store that records its batches and, when told to, holds them or fails them. */
class ScriptedStore implements Pick<AuditStore, 'appendBatch' | 'head'> {
  readonly inner = new MemoryAuditStore()
  readonly batches: number[] = []
  headReads = 0
  conflicts = 0
  failNext: Error[] = []
  #gate: Promise<void> | undefined
  #open: (() => void) | undefined

  /** Holds every batch until release() is called. */
  hold(): void {
    this.#gate = new Promise((resolve) => {
      this.#open = resolve
    })
  }

  release(): void {
    this.#open?.()
    this.#gate = undefined
  }

  async appendBatch(events: readonly ChainedEvent[]): Promise<void> {
    this.batches.push(events.length)
    await this.#gate
    const failure = this.failNext.shift()
    if (failure !== undefined) throw failure
    try {
      await this.inner.appendBatch(events)
    } catch (err) {
      this.conflicts++
      throw err
    }
  }

  async head(): Promise<ChainHead | undefined> {
    this.headReads++
    return this.inner.head()
  }
}

function writerOn(store: Pick<AuditStore, 'appendBatch' | 'head'>, maxBatch?: number): AuditWriter {
  let n = 0
  return new AuditWriter({
    store,
    newId: () => `ev-${++n}`,
    now: () => NOW,
    ...(maxBatch ? { maxBatch } : {}),
  })
}

const isWriteFailure = (cause: Error) => (err: unknown) =>
  err instanceof JitgateError &&
  err.code === 'audit_write_failed' &&
  err.status === 503 &&
  err.message === 'the audit log could not record the event, so the action it records must not proceed' &&
  err.cause === cause

describe('AuditWriter', () => {
  it('resolves with the chained event once it is stored', async () => {
    const store = new ScriptedStore()
    const event = await writerOn(store).append(draft(1))
    assert.deepEqual([event.seq, event.id, event.time], [1, 'ev-1', NOW.toISOString()])
    assert.deepEqual(store.inner.events, [toStoredEvent(event)])
    assert.equal(event.detailsJson, '{"i":1}')
  })

  it('coalesces appends made while a batch is written into the next batch', async () => {
    const store = new ScriptedStore()
    const writer = writerOn(store)
    store.hold()
    const first = Array.from({ length: 3 }, (_, i) => writer.append(draft(i)))
    await new Promise((resolve) => setImmediate(resolve))
    const second = Array.from({ length: 5 }, (_, i) => writer.append(draft(10 + i)))
    store.release()
    await Promise.all([...first, ...second])
    assert.deepEqual(store.batches, [3, 5])
    assert.equal(verifyChain(store.inner.events).ok, true)
  })

  it('hands the next batch to the store while the one before is still being written', async () => {
    const store = new ScriptedStore()
    const writer = writerOn(store)
    const tick = () => new Promise((resolve) => setImmediate(resolve))
    store.hold()
    const appends = Array.from({ length: 3 }, (_, i) => writer.append(draft(i)))
    await tick()
    appends.push(...Array.from({ length: 5 }, (_, i) => writer.append(draft(10 + i))))
    await tick()
    assert.deepEqual(store.batches, [3, 5], 'the second batch is chained on the first before it is durable')
    appends.push(writer.append(draft(20)), writer.append(draft(21)))
    await tick()
    assert.deepEqual(store.batches, [3, 5], 'no more than two batches in flight')
    store.release()
    const events = await Promise.all(appends)
    assert.deepEqual(store.batches, [3, 5, 2])
    assert.deepEqual(
      events.map((event) => event.seq),
      Array.from({ length: 10 }, (_, i) => i + 1),
    )
    assert.equal(verifyChain(store.inner.events).ok, true)
  })

  it('re-chains the batch in flight behind a failed one, which the store refused', async () => {
    const store = new ScriptedStore()
    const writer = writerOn(store)
    const tick = () => new Promise((resolve) => setImmediate(resolve))
    const disk = new Error('disk full')
    store.failNext.push(disk)
    store.hold()
    const failed = Array.from({ length: 3 }, (_, i) => writer.append(draft(i)))
    await tick()
    const behind = Array.from({ length: 2 }, (_, i) => writer.append(draft(10 + i)))
    await tick()
    store.release()
    for (const append of failed) await assert.rejects(append, isWriteFailure(disk))
    const events = await Promise.all(behind)
    assert.deepEqual(
      events.map((event) => event.seq),
      [1, 2],
    )
    assert.equal(store.conflicts, 1, 'its first attempt was chained on the failed batch')
    assert.equal(verifyChain(store.inner.events).ok, true)
  })

  it('caps a batch at maxBatch', async () => {
    const store = new ScriptedStore()
    const writer = writerOn(store, 1000)
    await Promise.all(Array.from({ length: 2500 }, (_, i) => writer.append(draft(i))))
    assert.deepEqual(store.batches, [1000, 1000, 500])
    assert.deepEqual(verifyChain(store.inner.events).ok && store.inner.events.length, 2500)
  })

  it('does not resolve before the store has written the batch', async () => {
    const store = new ScriptedStore()
    const writer = writerOn(store)
    store.hold()
    let resolved = false
    const pending = writer.append(draft(1)).then(() => {
      resolved = true
    })
    for (let turn = 0; turn < 5; turn++) await new Promise((resolve) => setImmediate(resolve))
    assert.deepEqual([resolved, store.batches], [false, [1]])
    store.release()
    await pending
    assert.equal(resolved, true)
  })

  it('rejects every append of a failed batch and does not advance the chain', async () => {
    const store = new ScriptedStore()
    const writer = writerOn(store)
    await Promise.all([writer.append(draft(1)), writer.append(draft(2))])
    const disk = new Error('disk full')
    store.failNext.push(disk)
    const failed = [writer.append(draft(3)), writer.append(draft(4))]
    for (const append of failed) await assert.rejects(append, isWriteFailure(disk))
    const next = await writer.append(draft(5))
    assert.deepEqual([next.seq, next.prevHash], [3, store.inner.events[1]?.hash])
    assert.equal(store.headReads, 2, 'read once at start and once after the failure')
    assert.equal(verifyChain(store.inner.events).ok, true)
  })

  it('rejects a wrong draft alone, leaving its neighbours in the batch', async () => {
    const store = new ScriptedStore()
    const writer = writerOn(store)
    const results = await Promise.allSettled([
      writer.append(draft(1)),
      writer.append({ ...draft(2), actor: { type: 'robot' as 'user', id: '' } }),
      writer.append(draft(3)),
    ])
    assert.deepEqual(
      results.map((r) => r.status),
      ['fulfilled', 'rejected', 'fulfilled'],
    )
    const reason = (results[1] as PromiseRejectedResult).reason as JitgateError
    assert.equal(reason.code, 'audit_invalid_event')
    assert.deepEqual(reason.details, [
      { path: '/actor/type', message: 'must be one of user, service, system' },
      { path: '/actor/id', message: 'must be a non-empty string' },
    ])
    assert.deepEqual(store.batches, [2])
  })

  it('records the draft as it was when appended, whatever the caller changes later', async () => {
    const store = new ScriptedStore()
    const mutable = { actor: { type: 'user' as const, id: 'alice' }, details: { n: 1 } }
    const pending = writerOn(store).append({ ...draft(1), ...mutable })
    mutable.actor.id = 'mallory'
    mutable.details.n = 2
    const event = await pending
    assert.deepEqual([event.actor.id, event.details], ['alice', { n: 1 }])
  })

  it('redacts details before chaining them', async () => {
    const store = new ScriptedStore()
    const event = await writerOn(store).append(draft(1, { password: 'hunter2', rows: 3 }))
    assert.deepEqual(event.details, { password: REDACTED, rows: 3 })
  })

  it('keeps a CanonicalJson member as its text, unredacted, and the chain verifies from the stored text', async () => {
    const store = new ScriptedStore()
    // Looks like a secret to the redactor, but jitgate made it: kept as it is.
    const rows = new CanonicalJson('[["token=abc",1,null],[2.5,"x"]]')
    const event = await writerOn(store).append(draft(1, { rows, password: 'hunter2' }))
    assert.equal(event.detailsJson, '{"password":"[redacted]","rows":[["token=abc",1,null],[2.5,"x"]]}')
    assert.deepEqual(JSON.parse(JSON.stringify(event.details)), JSON.parse(event.detailsJson))
    // From the stored text, and from the details object holding the CanonicalJson.
    assert.equal(verifyChain(store.inner.events).ok, true)
    assert.equal(contentHash(event), event.hash)
  })

  it('re-chains when another writer moved the head, so two writers share one log', async () => {
    const store = new ScriptedStore()
    const a = writerOn(store)
    let n = 0
    const b = new AuditWriter({ store, newId: () => `b-${++n}`, now: () => NOW })
    for (let round = 0; round < 20; round++)
      await Promise.all([a.append(draft(round)), b.append(draft(round)), a.append(draft(round))])
    assert.equal(store.inner.events.length, 60)
    assert.ok(store.conflicts >= 20, `each round has a conflict, saw ${store.conflicts}`)
    assert.equal(verifyChain(store.inner.events).ok, true)
  })

  it('gives up after maxRetries when the head keeps moving', async () => {
    const store = new ScriptedStore()
    const writer = new AuditWriter({ store, newId: () => 'x', now: () => NOW, maxRetries: 2 })
    const moved = new JitgateError('audit_head_moved', 'moved', { status: 409 })
    store.failNext.push(moved, moved, moved)
    await assert.rejects(writer.append(draft(1)), isWriteFailure(moved))
    assert.deepEqual(store.batches, [1, 1, 1])
  })

  it('rejects the batch when the store cannot even tell its head', async () => {
    const down = new Error('connection refused')
    const store: Pick<AuditStore, 'appendBatch' | 'head'> = {
      appendBatch: async () => {},
      head: async () => {
        throw down
      },
    }
    await assert.rejects(writerOn(store).append(draft(1)), isWriteFailure(down))
  })

  it('tells when everything appended so far is settled', async () => {
    const store = new ScriptedStore()
    const writer = writerOn(store)
    await writer.idle()
    store.hold()
    const appends = [writer.append(draft(1)), writer.append(draft(2))]
    const idle = writer.idle()
    store.release()
    await idle
    assert.equal(store.inner.events.length, 2)
    assert.deepEqual(writer.head, { seq: 2, hash: store.inner.events[1]?.hash })
    await Promise.all(appends)
  })

  it('refuses a maxBatch that is not a positive integer', () => {
    assert.throws(
      () => writerOn(new ScriptedStore(), 0.5),
      (err: unknown) => err instanceof JitgateError && err.code === 'audit_writer_invalid',
    )
  })
})
