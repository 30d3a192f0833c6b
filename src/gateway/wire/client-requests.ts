// The client's side of a session: every message read, statements passed through the gate in
// order, and each request announced to the response tracker before it goes upstream. A
// forwarded message goes out as the bytes that came in; a refused one is replaced upstream
// by a statement that fails (refusal.ts), so transaction semantics stay PostgreSQL's own. A
// decision's row limit, timeout and result callbacks travel with the request as a ResultWatch;
// an Execute the policy limits is sent with a maxRows of its own (result-watch.ts).
import { serialize } from 'pg-protocol'
import { isThenable, type Mutable } from '../../shared/index.ts'
import { noticeResponse, type RowDescription } from './backend-messages.ts'
import { describeType, readBind, readExecute, readParse, readQuery, readTarget } from './frontend-messages.ts'
import { GatewayError } from './gateway-error.ts'
import { KnownDescriptions } from './known-descriptions.ts'
import { PreparedNames } from './prepared-names.ts'
import { REFUSED_PARSE, REFUSED_QUERY, refusalError } from './refusal.ts'
import type { PendingRequest, RequestKind, ResponseTracker } from './response-tracker.ts'
import { executeMaxRows, ResultWatch, type ResultWatchInit } from './result-watch.ts'
import type {
  GateDecision,
  GateSession,
  GateStatement,
  NoticeFields,
  StatementGate,
} from './statement-gate.ts'
import type { GatewayLog } from './wire-log.ts'
import type { WriteRun } from './write-run.ts'

/** What the requests need of their session. */
export interface RequestOutlet {
  /** Runs of untouched messages, written as one. */
  readonly run: WriteRun
  /** Writes `data` upstream after the run so far. */
  send(data: Buffer): void
  /** A decision is pending (true) or settled (false): stop or resume reading the client. */
  hold(waiting: boolean): void
  /** Goes on with the client messages held meanwhile. */
  resume(): void
  /** Runs `fn`, sending what it writes upstream as one write (the socket corked meanwhile). */
  together(fn: () => void): void
  /** True once the session has ended. */
  readonly closed: boolean
  fail(error: unknown): void
  /** Asks the upstream to cancel what it runs (a decision's timeout fired). */
  cancel(): void
}

const FUNCTION_CALL_REFUSED = refusalError(
  '0A000',
  'jitgate does not pass FunctionCall messages: call the function in SQL',
)

const SYNC: PendingRequest = { kind: 'sync' }
const DESCRIBE: PendingRequest = { kind: 'describe' }
const CLOSE: PendingRequest = { kind: 'close' }
const HIDDEN_DESCRIBE: PendingRequest = { kind: 'describe', hidden: true }
// Q, P, B and E.
const KIND: Readonly<Record<number, RequestKind>> = { 81: 'query', 80: 'parse', 66: 'bind', 69: 'execute' }
// The requests of plain forwarded statements, shared: no allocation per message.
const PLAIN: Readonly<Record<RequestKind, PendingRequest>> = {
  query: { kind: 'query' },
  parse: { kind: 'parse' },
  bind: { kind: 'bind' },
  describe: DESCRIBE,
  execute: { kind: 'execute' },
  close: CLOSE,
  sync: SYNC,
}

type Refusal = Extract<GateDecision, { action: 'reject' }>
type Forward = Extract<GateDecision, { action: 'forward' }>

// setTimeout's longest delay; a longer timeout would fire at once.
const MAX_TIMEOUT_MS = 0x7fffffff

export class ClientRequests {
  readonly #names = new PreparedNames()
  readonly #descriptions = new KnownDescriptions()
  #waiting = false

  constructor(
    private readonly session: GateSession,
    private readonly gate: StatementGate,
    private readonly tracker: ResponseTracker,
    private readonly outlet: RequestOutlet,
    private readonly log: GatewayLog,
  ) {}

  /** True while a decision is pending: the next message must wait. */
  get waiting(): boolean {
    return this.#waiting
  }

