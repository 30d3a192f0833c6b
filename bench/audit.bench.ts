// `npm run bench -- audit`: the audit log's pure core. Appends per second through the
// AuditWriter from many concurrent callers, against a baseline in the same run that
// writes the same rows in the same batches without validation, redaction, canonical
// encoding or hashing (its details JSON-serialized as is); then the time to verify a chain
// of 1,000,000 events, streamed as a store's rows and as parsed events, against
// JSON-serializing the same events.
// Options: --appends N (default 200000), --writers W (default 256), --verify N (default 1000000).
// Appends run in three alternated rounds and each side reports its best.
//
// Durability is not measured yet: both writers append to an in-memory sink. Once store/
// has its SQLite audit store (WAL, synchronous=FULL), it replaces MemorySink here, the
// JSON line gains commit_p99_ms, and issue 4's targets (>= 100,000 appends/s, >= 0.6x the
// baseline, commit p99 <= 10 ms, verify 1M < 3 s) apply to that run.
import { randomUUID } from 'node:crypto'
import {
  AuditWriter,
  appendEvents,
  type ChainedEvent,
  type ChainHead,
  GENESIS_HEAD,
  headAfter,
  toStoredEvent,
  type VerifiableEvent,
  verifyChain,
  verifyChainAsync,
} from '../src/audit/index.ts'
import { BaselineWriter } from './audit/baseline-writer.ts'
import { makeDrafts } from './audit/drafts.ts'
import { drive, type LoadResult } from './audit/load.ts'
import { MemorySink } from './audit/memory-sink.ts'
import { fmt, table } from './policy/report.ts'

const SEED = 20261123
const WARMUP = 20_000
const ROUNDS = 3

interface Options {
  readonly appends: number
  readonly writers: number
  readonly verify: number
}

function parseArgs(args: readonly string[]): Options {
  const value = (flag: string, fallback: number): number => {
    const at = args.indexOf(flag)
    if (at < 0) return fallback
    const n = Number(args[at + 1])
    if (!Number.isInteger(n) || n <= 0) throw new Error(`${flag} needs a positive integer`)
    return n
  }
  return {
    appends: value('--appends', 200_000),
    writers: value('--writers', 256),
    verify: value('--verify', 1_000_000),
  }
}

const now = () => new Date()

async function throughWriter(count: number, seed: number, writers: number): Promise<LoadResult> {
  const writer = new AuditWriter({ store: new MemorySink(), newId: randomUUID, now })
  return drive(makeDrafts(count, seed), writers, (draft) => writer.append(draft))
}

async function throughBaseline(count: number, seed: number, writers: number): Promise<LoadResult> {
  const writer = new BaselineWriter(new MemorySink(), randomUUID, now)
  return drive(makeDrafts(count, seed), writers, (draft) => writer.append(draft))
}

function best(a: LoadResult | undefined, b: LoadResult): LoadResult {
  return a === undefined || b.perSecond > a.perSecond ? b : a
}

/** A chain of `count` events built in batches of 1,000, as the writer builds them. */
function buildChain(count: number): { events: ChainedEvent[]; seconds: number } {
  const drafts = makeDrafts(10_000, SEED + 2)
  const events: ChainedEvent[] = []
  const start = performance.now()
  let head: ChainHead = GENESIS_HEAD
  while (events.length < count) {
    const from = events.length % drafts.length
    const batch = drafts.slice(from, from + Math.min(1000, count - events.length))
    const chained = appendEvents(
      head,
      batch,
      batch.map(() => randomUUID()),
      now,
    )
    for (const event of chained) events.push(event)
    head = headAfter(head, chained)
  }
  return { events, seconds: (performance.now() - start) / 1000 }
}

/** Yields the rows in pages of 256 across the async boundary, as AuditStore.read does. */
async function* pages(rows: readonly VerifiableEvent[]): AsyncIterable<readonly VerifiableEvent[]> {
  for (let at = 0; at < rows.length; at += 256) yield rows.slice(at, at + 256)
}

