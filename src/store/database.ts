// Opens the store from its URL: SQLite (the embedded default) or PostgreSQL (shared by
// several nodes), behind one Kysely instance so that every query is written once.
import { Kysely } from 'kysely'
import { type DatabaseLocation, type Dialect, parseDatabaseUrl } from './database-url.ts'
import { LocalNotifier, type Notifier, type NotifierLogger } from './notifier.ts'
import { PostgresNotifier } from './postgres-notifier.ts'
import { openPostgres } from './postgres-pool.ts'
import type { Database } from './schema.ts'
import { type SqliteAuditThread, sqliteAuditThreadFor } from './sqlite-audit-thread.ts'
import { openSqlite, type RawSqlite } from './sqlite-dialect.ts'
import { postgresOpenError } from './store-errors.ts'

export interface DatabaseHandle {
  readonly db: Kysely<Database>
  readonly dialect: Dialect
  /** Where the store is, without any password: for logs and messages. */
  readonly display: string
  /** Wake-ups for other nodes (PostgreSQL) or this process (SQLite). */
  readonly notifier: Notifier
  /** SQLite only: prepared statements on the raw handle, for the audit log's hot paths. */
  readonly sqlite?: RawSqlite
  /**
   * SQLite file only: the thread that commits audit batches on a connection of its own,
   * started by the first batch. None for an in-memory database, which no thread can share.
   */
  readonly sqliteAuditThread?: SqliteAuditThread
  /** Closes the notifier, the audit writer thread and every connection; safe to call twice. */
  close(): Promise<void>
}

export interface OpenDatabaseOptions {
  /** SQLite: create the file when it is missing (default true). Read-only tools pass false. */
  readonly create?: boolean
  /** SQLite: how long a write waits for another process's lock (default 5 s). */
  readonly busyTimeoutMs?: number
  /** PostgreSQL: connections in the pool (default 10). */
  readonly poolSize?: number
  /** PostgreSQL: how long to wait for a connection (default 10 s). */
  readonly connectTimeoutMs?: number
  readonly log?: NotifierLogger
}

const SILENT: NotifierLogger = { warn: () => undefined }

/**
 * Opens the store at `url` (`sqlite:PATH`, a file path, or `postgres://…`) and checks that it
 * answers. Throws a JitgateError: `store_url_invalid`, `store_unreachable`,
 * `store_auth_failed` or `store_open_failed`. Does not migrate: see `migrateToLatest`.
 * Open a SQLite file once per process: a second handle would wait for the first one's write
 * lock inside SQLite's busy handler, which blocks the event loop the first one needs.
 */
export async function openDatabase(url: string, options: OpenDatabaseOptions = {}): Promise<DatabaseHandle> {
  const location = parseDatabaseUrl(url)
  const log = options.log ?? SILENT
  return location.dialect === 'sqlite'
    ? openSqliteHandle(location, options, log)
    : openPostgresHandle(location, options, log)
}

function openSqliteHandle(
  location: Extract<DatabaseLocation, { dialect: 'sqlite' }>,
  options: OpenDatabaseOptions,
  log: NotifierLogger,
): DatabaseHandle {
  const busyTimeoutMs = options.busyTimeoutMs ?? 5_000
  const { dialect, database } = openSqlite(location.path, { create: options.create ?? true, busyTimeoutMs })
  const db = new Kysely<Database>({ dialect })
  const notifier = new LocalNotifier(log)
  // Kysely's driver lends its one connection to one holder at a time: holding it keeps raw
  // statements out of any Kysely transaction and Kysely out of ours.
  const sqlite: RawSqlite = { run: (fn) => db.connection().execute(async () => fn(database)) }
  const sqliteAuditThread = sqliteAuditThreadFor(database, { busyTimeoutMs })
  // Batches already posted to the thread commit before close resolves.
  const close = sqliteAuditThread === undefined ? undefined : () => sqliteAuditThread.close()
  return { ...handle(db, 'sqlite', location.display, notifier, close), sqlite, sqliteAuditThread }
}

async function openPostgresHandle(
  location: Extract<DatabaseLocation, { dialect: 'postgres' }>,
  options: OpenDatabaseOptions,
  log: NotifierLogger,
): Promise<DatabaseHandle> {
  const connection = await openPostgres(location.url, location.display, location.secrets, {
    poolSize: options.poolSize ?? 10,
    connectTimeoutMs: options.connectTimeoutMs ?? 10_000,
    onIdleError: (error) => log.warn({ err: error }, 'idle database connection failed'),
  })
  const db = new Kysely<Database>({ dialect: connection.dialect })
  const notifier = new PostgresNotifier(db, connection.newClient, log, (error) =>
    postgresOpenError(error, location.display, location.secrets),
  )
  return handle(db, 'postgres', location.display, notifier)
}

function handle(
  db: Kysely<Database>,
  dialect: Dialect,
  display: string,
  notifier: Notifier,
  closeFirst: () => Promise<void> = async () => undefined,
): DatabaseHandle {
  let closing: Promise<void> | undefined
  return {
    db,
    dialect,
    display,
    notifier,
    close: () => {
      closing ??= notifier
        .close()
        .then(closeFirst)
        .then(() => db.destroy())
      return closing
    },
  }
}
