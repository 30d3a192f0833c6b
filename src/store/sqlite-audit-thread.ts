// Commits the SQLite audit log's batches on a worker thread (sqlite-audit-worker.mjs) that
// holds a connection of its own to the store's file. In-thread, the durable commit (an fsync)
// held the event loop for ~22% of the gateway's main thread under pgbench, and every
// statement waited behind it; here the event loop only posts the rows and hears back once
// the batch committed. Batches are answered in the order posted, and nothing is answered
// before its COMMIT returned. The worker starts with the first batch, holds the process open
// only while batches are pending, and is replaced when it dies: the batches it had reject.
// A write on the main connection that meets the thread's lock waits in SQLite's busy handler,
// holding the event loop for the rest of that one commit; the thread needs nothing from the
// event loop to finish it, so the wait always ends (unlike a second handle on the main
// thread: see openDatabase).
import { Worker } from 'node:worker_threads'
import type BetterSqlite3 from 'better-sqlite3'
import { AuditHeadMovedError, type ChainedEvent, type ChainHead } from '../audit/index.ts'
import { JitgateError } from '../shared/index.ts'
import { auditValues } from './sql-audit-rows.ts'
import { AUDIT_SQL } from './sql-audit-sqlite.ts'
import { isSqliteBusy, sqliteBusyConflict } from './store-errors.ts'

const WORKER_URL = new URL('./sqlite-audit-worker.mjs', import.meta.url)

export interface SqliteAuditThreadOptions {
  /** How long a batch waits for another connection's write lock (the store's busy_timeout). */
  readonly busyTimeoutMs: number
}

/** What the worker posts back (see sqlite-audit-worker.mjs). */
type Answer =
  | { readonly fatal: string }
  | {
      readonly id: number
      readonly headMoved?: { readonly expected: ChainHead; readonly found: ChainHead }
      readonly failed?: { readonly code: string | undefined; readonly message: string }
    }

/** A failure inside the writer thread, as SQLite reported it there: its message and code. */
export class SqliteThreadError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
  ) {
    super(message)
    this.name = 'SqliteThreadError'
  }
}

/**
 * The writer thread of one SQLite file, or undefined when `database` is in memory: no other
 * connection (so no thread) can see it, and its audit batches commit on the main thread.
 */
export function sqliteAuditThreadFor(
  database: BetterSqlite3.Database,
  options: SqliteAuditThreadOptions,
): SqliteAuditThread | undefined {
  const list = database.pragma('database_list') as { name: string; file: string }[]
  // SQLite reports the main database's absolute path, or '' for a memory or temporary one.
  const file = list.find((entry) => entry.name === 'main')?.file ?? ''
  return database.memory || file === '' ? undefined : new SqliteAuditThread(file, options)
}

export class SqliteAuditThread {
  #run: WorkerRun | undefined
  #closing: Promise<void> | undefined

  constructor(
    /** The absolute path of the store's file. */
    readonly path: string,
    private readonly options: SqliteAuditThreadOptions,
  ) {}

  /**
   * AuditStore.appendBatch, committed on the thread: resolves once the batch is durable;
   * rejects with AuditHeadMovedError when the head is not where the batch starts,
   * `store_conflict` when another connection kept the write lock past the busy timeout,
   * `store_writer_stopped` when the thread died first (the batch may or may not have
   * committed: the store's head says), and a SqliteThreadError for anything else.
   */
  appendBatch(events: readonly ChainedEvent[]): Promise<void> {
    const first = events[0]
    const last = events[events.length - 1]
    if (first === undefined || last === undefined) return Promise.resolve()
    if (this.#closing !== undefined)
      return Promise.reject(new JitgateError('store_closed', 'the store is closed', { status: 503 }))
    this.#run ??= new WorkerRun(this.path, this.options, (run) => {
      if (this.#run === run) this.#run = undefined
    })
    return this.#run.post({
      rows: events.map(auditValues),
      firstSeq: first.seq,
      prevHash: first.prevHash,
      lastSeq: last.seq,
      lastHash: last.hash,
    })
  }

  /**
   * Lets the thread commit every batch already posted, then closes its connection and ends it;
   * later appends reject. Safe to call twice.
   */
  close(): Promise<void> {
    this.#closing ??= this.#run?.close() ?? Promise.resolve()
    return this.#closing
  }

  /**
   * Stops the thread at once, as a crash would: its pending batches reject with
   * `store_writer_stopped` (SQLite rolls back a transaction it did not commit), and the next
   * append starts a new thread.
   */
  async terminate(): Promise<void> {
    const run = this.#run
    this.#run = undefined
    await run?.terminate()
  }
}

