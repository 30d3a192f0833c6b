// Transactions that behave the same on both dialects: all or nothing, retried on
// PostgreSQL when the server aborts one for a serialization failure or a deadlock, and row
// locks for claiming work (`FOR UPDATE SKIP LOCKED`) that are no-ops on SQLite, where a
// write transaction already holds the only write lock (BEGIN IMMEDIATE, see sqlite-dialect.ts).
import type { IsolationLevel, Kysely, SelectQueryBuilder, Transaction } from 'kysely'
import { JitgateError } from '../shared/index.ts'
import type { Dialect } from './database-url.ts'
import type { Database } from './schema.ts'
import { isRetryableConflict, isSqliteBusy, sqliteBusyConflict } from './store-errors.ts'

/** What a transaction needs of an open database. */
export interface TransactionTarget {
  readonly db: Kysely<Database>
  readonly dialect: Dialect
}

export interface TransactionOptions {
  /** PostgreSQL only (default: read committed); SQLite transactions are always serializable. */
  readonly isolation?: Extract<IsolationLevel, 'read committed' | 'repeatable read' | 'serializable'>
  /** A read-only transaction takes no write lock on SQLite. */
  readonly readOnly?: boolean
  /** Runs of `fn` on serialization failures and deadlocks, the first included (default 5). */
  readonly maxAttempts?: number
}

const DEFAULT_ATTEMPTS = 5
const commitHooks = new WeakMap<Transaction<Database>, (() => void)[]>()

/**
 * Runs `fn` in a transaction and returns its result once committed; rolls back and rethrows
 * when `fn` throws. `fn` may run more than once (PostgreSQL retries), so it must do nothing
 * outside the transaction: send messages through `afterCommit` or the notifier.
 * Throws `store_conflict` (503) when every attempt conflicted or SQLite stayed locked.
 */
export async function withTransaction<T>(
  target: TransactionTarget,
  fn: (trx: Transaction<Database>) => Promise<T>,
  options: TransactionOptions = {},
): Promise<T> {
  const attempts = Math.max(1, options.maxAttempts ?? DEFAULT_ATTEMPTS)
  for (let attempt = 1; ; attempt++) {
    const hooks: (() => void)[] = []
    try {
      const result = await builder(target, options).execute((trx) => {
        commitHooks.set(trx, hooks)
        return fn(trx)
      })
      for (const hook of hooks) hook()
      return result
    } catch (error) {
      if (isRetryableConflict(error) && attempt < attempts) {
        await sleep(backoffMs(attempt))
        continue
      }
      if (isRetryableConflict(error) || isSqliteBusy(error)) throw conflict(error, attempt)
      throw error
    }
  }
}

/**
 * Runs `hook` after the transaction commits, never if it rolls back. Hooks must not throw:
 * the data is committed by then. Only for transactions opened by `withTransaction`.
 */
export function afterCommit(trx: Transaction<Database>, hook: () => void): void {
  hooksOf(trx).push(hook)
}

/** Throws `store_not_in_transaction` unless `trx` was opened by `withTransaction`. */
export function assertManagedTransaction(trx: Transaction<Database>): void {
  hooksOf(trx)
}

function hooksOf(trx: Transaction<Database>): (() => void)[] {
  const hooks = commitHooks.get(trx)
  if (hooks === undefined) {
    throw new JitgateError('store_not_in_transaction', 'use a transaction opened by withTransaction', {
      details: [{ path: 'trx', message: 'db.transaction() bypasses the retries and after-commit hooks' }],
    })
  }
  return hooks
}

/** Locks the selected rows until the transaction ends (PostgreSQL); waits for rows others hold. */
export function forUpdate<DB, TB extends keyof DB, O>(
  dialect: Dialect,
  query: SelectQueryBuilder<DB, TB, O>,
): SelectQueryBuilder<DB, TB, O> {
  return dialect === 'postgres' ? query.forUpdate() : query
}

/**
 * Locks the selected rows, passing over rows other transactions hold, so that concurrent
 * claimers on several nodes take different rows. Use inside `withTransaction`, then mark the
 * rows claimed in the same transaction.
 */
export function forUpdateSkipLocked<DB, TB extends keyof DB, O>(
  dialect: Dialect,
  query: SelectQueryBuilder<DB, TB, O>,
): SelectQueryBuilder<DB, TB, O> {
  return dialect === 'postgres' ? query.forUpdate().skipLocked() : query
}

function builder(target: TransactionTarget, options: TransactionOptions) {
  let builder = target.db.transaction()
  if (options.readOnly === true) builder = builder.setAccessMode('read only')
  if (options.isolation !== undefined && target.dialect === 'postgres') {
    builder = builder.setIsolationLevel(options.isolation)
  }
  return builder
}

function conflict(error: unknown, attempts: number): JitgateError {
  if (isSqliteBusy(error)) return sqliteBusyConflict(error)
  const message = `the transaction conflicted with others ${attempts} time${attempts === 1 ? '' : 's'}`
  return new JitgateError('store_conflict', `${message}; try again`, { status: 503, cause: error })
}

// Exponential with jitter, so that transactions that collided do not collide again in step.
function backoffMs(attempt: number): number {
  return Math.min(500, 5 * 2 ** attempt) * (0.5 + Math.random() / 2)
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}
