// The audit events of statements. `db.statement`: who (actor, client, connection), where
// (database), what (text with literals masked, fingerprint, kind, tables), the decision (effect,
// rules, requests and grants it ran on, what was enforced) and, when it is written after the
// statement, what came of it (rows, duration, SQLSTATE). A statement that runs on a grant or an
// approval, or writes, has its `db.statement` written before it runs and a `db.result` (same
// subject) after. Never a literal, never a value of a row. Pure.
import type { AuditDraft, JsonValue } from '../../audit/index.ts'
import type { Effect } from '../../policy/index.ts'

/** The message's side of every event: the same for each of its statements. */
export interface MessageOrigin {
  readonly actorId: string
  /** The gateway session (a UUIDv7). */
  readonly connection: string
  /** The upstream, as the client named it in `dbname`. */
  readonly database: string
  readonly client: {
    readonly ip: string
    readonly port: number
    readonly tls: boolean
    readonly application?: string
  }
  readonly protocol: 'simple' | 'extended'
  readonly policyVersion: string
}

/** What the gate knew and decided of one statement. */
export interface StatementRecord {
  /** The event subject's id (a new UUIDv7 per statement). */
  readonly id: string
  /** 0-based position in the message, and how many statements it held. */
  readonly position: number
  readonly of: number
  /** Literals masked. */
  readonly text: string
  readonly fingerprint?: string
  readonly kind?: string
  readonly writes?: boolean
  readonly resources?: readonly string[]
  /** The deciding effect, or why no policy decided. */
  readonly decision: Effect | 'unparseable' | 'unknown_statement' | 'refused'
  readonly rules: readonly string[]
  readonly requests?: readonly string[]
  readonly grants?: readonly string[]
  readonly enforced?: {
    readonly rowLimit?: number
    readonly statementTimeoutSeconds?: number
    readonly masked?: boolean
  }
  /** Set when the gate refused the message: the SQLSTATE the client got. */
  readonly refusal?: string
}

/**
 * ran: completed; failed: an error upstream; not_run: skipped (an earlier statement of the
 * message failed, or the message was refused for another statement); interrupted: the client
 * left while it ran (it was cancelled; it may have committed); forwarded: sent upstream, its
 * result follows in `db.result`; refused: the gate refused it.
 */
export type StatementOutcome = 'ran' | 'failed' | 'not_run' | 'interrupted' | 'forwarded' | 'refused'

export interface StatementResultRecord {
  readonly outcome: StatementOutcome
  /** The command tag (`SELECT 3`): it holds a count, never a value. */
  readonly command?: string
  readonly rows?: number
  readonly durationMs?: number
  readonly sqlstate?: string
}

export function statementDraft(
  origin: MessageOrigin,
  record: StatementRecord,
  result: StatementResultRecord,
): AuditDraft {
  const details: Record<string, JsonValue> = {}
  originDetails(details, origin)
  recordDetails(details, record)
  resultDetails(details, result)
  return {
    actor: { type: 'user', id: origin.actorId },
    type: 'db.statement',
    subject: { type: 'statement', id: record.id },
    policyVersion: origin.policyVersion,
    details,
  }
}

/** The result of a statement whose `db.statement` was written before it ran. */
export function resultDraft(
  origin: MessageOrigin,
  statementId: string,
  result: StatementResultRecord,
): AuditDraft {
  const details: Record<string, JsonValue> = { database: origin.database, connection: origin.connection }
  resultDetails(details, result)
  return {
    actor: { type: 'user', id: origin.actorId },
    type: 'db.result',
    subject: { type: 'statement', id: statementId },
    policyVersion: origin.policyVersion,
    details,
  }
}

// Details are filled in place: spreading several objects into one costs microseconds, and this
// runs for every statement.

function originDetails(details: Record<string, JsonValue>, origin: MessageOrigin): void {
  details.database = origin.database
  details.connection = origin.connection
  details.protocol = origin.protocol
  details.client = clientDetails(origin.client)
}

/** Who the client is: address, port, TLS and application_name. */
export function clientDetails(client: MessageOrigin['client']): Record<string, JsonValue> {
  const shown: Record<string, JsonValue> = { ip: client.ip, port: client.port, tls: client.tls }
  if (client.application !== undefined) shown.application = client.application
  return shown
}

function recordDetails(details: Record<string, JsonValue>, record: StatementRecord): void {
  details.position = record.position
  details.of = record.of
  shapeDetails(details, record)
}

/** What a record says of the statement and its decision: all but its id and place in the message. */
export function shapeDetails(details: Record<string, JsonValue>, record: StatementRecord): void {
  details.statement = record.text
  if (record.fingerprint !== undefined) details.fingerprint = record.fingerprint
  if (record.kind !== undefined) details.kind = record.kind
  if (record.writes !== undefined) details.writes = record.writes
  if (record.resources !== undefined) details.resources = record.resources
  details.decision = record.decision
  details.rules = record.rules
  details.requests = record.requests ?? []
  details.grants = record.grants ?? []
  const { enforced } = record
  if (enforced !== undefined) {
    const shown: Record<string, JsonValue> = {}
    if (enforced.rowLimit !== undefined) shown.rowLimit = enforced.rowLimit
    if (enforced.statementTimeoutSeconds !== undefined)
      shown.statementTimeoutSeconds = enforced.statementTimeoutSeconds
    shown.masked = enforced.masked === true
    details.enforced = shown
  }
  if (record.refusal !== undefined) details.refusal = record.refusal
}

/** A duration in ms as the log keeps it: to the microsecond. */
export function roundDuration(ms: number): number {
  return Math.round(ms * 1000) / 1000
}

export function resultDetails(details: Record<string, JsonValue>, result: StatementResultRecord): void {
  details.outcome = result.outcome
  if (result.command !== undefined) details.command = result.command
  if (result.rows !== undefined) details.rows = result.rows
  if (result.durationMs !== undefined) details.durationMs = roundDuration(result.durationMs)
  if (result.sqlstate !== undefined) details.sqlstate = result.sqlstate
}
