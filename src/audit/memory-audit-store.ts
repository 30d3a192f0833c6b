// An AuditStore kept in memory: for service tests of the features that write audit
// events, and for benchmarks of the pure core. Not durable, obviously.
import type { ChainedEvent, ChainHead, StoredAuditEvent } from './audit-event.ts'
import { AuditHeadMovedError, type AuditStore } from './audit-port.ts'
import type { Checkpoint } from './checkpoint.ts'
import { GENESIS_HEAD } from './hash-chain.ts'
import { toStoredEvent } from './stored-event.ts'

const PAGE = 256

export class MemoryAuditStore implements AuditStore {
  /** The stored rows in seq order; tests may tamper with them to exercise verification. */
  readonly events: StoredAuditEvent[] = []
  #checkpoint: Checkpoint | undefined

  async appendBatch(events: readonly ChainedEvent[]): Promise<void> {
    const first = events[0]
    if (first === undefined) return
    const head = this.#head()
    if (first.seq !== head.seq + 1 || first.prevHash !== head.hash)
      throw new AuditHeadMovedError({ seq: first.seq - 1, hash: first.prevHash }, head)
    for (const event of events) this.events.push(toStoredEvent(event))
  }

  async head(): Promise<ChainHead | undefined> {
    const head = this.#head()
    return head.seq === 0 ? undefined : head
  }

  async *read(from: number, limit = Number.POSITIVE_INFINITY): AsyncIterable<readonly StoredAuditEvent[]> {
    const rows = this.events.filter((event) => event.seq >= from).slice(0, limit)
    for (let at = 0; at < rows.length; at += PAGE) yield rows.slice(at, at + PAGE)
  }

  async latestCheckpoint(): Promise<Checkpoint | undefined> {
    return this.#checkpoint
  }

  async retain(checkpoint: Checkpoint): Promise<void> {
    this.#checkpoint = checkpoint
    const kept = this.events.filter((event) => event.seq > checkpoint.seq)
    this.events.splice(0, this.events.length, ...kept)
  }

  #head(): ChainHead {
    const last = this.events[this.events.length - 1]
    if (last !== undefined) return { seq: last.seq, hash: last.hash }
    return this.#checkpoint === undefined
      ? GENESIS_HEAD
      : { seq: this.#checkpoint.seq, hash: this.#checkpoint.hash }
  }
}