  /** Handles one client message; false when it was Terminate. */
  handle(type: number, buffer: Buffer, start: number, end: number): boolean {
    switch (type) {
      case 0x51: // Query
        this.#descriptions.forget()
        this.#gate({ kind: 'simple', sql: readQuery(buffer, start, end) }, type, buffer, start, end)
        return true
      case 0x50: // Parse
        this.#gate(
          { kind: 'extended', phase: 'parse', ...readParse(buffer, start, end) },
          type,
          buffer,
          start,
          end,
        )
        return true
      case 0x42: // Bind
        this.#gate(this.#bind(buffer, start, end), type, buffer, start, end)
        return true
      case 0x45: // Execute
        this.#gate(this.#execute(buffer, start, end), type, buffer, start, end)
        return true
      case 0x44: // Describe
      case 0x43: {
        const { target, name } = readTarget(buffer, start, end)
        if (type === 0x43) this.#names.close(target, name)
        this.#forward(type === 0x43 ? CLOSE : DESCRIBE, buffer, start, end)
        return true
      }
      case 0x53: // Sync
        this.#forward(SYNC, buffer, start, end)
        return true
      case 0x48: // Flush
      case 0x64: // CopyData
      case 0x63: // CopyDone
      case 0x66: // CopyFail
        this.outlet.run.add(buffer, start, end)
        return true
      case 0x58: // Terminate: the upstream connection outlives the client
        return false
      case 0x46: // FunctionCall runs any function by OID, past any statement gate.
        this.tracker.push({ kind: 'query', refusal: FUNCTION_CALL_REFUSED })
        this.outlet.send(REFUSED_QUERY)
        return true
      default:
        throw new GatewayError('wire_protocol_violation', `unexpected message type ${describeType(type)}`)
    }
  }

  #bind(buffer: Buffer, start: number, end: number): GateStatement {
    const { statement, portal, params, paramFormats, resultFormats } = readBind(buffer, start, end)
    const sql = this.#names.sqlOf(statement)
    return { kind: 'extended', phase: 'bind', statement, portal, sql, params, paramFormats, resultFormats }
  }

  #execute(buffer: Buffer, start: number, end: number): GateStatement {
    const { portal, maxRows } = readExecute(buffer, start, end)
    const info = this.#names.portal(portal)
    return {
      kind: 'extended',
      phase: 'execute',
      statement: info?.statement,
      portal,
      sql: info?.sql,
      params: info?.params ?? [],
      paramFormats: info?.paramFormats ?? [],
      maxRows,
    }
  }

  #forward(request: PendingRequest, buffer: Buffer, start: number, end: number): void {
    this.tracker.push(request)
    this.outlet.run.add(buffer, start, end)
  }

  #gate(statement: GateStatement, type: number, buffer: Buffer, start: number, end: number): void {
    let decision: GateDecision | PromiseLike<GateDecision>
    try {
      decision = this.gate.decide(this.session, statement)
    } catch (error) {
      decision = this.#gateFailed(error)
    }
    if (!isThenable(decision)) {
      this.#apply(decision, statement, type, buffer, start, end)
      return
    }
    this.outlet.run.flush()
    this.#waiting = true
    this.outlet.hold(true)
    this.#settle(decision, statement, type, buffer, start, end).catch((error: unknown) =>
      this.outlet.fail(error),
    )
  }

  async #settle(
    pending: PromiseLike<GateDecision>,
    statement: GateStatement,
    type: number,
    buffer: Buffer,
    start: number,
    end: number,
  ): Promise<void> {
    const decision = await Promise.resolve(pending).catch((error: unknown) => this.#gateFailed(error))
    // The session may have ended meanwhile; its upstream connection is no longer ours to write to.
    if (this.outlet.closed) return
    this.#waiting = false
    // The statement, what the gate added to it and the messages that followed it (a Sync) go
    // upstream in one write, as they would have without the wait.
    this.outlet.together(() => {
      this.#apply(decision, statement, type, buffer, start, end)
      this.outlet.run.flush()
      this.outlet.hold(false)
      this.outlet.resume()
    })
  }

  #gateFailed(error: unknown): Refusal {
    this.log.error(
      { session: this.session.id, err: error },
      'the statement gate failed; the statement is refused',
    )
    return {
      action: 'reject',
      sqlstate: 'XX000',
      message: 'jitgate could not decide on this statement, so it did not run',
    }
  }

  #apply(
    decision: GateDecision,
    statement: GateStatement,
    type: number,
    buffer: Buffer,
    start: number,
    end: number,
  ) {
    // Anything but a well-formed forward is refused: a gate's mistake must not let a statement by.
    if (decision?.action !== 'forward' || !wellFormed(decision)) {
      const refused =
        decision?.action === 'reject' ? decision : this.#gateFailed(new Error('not a GateDecision'))
      const error = refusalError(refused.sqlstate, String(refused.message), refused.detail, refused.hint)
      // A refused Bind or Execute fails as a Parse would: an error, then skipping to Sync.
      this.tracker.push({ kind: statement.kind === 'simple' ? 'query' : 'parse', refusal: error })
      this.outlet.send(statement.kind === 'simple' ? REFUSED_QUERY : REFUSED_PARSE)
      return
    }
    this.#names.record(statement)
    const { notices, rows } = decision
    const execute = statement.kind === 'extended' && statement.phase === 'execute' ? statement : undefined
    let description: RowDescription | undefined
    if (execute !== undefined) {
      if (rows === undefined) this.#descriptions.forget()
      else description = this.#describe(execute.portal)
    }
    const kind = KIND[type] ?? 'query'
    const watch = this.#watch(decision, execute?.portal)
    const noticed = notices !== undefined && notices.length > 0
    let request: PendingRequest = PLAIN[kind]
    if (noticed || rows !== undefined || watch !== undefined) {
      const own: Mutable<PendingRequest> = { kind }
      if (noticed) own.before = Buffer.concat(notices.map(notice))
      if (rows !== undefined) own.rows = rows
      if (description !== undefined) own.description = description
      if (watch !== undefined) own.watch = watch
      request = own
    }
    const maxRows =
      execute === undefined || decision.rowLimit === undefined
        ? undefined
        : executeMaxRows(decision.rowLimit, execute.maxRows ?? 0)
    if (execute !== undefined && maxRows !== undefined && maxRows !== execute.maxRows) {
      // The policy's limit is tighter than the client's: the Execute asks for what it may send.
      this.tracker.push(request)
      this.outlet.send(serialize.execute({ portal: execute.portal, rows: maxRows }))
      return
    }
    this.#forward(request, buffer, start, end)
  }

  /**
   * The description of a masked Execute's rows when known (known-descriptions.ts); else
   * undefined, and a Describe of the portal goes upstream first, its answer for the transform
   * only, and kept.
   */
  #describe(portal: string): RowDescription | undefined {
    const info = this.#names.portal(portal)
    const key = info?.parse === undefined ? undefined : KnownDescriptions.key(info.parse, info.resultFormats)
    const known = key === undefined ? undefined : this.#descriptions.get(key)
    if (known !== undefined) return known
    const { era } = this.#descriptions
    this.tracker.push(
      key === undefined
        ? HIDDEN_DESCRIBE
        : { ...HIDDEN_DESCRIBE, described: (description) => this.#descriptions.set(key, description, era) },
    )
    this.outlet.send(serialize.describe({ type: 'P', name: portal }))
    return undefined
  }

  #watch(decision: Forward, portal: string | undefined): ResultWatch | undefined {
    const { rowLimit, timeoutMs, onResult, onEnd } = decision
    if (rowLimit === undefined && timeoutMs === undefined && onResult === undefined && onEnd === undefined)
      return undefined
    // Filled in, not spread: spreading the optional parts made an object each per statement.
    const init: Mutable<ResultWatchInit> = { callbackFailed: this.#callbackFailed }
    if (rowLimit !== undefined) {
      init.rowLimit = rowLimit
      const sent = portal === undefined ? undefined : this.#names.portal(portal)?.sent
      if (sent !== undefined) init.portal = sent
    }
    if (timeoutMs !== undefined) {
      init.timeoutMs = timeoutMs
      init.cancel = this.#cancel
    }
    if (onResult !== undefined) init.onResult = onResult
    if (onEnd !== undefined) init.onEnd = onEnd
    return new ResultWatch(init)
  }

  // Made once per session, not per statement: under tsx every arrow made in a method is named
  // at run time (keepNames), which measured ~1 µs a statement on the gateway's hot path.
  readonly #cancel = () => this.outlet.cancel()
  readonly #callbackFailed = (error: unknown) =>
    this.log.error({ session: this.session.id, err: error }, 'a statement gate callback failed')
}

/** The optional parts of a forward decision are what they claim to be. */
function wellFormed(decision: Forward): boolean {
  const { rowLimit, timeoutMs, onResult, onEnd } = decision
  return (
    (rowLimit === undefined || (Number.isSafeInteger(rowLimit) && rowLimit >= 0)) &&
    (timeoutMs === undefined ||
      (typeof timeoutMs === 'number' && timeoutMs > 0 && timeoutMs <= MAX_TIMEOUT_MS)) &&
    (onResult === undefined || typeof onResult === 'function') &&
    (onEnd === undefined || typeof onEnd === 'function')
  )
}

function notice(fields: NoticeFields): Buffer {
  return noticeResponse({ ...fields, severity: fields.severity ?? 'NOTICE' })
}
