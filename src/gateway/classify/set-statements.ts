// SET and RESET. Most settings only change how results look or how long a statement may run, but
// some change who the session is (ROLE, SESSION AUTHORIZATION), what unqualified names mean
// (search_path) or how the server reads the statements that follow (standard_conforming_strings,
// client_encoding: the gateway parses them as UTF-8 with standard strings). Those, and every
// setting not listed as harmless here, count as writes.
import type { VariableSetStmt } from 'libpg-query'
import type { StatementKind } from './classification-types.ts'

/** Settings of the current or following transactions: transaction control, not writes. */
const TRANSACTION_SETTINGS: ReadonlySet<string> = new Set([
  'TRANSACTION',
  'SESSION CHARACTERISTICS',
  'transaction_isolation',
  'transaction_read_only',
  'transaction_deferrable',
  'default_transaction_isolation',
  'default_transaction_read_only',
  'default_transaction_deferrable',
])

/** Settings that change presentation or time limits only; drivers set several when they connect. */
export const HARMLESS_SETTINGS: ReadonlySet<string> = new Set([
  'application_name',
  'bytea_output',
  'client_min_messages',
  'datestyle',
  'extra_float_digits',
  'idle_in_transaction_session_timeout',
  'idle_session_timeout',
  'intervalstyle',
  'lc_monetary',
  'lc_numeric',
  'lc_time',
  'lock_timeout',
  'statement_timeout',
  'timezone',
  'transaction_timeout',
])

export function setStatement(set: VariableSetStmt): { kind: StatementKind; reason?: string } {
  if (set.kind === 'VAR_RESET_ALL') return { kind: 'utility', reason: 'RESET ALL' }
  const name = set.name ?? ''
  const verb = set.kind === 'VAR_RESET' ? 'RESET' : 'SET'
  const setting = name.toLowerCase()
  if (TRANSACTION_SETTINGS.has(name) || TRANSACTION_SETTINGS.has(setting)) return { kind: 'transaction' }
  if (setting === 'role') return { kind: 'dcl', reason: `${verb} ROLE` }
  if (setting === 'session_authorization') return { kind: 'dcl', reason: `${verb} SESSION AUTHORIZATION` }
  if (HARMLESS_SETTINGS.has(setting)) return { kind: 'utility' }
  // Back to the connection's own encoding, or to UTF-8, is what the gateway parses.
  if (setting === 'client_encoding' && (set.kind !== 'VAR_SET_VALUE' || isUtf8(set)))
    return { kind: 'utility' }
  return { kind: 'utility', reason: `${verb} ${setting}` }
}

function isUtf8(set: VariableSetStmt): boolean {
  const [arg] = set.args ?? []
  const value = arg !== undefined && 'A_Const' in arg ? arg.A_Const.sval?.sval : undefined
  const normalized = value?.toLowerCase().replace(/[-_]/g, '')
  return normalized === 'utf8' || normalized === 'unicode'
}
