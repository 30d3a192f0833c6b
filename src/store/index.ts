// The store: SQLite (embedded, one node) or PostgreSQL (shared by several nodes) behind one
// Kysely code path, with versioned migrations, transactions that retry on conflicts, row
// claiming, and cross-node wake-ups. Other features import only from here.

export { SqlApiKeyRepository, SqlApiKeyStore } from './api-key-repository.ts'
export { SqlApprovalStore, type SqlApprovalStoreOptions } from './approval-store.ts'
export {
  type DatabaseHandle,
  type OpenDatabaseOptions,
  openDatabase,
} from './database.ts'
export { type DatabaseLocation, type Dialect, parseDatabaseUrl, redactDatabaseUrl } from './database-url.ts'
export { SqlExecutionStore } from './execution-store.ts'
export { type MigrationStatus, type MigrationTarget, migrateToLatest, migrationStatus } from './migrate.ts'
export type { NotificationHandler, Notifier, NotifierLogger, Unsubscribe } from './notifier.ts'
export { SqlNotifyStore, type SqlNotifyStoreOptions } from './notify-repository.ts'
export type * from './schema.ts'
export {
  EXECUTION_STATES,
  GRANT_MODES,
  GRANT_STATES,
  REQUEST_STATES,
  TABLE_NAMES,
  VOTES,
} from './schema.ts'
export { type AuditAppendOptions, appendAuditInTransaction } from './sql-audit-appender.ts'
export {
  type AuditPage,
  type AuditQuery,
  AuditQueryError,
  DEFAULT_QUERY_LIMIT,
  encodeCursor,
  MAX_QUERY_LIMIT,
} from './sql-audit-query-params.ts'
export { AUDIT_CHANNEL, AUDIT_COLUMNS } from './sql-audit-rows.ts'
export { type AuditStoreTarget, SqlAuditStore } from './sql-audit-store.ts'
export type { RawSqlite } from './sqlite-dialect.ts'
export { type ConstraintKind, constraintViolation } from './store-errors.ts'
export { type StoreFigures, storeFigures } from './store-metrics.ts'
export {
  forUpdate,
  forUpdateSkipLocked,
  type TransactionOptions,
  type TransactionTarget,
  withTransaction,
} from './transaction.ts'