interface Pending {
  readonly resolve: () => void
  readonly reject: (error: unknown) => void
}

/** One worker, from its start to its exit, and the batches posted to it. */
class WorkerRun {
  readonly #worker: Worker
  readonly #pending = new Map<number, Pending>()
  readonly #exited: Promise<void>
  #next = 0
  /** Why the worker is stopping, once known: every pending batch rejects with it. */
  #stopped: string | undefined
  /** Set once close() asked the worker to end: held open until it has. */
  #closing = false

  constructor(path: string, options: SqliteAuditThreadOptions, onStop: (run: WorkerRun) => void) {
    // No execArgv: the worker is plain JavaScript and needs no loader (tsx) of its own.
    this.#worker = new Worker(WORKER_URL, {
      workerData: { path, busyTimeoutMs: options.busyTimeoutMs, sql: AUDIT_SQL },
      execArgv: [],
    })
    this.#worker.on('message', (answer: Answer) => this.#answer(answer))
    this.#worker.on('error', (error) => {
      onStop(this)
      this.#fail(`it failed: ${error.message}`)
    })
    this.#exited = new Promise((resolve) => {
      this.#worker.once('exit', (code) => {
        onStop(this)
        this.#fail(`it exited with code ${code}`)
        resolve()
      })
    })
  }

  post(batch: object): Promise<void> {
    // Stopping, not yet gone: the worker may never read this batch.
    if (this.#stopped !== undefined) return Promise.reject(stopped(this.#stopped))
    const id = this.#next++
    return new Promise((resolve, reject) => {
      // Held open only while a batch waits for its answer, so an idle store never keeps the process alive.
      if (this.#pending.size === 0) this.#worker.ref()
      this.#pending.set(id, { resolve, reject })
      this.#worker.postMessage({ id, ...batch })
    })
  }

  async close(): Promise<void> {
    // Posted after every batch, so the worker answers them all before it closes.
    this.#closing = true
    this.#worker.ref()
    this.#worker.postMessage({ close: true })
    await this.#exited
  }

  async terminate(): Promise<void> {
    // Rejected once the thread is gone, not before: by then each batch committed or rolled
    // back, so the head a retry reads is final.
    this.#stopped ??= 'it was terminated'
    await this.#worker.terminate()
    await this.#exited
  }

  #answer(answer: Answer): void {
    if ('fatal' in answer) {
      this.#fail(answer.fatal)
      return
    }
    const pending = this.#pending.get(answer.id)
    if (pending === undefined) return
    this.#pending.delete(answer.id)
    if (this.#pending.size === 0 && !this.#closing) this.#worker.unref()
    if (answer.headMoved !== undefined)
      pending.reject(new AuditHeadMovedError(answer.headMoved.expected, answer.headMoved.found))
    else if (answer.failed !== undefined) pending.reject(threadFailure(answer.failed))
    else pending.resolve()
  }

  /** Rejects every pending batch: the worker will answer none of them. */
  #fail(reason: string): void {
    this.#stopped ??= reason
    const error = stopped(this.#stopped)
    for (const pending of this.#pending.values()) pending.reject(error)
    this.#pending.clear()
  }
}

function threadFailure(failed: { readonly code: string | undefined; readonly message: string }): Error {
  const error = new SqliteThreadError(failed.message, failed.code)
  return isSqliteBusy(error) ? sqliteBusyConflict(error) : error
}

function stopped(reason: string): JitgateError {
  return new JitgateError(
    'store_writer_stopped',
    `the SQLite audit writer thread stopped before answering (${reason}); the batch may not have been committed`,
    { status: 503 },
  )
}
