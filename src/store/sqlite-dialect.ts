// Opens a SQLite file for the store: WAL, synchronous=FULL, foreign keys on, a busy
// timeout, and a Kysely dialect whose write transactions start with BEGIN IMMEDIATE.
//
// Why BEGIN IMMEDIATE: a deferred transaction that reads and then writes can fail at once
// with SQLITE_BUSY when another process wrote in between, whatever the busy timeout; taking
// the write lock up front makes every write transaction wait its turn instead. That is the
// SQLite counterpart of PostgreSQL's row locks (`FOR UPDATE [SKIP LOCKED]`): one writer at a
// time. Within one process Kysely already funnels everything through one connection.
import { closeSync, openSync } from 'node:fs'
import BetterSqlite3 from 'better-sqlite3'
import {
  CompiledQuery,
  type DatabaseConnection,
  type DialectAdapter,
  type Driver,
  SqliteAdapter,
  SqliteDialect,
  type SqliteDialectConfig,
  SqliteDriver,
  type TransactionSettings,
} from 'kysely'
import { sqliteOpenError } from './store-errors.ts'

export interface SqliteOptions {
  /** Create the file when it does not exist. Tools that only read (an auditor's) pass false. */
  readonly create: boolean
  readonly busyTimeoutMs: number
}

/** An open SQLite file: the Kysely dialect over it, and the raw handle for prepared hot paths. */
export interface OpenedSqlite {
  readonly dialect: SqliteDialect
  /** Use only through the dialect's connection (see RawSqlite): it is Kysely's only connection. */
  readonly database: BetterSqlite3.Database
}

/**
 * The raw better-sqlite3 handle behind a store's Kysely instance, for hot paths that run
 * prepared statements (Kysely's driver prepares every statement anew).
 */
export interface RawSqlite {
  /**
   * Runs `fn` on the raw handle while holding Kysely's only connection, so no Kysely
   * transaction is open meanwhile and none starts before `fn` returns. `fn` is synchronous:
   * the connection is held for exactly its duration. Never call from inside a transaction:
   * it would wait for itself.
   */
  run<T>(fn: (database: BetterSqlite3.Database) => T): Promise<T>
}

/** Opens the file and applies the pragmas; throws `store_open_failed` with the reason. */
export function openSqlite(path: string, options: SqliteOptions): OpenedSqlite {
  let database: BetterSqlite3.Database | undefined
  try {
    if (options.create) createPrivately(path)
    database = new BetterSqlite3(path, { fileMustExist: !options.create })
    // The first statement reads the file header, so a file that is not a database fails here.
    database.pragma(`busy_timeout = ${Math.max(0, Math.trunc(options.busyTimeoutMs))}`)
    const mode = database.pragma('journal_mode = WAL', { simple: true })
    if (mode !== 'wal' && mode !== 'memory') throw new Error(`journal_mode is '${String(mode)}', not 'wal'`)
    database.pragma('synchronous = FULL')
    database.pragma('foreign_keys = ON')
  } catch (error) {
    database?.close()
    throw sqliteOpenError(error, path)
  }
  return { dialect: new StoreSqliteDialect({ database }), database }
}

/**
 * Creates a missing store file readable and writable by its owner only (0600): it holds the
 * audit log, approvals and key hashes. SQLite gives the -wal and -shm files the permissions of
 * the database file. An existing file is left as it is; `:memory:` is no file.
 */
function createPrivately(path: string): void {
  if (path === ':memory:' || path === '') return
  try {
    closeSync(openSync(path, 'wx', 0o600))
  } catch {
    // It exists, or cannot be made: opening it says why better than we would.
  }
}

class StoreSqliteDialect extends SqliteDialect {
  readonly #config: SqliteDialectConfig

  constructor(config: SqliteDialectConfig) {
    super(config)
    this.#config = config
  }

  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.#config)
  }

  override createAdapter(): DialectAdapter {
    return new TransactionalDdlSqliteAdapter()
  }
}

class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(
    connection: DatabaseConnection,
    settings?: TransactionSettings,
  ): Promise<void> {
    const begin = settings?.accessMode === 'read only' ? 'begin deferred' : 'begin immediate'
    await connection.executeQuery(CompiledQuery.raw(begin))
  }
}

// SQLite runs DDL inside transactions; Kysely's adapter says it cannot, which would make
// the migrator run each migration without one and leave a failed migration half applied.
class TransactionalDdlSqliteAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl(): boolean {
    return true
  }
}
