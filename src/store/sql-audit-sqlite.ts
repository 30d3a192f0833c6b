// The audit log's hot paths on SQLite, as prepared statements on the raw better-sqlite3
// handle: the batch insert, the head read and move, and paged reads with rows as arrays.
// Kysely's SQLite driver prepares every statement anew and builds an object per row, which
// cost more than the durable commit itself (bench/audit). Same durability as every store
// write: one BEGIN IMMEDIATE transaction per batch, committed (WAL, synchronous=FULL) before
// the promise resolves. These appends commit on the main thread; SqlAuditStore commits
// through SqliteAuditThread instead, which runs the same statements (AUDIT_SQL) on a worker.
import type BetterSqlite3 from 'better-sqlite3'
import {
  type AuditActor,
  AuditHeadMovedError,
  type ChainedEvent,
  type ChainHead,
  type StoredAuditEvent,
} from '../audit/index.ts'
import { AUDIT_COLUMNS, type AuditRowValues, auditValues } from './sql-audit-rows.ts'
import type { RawSqlite } from './sqlite-dialect.ts'
import { isSqliteBusy, sqliteBusyConflict } from './store-errors.ts'

/** A stored row in AUDIT_COLUMNS order, as better-sqlite3 returns it in raw mode. */
type AuditRowArray = [
  number,
  string,
  string,
  string,
  string,
  string,
  string,
  string,
  string,
  string | null,
  string,
  string,
]

interface Statements {
  readonly insert: BetterSqlite3.Statement<[AuditRowValues]>
  readonly head: BetterSqlite3.Statement<[]>
  readonly moveHead: BetterSqlite3.Statement<[number, string]>
  readonly page: BetterSqlite3.Statement<[number, number]>
  /** Inserts rows, in one BEGIN IMMEDIATE transaction. */
  readonly insertRows: BetterSqlite3.Transaction<(rows: readonly AuditRowValues[]) => void>
  /** Checks the head, inserts the events and moves the head, in one BEGIN IMMEDIATE transaction. */
  readonly append: BetterSqlite3.Transaction<(events: readonly ChainedEvent[]) => void>
}

export class SqliteAuditRows {
  #statements: Statements | undefined

  constructor(private readonly raw: RawSqlite) {}

  /** AuditStore.appendBatch: durable when it resolves; AuditHeadMovedError when the head moved. */
  appendBatch(events: readonly ChainedEvent[]): Promise<void> {
    return this.#write((s) => s.append.immediate(events))
  }

  /**
   * Inserts rows given in AUDIT_COLUMNS order in one durable transaction, neither checking nor
   * moving the head: for the benchmark's baseline, which must insert exactly as appendBatch does.
   */
  insertRows(rows: readonly AuditRowValues[]): Promise<void> {
    return this.#write((s) => s.insertRows.immediate(rows))
  }

  async head(): Promise<ChainHead> {
    return this.raw.run((database) => readHead(this.#prepared(database)))
  }

  /** Up to `limit` rows from seq `from` on, exactly as stored. */
  async readPage(from: number, limit: number): Promise<StoredAuditEvent[]> {
    const rows = await this.raw.run((database) => this.#prepared(database).page.all(from, limit))
    return (rows as AuditRowArray[]).map(fromAuditArray)
  }

  async #write(fn: (statements: Statements) => void): Promise<void> {
    try {
      await this.raw.run((database) => fn(this.#prepared(database)))
    } catch (error) {
      throw isSqliteBusy(error) ? sqliteBusyConflict(error) : error
    }
  }

  #prepared(database: BetterSqlite3.Database): Statements {
    this.#statements ??= prepare(database)
    return this.#statements
  }
}

/** The statements of an append, shared with the writer thread so both write alike. */
export const AUDIT_SQL = {
  insert: `insert into audit_events (${AUDIT_COLUMNS.join(',')}) values (${AUDIT_COLUMNS.map(() => '?').join(',')})`,
  head: 'select seq, hash from audit_head where id = 1',
  moveHead: 'update audit_head set seq = ?, hash = ? where id = 1',
} as const

function prepare(database: BetterSqlite3.Database): Statements {
  const insert = database.prepare<[AuditRowValues]>(AUDIT_SQL.insert)
  const head = database.prepare<[]>(AUDIT_SQL.head).raw(true)
  const moveHead = database.prepare<[number, string]>(AUDIT_SQL.moveHead)
  const page = database
    .prepare<[number, number]>(
      `select ${AUDIT_COLUMNS.join(',')} from audit_events where seq >= ? order by seq limit ?`,
    )
    .raw(true)
  const insertRows = database.transaction((rows: readonly AuditRowValues[]) => {
    for (const row of rows) insert.run(row)
  })
  const writes = { insert, head, moveHead }
  const append = database.transaction((events: readonly ChainedEvent[]) =>
    appendInTransaction(writes, events),
  )
  return { ...writes, page, insertRows, append }
}

function appendInTransaction(
  s: Pick<Statements, 'insert' | 'head' | 'moveHead'>,
  events: readonly ChainedEvent[],
): void {
  const first = events[0]
  const last = events[events.length - 1]
  if (first === undefined || last === undefined) return
  // Read inside the write transaction: no other process can move it until we commit.
  const head = readHead(s)
  if (first.seq !== head.seq + 1 || first.prevHash !== head.hash)
    throw new AuditHeadMovedError({ seq: first.seq - 1, hash: first.prevHash }, head)
  for (const event of events) s.insert.run(auditValues(event))
  s.moveHead.run(last.seq, last.hash)
}

function readHead(s: Pick<Statements, 'head'>): ChainHead {
  const row = s.head.get() as [number, string] | undefined
  // Migration 0001 inserts the row; without it the database is not a jitgate store.
  if (row === undefined) throw new Error('the audit_head row is missing: run the migrations')
  return { seq: row[0], hash: row[1] }
}

/** The row as stored, nothing repaired (see fromAuditRow); one object shape per policyVersion case. */
function fromAuditArray(row: AuditRowArray): StoredAuditEvent {
  const [seq, id, time, actorType, actorId, type, subjectType, subjectId, detailsJson, version, prev, hash] =
    row
  const actor = { type: actorType, id: actorId } as AuditActor
  const subject = { type: subjectType, id: subjectId }
  const kind = type as StoredAuditEvent['type']
  return version === null
    ? { seq, id, time, actor, type: kind, subject, detailsJson, prevHash: prev, hash }
    : { seq, id, time, actor, type: kind, subject, detailsJson, policyVersion: version, prevHash: prev, hash }
}