async function seconds(work: () => unknown): Promise<number> {
  const start = performance.now()
  const result = await work()
  if (typeof result === 'object' && result !== null && 'ok' in result && result.ok !== true)
    throw new Error(`the generated chain does not verify: ${JSON.stringify(result)}`)
  return (performance.now() - start) / 1000
}

export async function run(args: string[]): Promise<void> {
  const options = parseArgs(args)
  console.log(
    `audit: ${fmt(options.appends, 0)} appends from ${options.writers} concurrent writers (in-memory sink)`,
  )
  await throughWriter(WARMUP, SEED + 1, options.writers)
  await throughBaseline(WARMUP, SEED + 1, options.writers)
  // Alternated rounds, best of each: a burst of load from elsewhere on the machine then
  // skews neither side.
  let jitgate: LoadResult | undefined
  let baseline: LoadResult | undefined
  for (let round = 0; round < ROUNDS; round++) {
    jitgate = best(jitgate, await throughWriter(options.appends, SEED, options.writers))
    baseline = best(baseline, await throughBaseline(options.appends, SEED, options.writers))
  }
  if (jitgate === undefined || baseline === undefined) throw new Error('no rounds ran')

  const chain = buildChain(options.verify)
  // What AuditStore.read yields: details as the stored text, no parsed object.
  const rows = chain.events.map(toStoredEvent)
  // Parsed events, as an export or a caller holding AuditEvents has them.
  const events = chain.events.map(({ detailsJson: _text, ...event }) => event)
  const verifyRows = await seconds(() => verifyChainAsync(pages(rows)))
  const verifyEvents = await seconds(() => verifyChain(events))
  const serialize = await seconds(() => {
    for (const event of events) JSON.stringify(event)
  })
  report(options, { jitgate, baseline }, { build: chain.seconds, verifyRows, verifyEvents, serialize })
}

function report(
  options: Options,
  load: { jitgate: LoadResult; baseline: LoadResult },
  verify: { build: number; verifyRows: number; verifyEvents: number; serialize: number },
): void {
  const row = (name: string, r: LoadResult) => [name, fmt(r.perSecond, 0), fmt(r.p50Ms, 2), fmt(r.p99Ms, 2)]
  const ratio = load.jitgate.perSecond / load.baseline.perSecond
  const perMillion = 1_000_000 / options.verify
  console.log('')
  console.log(
    table(
      ['writer', 'appends/s', 'p50 ms', 'p99 ms'],
      [
        row('AuditWriter (redact, RFC 8785, SHA-256 chain)', load.jitgate),
        row('baseline (JSON rows only)', load.baseline),
      ],
    ),
  )
  console.log(`AuditWriter / baseline throughput: ${fmt(ratio, 2)}x`)
  console.log('')
  const timed = (name: string, s: number) => [name, fmt(s, 2), fmt(options.verify / s, 0)]
  console.log(
    table(
      [`${fmt(options.verify, 0)} events`, 's', 'events/s'],
      [
        timed('chain built (appendEvents)', verify.build),
        timed('verifyChainAsync, stored rows in pages', verify.verifyRows),
        timed('verifyChain, parsed events (re-encoded)', verify.verifyEvents),
        timed('baseline: JSON.stringify each event', verify.serialize),
      ],
    ),
  )
  console.log(`verify (rows) / serialize time: ${fmt(verify.verifyRows / verify.serialize, 2)}x`)
  console.log('note: in-memory sink; the SQLite durability figures come with the store')
  const round = (n: number, d = 3) => Number(n.toFixed(d))
  console.log(
    JSON.stringify({
      bench: 'audit',
      sink: 'memory',
      writers: options.writers,
      appends: options.appends,
      appends_per_s: Math.round(load.jitgate.perSecond),
      baseline_per_s: Math.round(load.baseline.perSecond),
      ratio: round(ratio),
      append_p99_ms: round(load.jitgate.p99Ms),
      verify_events: options.verify,
      verify_1m_s: round(verify.verifyRows * perMillion),
      verify_events_1m_s: round(verify.verifyEvents * perMillion),
      serialize_1m_s: round(verify.serialize * perMillion),
    }),
  )
}
