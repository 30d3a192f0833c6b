// Fills a store with a chain of `count` events for the verification benchmark: chained
// in batches of 1,000 as the writer chains them, written with appendBatch, one durable
// transaction per batch.
import {
  type AuditStore,
  appendEvents,
  type ChainHead,
  GENESIS_HEAD,
  headAfter,
} from '../../src/audit/index.ts'
import { uuidV7 } from '../../src/shared/index.ts'
import { makeDrafts } from './drafts.ts'

const BATCH = 1000

/** Seconds it took. */
export async function fillChain(
  store: Pick<AuditStore, 'appendBatch'>,
  count: number,
  seed: number,
): Promise<number> {
  const drafts = makeDrafts(10_000, seed)
  const start = performance.now()
  let head: ChainHead = GENESIS_HEAD
  while (head.seq < count) {
    const from = head.seq % drafts.length
    const batch = drafts.slice(from, from + Math.min(BATCH, count - head.seq))
    const events = appendEvents(
      head,
      batch,
      batch.map(() => uuidV7()),
      () => new Date(),
    )
    await store.appendBatch(events)
    head = headAfter(head, events)
  }
  return (performance.now() - start) / 1000
}
