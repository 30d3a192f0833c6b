// The SQLite audit log's writer thread, started by sqlite-audit-thread.ts: its own connection
// to the store's file commits each batch the main thread posts, so that the commit and its
// fsync run here and not on the event loop. Each batch is what SqliteAuditRows.appendBatch
// does on the main thread: in one BEGIN IMMEDIATE transaction, check the head, insert the
// rows, move the head; the answer is posted only after COMMIT returned. Messages are handled
// one at a time, in the order posted, so a batch always sees the batches posted before it.
// Plain JavaScript needing only better-sqlite3: it loads the same under tsx, in tests and in
// production, with no TypeScript loader in the worker.
import { parentPort, workerData } from 'node:worker_threads'
import Database from 'better-sqlite3'

/** Thrown inside the transaction so that it rolls back; answered as `head_moved`. */
class HeadMoved extends Error {
  constructor(expected, found) {
    super('the audit head moved')
    this.expected = expected
    this.found = found
  }
}

const { path, busyTimeoutMs, sql } = workerData
const port = parentPort
if (port === null) throw new Error('sqlite-audit-worker.mjs runs only as a worker thread')

let database
try {
  database = open()
} catch (error) {
  // The main thread rejects every batch with this reason when the thread exits.
  port.postMessage({ fatal: `cannot open ${path} for the audit writer thread: ${messageOf(error)}` })
  port.close()
}

if (database !== undefined) {
  const insert = database.prepare(sql.insert)
  const head = database.prepare(sql.head).raw(true)
  const moveHead = database.prepare(sql.moveHead)
  const append = database.transaction(({ rows, firstSeq, prevHash, lastSeq, lastHash }) => {
    // Read inside the write transaction: no other connection can move it until we commit.
    const row = head.get()
    if (row === undefined) throw new Error('the audit_head row is missing: run the migrations')
    const [seq, hash] = row
    if (firstSeq !== seq + 1 || prevHash !== hash)
      throw new HeadMoved({ seq: firstSeq - 1, hash: prevHash }, { seq, hash })
    for (const values of rows) insert.run(values)
    moveHead.run(lastSeq, lastHash)
  })
  port.on('message', (message) => {
    if (message.close === true) {
      database.close()
      port.close()
      return
    }
    port.postMessage(commit(append, message))
  })
}

/** The same pragmas as openSqlite (sqlite-dialect.ts), on a file the main thread already opened. */
function open() {
  const opened = new Database(path, { fileMustExist: true })
  try {
    opened.pragma(`busy_timeout = ${Math.max(0, Math.trunc(busyTimeoutMs))}`)
    const mode = opened.pragma('journal_mode = WAL', { simple: true })
    if (mode !== 'wal') throw new Error(`journal_mode is '${String(mode)}', not 'wal'`)
    opened.pragma('synchronous = FULL')
    opened.pragma('foreign_keys = ON')
    return opened
  } catch (error) {
    opened.close()
    throw error
  }
}

function commit(append, batch) {
  try {
    append.immediate(batch)
    return { id: batch.id }
  } catch (error) {
    if (error instanceof HeadMoved)
      return { id: batch.id, headMoved: { expected: error.expected, found: error.found } }
    const code = typeof error?.code === 'string' ? error.code : undefined
    return { id: batch.id, failed: { code, message: messageOf(error) } }
  }
}

function messageOf(error) {
  return error instanceof Error ? error.message : String(error)
}
