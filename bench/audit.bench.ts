// `npm run bench -- audit`: the audit log on its SQLite store (WAL, synchronous=FULL), as
// issue 4 asks. Appends per second from many concurrent writers through the AuditWriter
// (group commit, redaction, RFC 8785, SHA-256 chain, head row locked and moved), against a
// baseline in the same run that inserts the same rows in the same batches with the same
// durability but without hashing or encoding; commit latency (append to durable) p99; and
// the time to verify 1,000,000 stored events read back from the file.
// Options: --appends N (default 200000), --writers W (default 256), --verify N (default 1000000).
// Appends run in three alternated rounds, each into a fresh file, and each side reports its best.
import { randomUUID } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { AuditWriter, verifyLog } from '../src/audit/index.ts'
import { uuidV7 } from '../src/shared/index.ts'
import { type DatabaseHandle, migrateToLatest, openDatabase } from '../src/store/index.ts'
import { SqlAuditStore } from '../src/store/sql-audit-store.ts'
import { BaselineWriter } from './audit/baseline-writer.ts'
import { makeDrafts } from './audit/drafts.ts'
import { fillChain } from './audit/fill-chain.ts'
import { drive, type LoadResult } from './audit/load.ts'
import { report } from './audit/report.ts'
import { SqliteBaselineSink } from './audit/sqlite-baseline-sink.ts'

const SEED = 20261123
const WARMUP = 20_000
const ROUNDS = 3

export interface Options {
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

/** A fresh migrated SQLite file in `dir` for one run, closed afterwards. */
async function withFile<T>(dir: string, fn: (handle: DatabaseHandle) => Promise<T>): Promise<T> {
  const handle = await openDatabase(`sqlite:${join(dir, `${randomUUID()}.db`)}`)
  try {
    await migrateToLatest(handle)
    return await fn(handle)
  } finally {
    await handle.close()
  }
}

function throughWriter(dir: string, count: number, seed: number, writers: number): Promise<LoadResult> {
  return withFile(dir, (handle) => {
    const writer = new AuditWriter({ store: new SqlAuditStore(handle), newId: uuidV7, now })
    return drive(makeDrafts(count, seed), writers, (draft) => writer.append(draft))
  })
}

function throughBaseline(dir: string, count: number, seed: number, writers: number): Promise<LoadResult> {
  return withFile(dir, (handle) => {
    const writer = new BaselineWriter(new SqliteBaselineSink(handle), uuidV7, now)
    return drive(makeDrafts(count, seed), writers, (draft) => writer.append(draft))
  })
}

function best(a: LoadResult | undefined, b: LoadResult): LoadResult {
  return a === undefined || b.perSecond > a.perSecond ? b : a
}

/** Verifies the whole stored log as `jitgate audit verify` does; throws unless it is intact. */
async function timeVerify(store: SqlAuditStore, expected: number): Promise<number> {
  const start = performance.now()
  const result = await verifyLog({ events: store.read(1) })
  const seconds = (performance.now() - start) / 1000
  if (!result.ok || result.count !== expected)
    throw new Error(`the stored chain does not verify: ${JSON.stringify(result)}`)
  return seconds
}

export async function run(args: string[]): Promise<void> {
  const options = parseArgs(args)
  // On the project's disk, not a tmpfs: fsync must cost what it costs.
  const dir = await mkdtemp(join(process.cwd(), '.bench-audit-'))
  try {
    console.log(
      `audit: ${options.appends} appends from ${options.writers} concurrent writers, SQLite (WAL, synchronous=FULL) in ${dir}`,
    )
    await throughWriter(dir, WARMUP, SEED + 1, options.writers)
    await throughBaseline(dir, WARMUP, SEED + 1, options.writers)
    let jitgate: LoadResult | undefined
    let baseline: LoadResult | undefined
    for (let round = 0; round < ROUNDS; round++) {
      jitgate = best(jitgate, await throughWriter(dir, options.appends, SEED, options.writers))
      baseline = best(baseline, await throughBaseline(dir, options.appends, SEED, options.writers))
    }
    if (jitgate === undefined || baseline === undefined) throw new Error('no rounds ran')
    const verify = await withFile(dir, async (handle) => {
      const store = new SqlAuditStore(handle)
      const fill = await fillChain(store, options.verify, SEED + 2)
      return { fill, verify: await timeVerify(store, options.verify) }
    })
    report(options, { jitgate, baseline }, verify)
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}
