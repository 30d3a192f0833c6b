// Turns driver errors (pg, better-sqlite3) into JitgateErrors with stable codes, and tells
// constraint violations apart the same way on both dialects. Driver errors never travel
// as the `cause` of an opening error: their text may carry connection details.
import { JitgateError } from '../shared/index.ts'

/** Why a write was refused by the schema, the same on SQLite and PostgreSQL. */
export type ConstraintKind = 'unique' | 'foreign_key' | 'check' | 'not_null'

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
])
const AUTH_SQLSTATES = new Set(['28P01', '28000'])
const PG_CONSTRAINTS: Readonly<Record<string, ConstraintKind>> = {
  '23505': 'unique',
  '23503': 'foreign_key',
  '23514': 'check',
  '23502': 'not_null',
}
const SQLITE_CONSTRAINTS: Readonly<Record<string, ConstraintKind>> = {
  SQLITE_CONSTRAINT_UNIQUE: 'unique',
  SQLITE_CONSTRAINT_PRIMARYKEY: 'unique',
  SQLITE_CONSTRAINT_FOREIGNKEY: 'foreign_key',
  SQLITE_CONSTRAINT_CHECK: 'check',
  SQLITE_CONSTRAINT_NOTNULL: 'not_null',
}

/** The constraint a write broke, or undefined when `error` is something else. */
export function constraintViolation(error: unknown): ConstraintKind | undefined {
  const code = errorCode(error)
  if (code === undefined) return undefined
  return PG_CONSTRAINTS[code] ?? SQLITE_CONSTRAINTS[code]
}

/** True for PostgreSQL's serialization failure and deadlock: the transaction may simply be run again. */
export function isRetryableConflict(error: unknown): boolean {
  const code = errorCode(error)
  return code === '40001' || code === '40P01'
}

/** SQLite gave up waiting for another process's write lock (after busy_timeout). */
export function isSqliteBusy(error: unknown): boolean {
  return errorCode(error)?.startsWith('SQLITE_BUSY') === true
}

/** `store_conflict` (503) for a write that met SQLITE_BUSY: the busy timeout passed with another writer. */
export function sqliteBusyConflict(cause: unknown): JitgateError {
  return new JitgateError(
    'store_conflict',
    'the SQLite database stayed locked by another process; try again',
    {
      status: 503,
      cause,
    },
  )
}

/** Maps a failure to connect to PostgreSQL to `store_unreachable`, `store_auth_failed` or `store_open_failed`. */
export function postgresOpenError(error: unknown, display: string, secrets: readonly string[]): JitgateError {
  const code = errorCode(error)
  const text = scrub(errorMessage(error), secrets)
  if (code !== undefined && AUTH_SQLSTATES.has(code)) {
    return new JitgateError('store_auth_failed', `the database at ${display} refused the login: ${text}`, {
      details: [{ path: 'database', message: text, hint: 'check the user and password of the database URL' }],
    })
  }
  if (/SASL|password must be a string/i.test(text)) {
    return new JitgateError('store_auth_failed', `the database at ${display} needs a password`, {
      details: [{ path: 'database', message: text, hint: 'put the password in the database URL' }],
    })
  }
  if ((code !== undefined && NETWORK_CODES.has(code)) || /timeout|terminated/i.test(text)) {
    const why = code !== undefined && NETWORK_CODES.has(code) ? `${text} (${code})` : text
    return new JitgateError('store_unreachable', `cannot reach the database at ${display}: ${why}`, {
      details: [
        {
          path: 'database',
          message: why,
          hint: 'check that PostgreSQL runs and that host and port are right',
        },
      ],
    })
  }
  return new JitgateError('store_open_failed', `cannot open the database at ${display}: ${text}`, {
    details: [
      { path: 'database', message: text, hint: 'check the database name and the grants of the user' },
    ],
  })
}

/** Maps a failure to open or set up a SQLite file to `store_open_failed`. */
export function sqliteOpenError(error: unknown, path: string): JitgateError {
  const code = errorCode(error)
  const text = errorMessage(error)
  const hint =
    code === 'SQLITE_NOTADB'
      ? 'the file exists but is not a SQLite database: check the path'
      : 'check that the directory exists and that jitgate may write to it'
  return new JitgateError('store_open_failed', `cannot open the SQLite database at ${path}: ${text}`, {
    details: [{ path: 'database', file: path, message: text, hint }],
  })
}

function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined
  return typeof error.code === 'string' ? error.code : undefined
}

function errorMessage(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) return errorMessage(error.errors[0])
  const text = error instanceof Error ? error.message : String(error)
  return text === '' ? 'unknown error' : text
}

function scrub(text: string, secrets: readonly string[]): string {
  let out = text
  for (const secret of secrets) out = out.split(secret).join('***')
  return out
}
