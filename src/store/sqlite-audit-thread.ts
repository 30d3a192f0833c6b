// Writes audit batches to a SQLite file from a thread of their own. better-sqlite3 is
// synchronous: on the main thread every insert and every fsync of a batch stops the event
// loop, so the next batch cannot be chained (canonical JSON, SHA-256) meanwhile. On this
// thread the two overlap: the AuditWriter chains batch k+1 while batch k is written here.
//
// The thread has its own connection (WAL, synchronous=FULL, as every store connection) and
// runs each batch as one BEGIN IMMEDIATE transaction that checks the head, inserts the
// events and moves the head: the same statements as sql-audit-sqlite.ts, so the chain stays
// consistent with appends made in the services' own transactions on the main connection.
// Batches are written in the order they are posted; each answer says written, head moved
// (with the head found), locked, or failed.
import { createRequire } from 'node:module'
import { Worker } from 'node:worker_threads'
import type { ChainHead } from '../audit/index.ts'
import type { AuditRowValues } from './sql-audit-rows.ts'

export type ThreadAnswer = { readonly ok: true } | ThreadFailure

export interface ThreadFailure {
  readonly ok: false
  readonly message: string
  /** The stored head, when it is not where the batch starts. */
  readonly moved?: ChainHead
  /** The busy timeout passed with another connection writing. */
  readonly busy?: true
}

/** The batch's place in the chain, checked against the stored head inside the transaction. */
export interface ChainSpan {
  readonly firstSeq: number
  readonly prevHash: string
  readonly lastSeq: number
  readonly lastHash: string
}

export interface AuditThreadOptions {
  /** The database file (the main connection's own path). */
  readonly path: string
  readonly columns: readonly string[]
  readonly busyTimeoutMs: number
}

// Plain JavaScript evaluated in the worker, so it needs no TypeScript loader; the driver's
// path is resolved here, so it loads from wherever jitgate is installed, not the cwd.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads')
const Database = require(workerData.driver)
const db = new Database(workerData.path, { fileMustExist: true })
db.pragma('busy_timeout = ' + workerData.busyTimeoutMs)
db.pragma('journal_mode = WAL')
db.pragma('synchronous = FULL')
const cols = workerData.columns
const insert = db.prepare('insert into audit_events (' + cols.join(',') + ') values (' + cols.map(() => '?').join(',') + ')')
const head = db.prepare('select seq, hash from audit_head where id = 1').raw(true)
const moveHead = db.prepare('update audit_head set seq = ?, hash = ? where id = 1')
const append = db.transaction((rows, span) => {
  const found = head.get()
  if (found === undefined) throw new Error('the audit_head row is missing: run the migrations')
  if (found[0] !== span.firstSeq - 1 || found[1] !== span.prevHash) return { seq: found[0], hash: found[1] }
  for (const row of rows) insert.run(row)
  moveHead.run(span.lastSeq, span.lastHash)
  return undefined
})
const insertOnly = db.transaction((rows) => { for (const row of rows) insert.run(row) })
parentPort.on('message', ({ id, rows, span }) => {
  let answer
  try {
    if (span === undefined) { insertOnly.immediate(rows); answer = { ok: true } }
    else {
      const moved = append.immediate(rows, span)
      answer = moved === undefined ? { ok: true } : { ok: false, moved, message: 'the head moved' }
    }
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error)
    answer = error && (error.code === 'SQLITE_BUSY' || error.code === 'SQLITE_LOCKED')
      ? { ok: false, busy: true, message } : { ok: false, message }
  }
  parentPort.postMessage({ id, answer })
})
`

const driverPath = createRequire(import.meta.url).resolve('better-sqlite3')

export class SqliteAuditThread {
  readonly #worker: Worker
  readonly #pending = new Map<number, (answer: ThreadAnswer) => void>()
  #next = 0
  #failure: string | undefined

  constructor(options: AuditThreadOptions) {
    this.#worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { ...options, columns: [...options.columns], driver: driverPath },
    })
    // Idle, the thread must not keep the process alive; a batch in flight is awaited anyway.
    this.#worker.unref()
    this.#worker.on('message', ({ id, answer }: { id: number; answer: ThreadAnswer }) => {
      const resolve = this.#pending.get(id)
      this.#pending.delete(id)
      resolve?.(answer)
    })
    const fail = (message: string): void => {
      this.#failure = message
      for (const resolve of this.#pending.values()) resolve({ ok: false, message })
      this.#pending.clear()
    }
    this.#worker.on('error', (error) => fail(`the audit writer thread failed: ${error.message}`))
    this.#worker.on('exit', () => fail('the audit writer thread stopped'))
  }

  /** Checks the head, inserts the rows and moves the head, in one durable transaction. */
  append(rows: readonly AuditRowValues[], span: ChainSpan): Promise<ThreadAnswer> {
    return this.#post(rows, span)
  }

  /** Inserts the rows in one durable transaction without touching the head (the bench's baseline). */
  insertRows(rows: readonly AuditRowValues[]): Promise<ThreadAnswer> {
    return this.#post(rows, undefined)
  }

  async close(): Promise<void> {
    await this.#worker.terminate()
  }

  #post(rows: readonly AuditRowValues[], span: ChainSpan | undefined): Promise<ThreadAnswer> {
    if (this.#failure !== undefined) return Promise.resolve({ ok: false, message: this.#failure })
    const id = this.#next++
    return new Promise((resolve) => {
      this.#pending.set(id, resolve)
      this.#worker.postMessage({ id, rows, span })
    })
  }
}
