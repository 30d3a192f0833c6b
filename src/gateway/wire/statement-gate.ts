// The hook every statement passes through on its way upstream, and the hook result rows pass
// through on their way back. The wire server knows nothing of policies: a gate decides
// (forward, forward with notices, or refuse with a SQLSTATE), and a forwarded statement may
// carry a row transform for each result set (masking). The default gate forwards everything.
import type { Principal } from '../../auth/index.ts'
import type { ErrorFields, RowDescription, TransactionStatus } from './backend-messages.ts'

/** What a gate may know of the session a statement comes from. */
export interface GateSession {
  /** Unique per client session (a UUIDv7): for audit and logs. */
  readonly id: string
  readonly principal: Principal
  /** The user name of the startup packet (the principal's id). */
  readonly user: string
  /** The configured upstream, as the client named it in `database`. */
  readonly upstream: string
  readonly client: { readonly address: string; readonly port: number; readonly tls: boolean }
  /** Startup parameters the client sent (application_name, client_encoding…). */
  readonly startup: ReadonlyMap<string, string>
  /** As the upstream last reported it: I idle, T in a transaction block, E in a failed one. */
  readonly transactionStatus: TransactionStatus
  /** ParameterStatus values as the upstream last reported them (server_version, TimeZone…). */
  readonly parameters: ReadonlyMap<string, string>
  /** Sends a NOTICE to the client at once (for instance while an approval is awaited). */
  notice(fields: NoticeFields): void
  /**
   * Aborted when the session ends (reason `session_ended`) or when the client cancels while a
   * decision is pending (a CancelRequest, psql's Ctrl-C: reason `client_cancelled`): a gate
   * waiting on something (an approval) stops. Read it when the wait starts: after a cancel the
   * next decision gets a fresh one.
   */
  readonly signal: AbortSignal
}

/** Why a session's signal was aborted. */
export type GateAbortReason = 'session_ended' | 'client_cancelled'

/**
 * A statement on its way upstream. `simple`: a Query message, possibly several statements.
 * `extended`: each Parse, Bind and Execute of the extended protocol; Bind and Execute carry
 * the SQL jitgate saw parsed for that statement, or undefined when it was prepared in a way
 * the gateway did not see (SQL-level PREPARE): a gate should treat that as unknown.
 */
export type GateStatement =
  | { readonly kind: 'simple'; readonly sql: string }
  | {
      readonly kind: 'extended'
      readonly phase: 'parse'
      readonly statement: string
      readonly sql: string
      readonly paramTypes: readonly number[]
    }
  | {
      readonly kind: 'extended'
      readonly phase: 'bind' | 'execute'
      readonly statement: string | undefined
      readonly portal: string
      readonly sql: string | undefined
      /** The bound parameters as sent (views; null is SQL NULL), with their formats. */
      readonly params: readonly (Buffer | null)[]
      readonly paramFormats: readonly number[]
      /** Bind: the formats asked for the result columns (none: all text). */
      readonly resultFormats?: readonly number[]
      /** Execute: the row limit asked for (0 none). */
      readonly maxRows?: number
    }

/** Rewrites the values of result rows of one result set (one RowDescription). */
export interface RowTransform {
  /**
   * New values for one row, as bytes or text in the column's format (text unless the
   * description says 1, binary); null is SQL NULL. Must return as many values as it got.
   */
  transform(values: readonly (Buffer | null)[]): readonly (Buffer | string | null)[]
}

/** Chooses the transform of each result set of a forwarded statement; undefined: untouched. */
export type RowTransformFactory = (description: RowDescription) => RowTransform | undefined

export type NoticeFields = Omit<ErrorFields, 'severity'> & {
  readonly severity?: 'WARNING' | 'NOTICE' | 'INFO'
}

/**
 * One result of a forwarded message, as the client got it: a CommandComplete, an
 * EmptyQueryResponse, an ErrorResponse, or a PortalSuspended (an Execute that stopped at its
 * row limit and may go on).
 */
export interface ForwardedResult {
  /** 0-based: the position of this result among the results of the forwarded message. */
  readonly index: number
  readonly kind: 'complete' | 'empty' | 'error' | 'suspended'
  /** The command tag as the client got it (`SELECT 3`, `INSERT 0 1`, `BEGIN`); complete only. */
  readonly tag?: string
  /** Rows returned or affected, from the tag; for a suspended portal, the rows it sent. */
  readonly rows?: number
  /** The SQLSTATE of an error. */
  readonly sqlstate?: string
  /** Milliseconds since the message went upstream. */
  readonly durationMs: number
}

/** Told once per forwarded message, when no result of it will follow. */
export interface ForwardedEnd {
  /** How many results were reported. */
  readonly results: number
  /**
   * answered: the upstream answered it to the end; skipped: the upstream skipped it after an
   * earlier error of the pipeline (it did not run); closed: the session ended first (it may
   * have run: the gateway cancels it upstream).
   */
  readonly how: 'answered' | 'skipped' | 'closed'
  readonly durationMs: number
}

export type GateDecision =
  | {
      readonly action: 'forward'
      /** Sent to the client just before the statement's own responses. */
      readonly notices?: readonly NoticeFields[]
      readonly rows?: RowTransformFactory
      /**
       * At most this many DataRows of each result set reach the client (a whole number, 0 or
       * more); the rest are dropped, a SELECT's tag says the rows sent and a NOTICE says the
       * result was cut. For an Execute it counts across the portal's Executes.
       */
      readonly rowLimit?: number
      /** Cancels the message upstream after this many milliseconds (PostgreSQL answers 57014). */
      readonly timeoutMs?: number
      /** Each result the message produces, in order. Must not throw; a throw is logged and ignored. */
      readonly onResult?: (result: ForwardedResult) => void
      /** Once, after the last result (or when the message was skipped or the session ended). */
      readonly onEnd?: (end: ForwardedEnd) => void
    }
  | {
      readonly action: 'reject'
      /** Default 42501 (insufficient_privilege). */
      readonly sqlstate?: string
      readonly message: string
      readonly detail?: string
      readonly hint?: string
    }

export interface StatementGate {
  /**
   * Decides on one statement. May answer synchronously (the common case costs no promise) or
   * asynchronously (the session holds further client messages until it answers). A throw or
   * a rejected promise refuses the statement: what jitgate cannot decide does not run.
   */
  decide(session: GateSession, statement: GateStatement): GateDecision | Promise<GateDecision>
}

const FORWARD: GateDecision = Object.freeze({ action: 'forward' })

/** Forwards every statement untouched: the gateway as a plain authenticated proxy. */
export const forwardEverything: StatementGate = Object.freeze({ decide: () => FORWARD })
