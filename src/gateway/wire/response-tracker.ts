// Which client request each upstream message answers. The gateway pipelines: it forwards
// requests as they come and answers arrive later, in order. A request is done at its last
// message (ParseComplete, CommandComplete, ReadyForQuery…); an error in the extended protocol
// ends every request up to the next Sync, which the upstream skips. Knowing the request of a
// message is what lets the gateway put a refusal's error in place of the upstream's, hide the
// answer to a Describe it injected, and run a request's row transform over its rows only.
//
// A request with a ResultWatch (a row limit, a timeout, the gate's result callbacks) has its
// rows counted and cut, its results reported and its end told, whether answered, skipped after
// an error, or abandoned with the session.
//
// No I/O: the session asks `onMessage` what to do with each upstream message.
import {
  commandComplete,
  dataRow,
  type RowDescription,
  readCommandTag,
  readDataRow,
  readFields,
  readRowDescription,
  readTransactionStatus,
  type TransactionStatus,
} from './backend-messages.ts'
import { GatewayError } from './gateway-error.ts'
import type { ResultWatch } from './result-watch.ts'
import type { ForwardedEnd, RowTransform, RowTransformFactory } from './statement-gate.ts'

export type RequestKind = 'query' | 'parse' | 'bind' | 'describe' | 'execute' | 'close' | 'sync'

export interface PendingRequest {
  readonly kind: RequestKind
  /** Messages for the client just before the request's first answer (a decision's notices). */
  readonly before?: Buffer
  /** The ErrorResponse the client gets instead of the upstream's (a refused statement). */
  readonly refusal?: Buffer
  /** A Describe the gateway injected before an Execute: its answer feeds the transform only. */
  readonly hidden?: boolean
  /** A hidden Describe's: told the description it got, to keep. */
  readonly described?: (description: RowDescription) => void
  /** An Execute's: the description of its rows, known without a Describe. */
  readonly description?: RowDescription
  readonly rows?: RowTransformFactory
  /** Row limit, timeout and result callbacks of the gate's decision. */
  readonly watch?: ResultWatch
}

export const FORWARD = 0
export const DROP = 1
export const REPLACE = 2
export type Verdict = typeof FORWARD | typeof DROP | typeof REPLACE

const EXTENDED_END: Readonly<Record<number, RequestKind>> = {
  49: 'parse', // ParseComplete
  50: 'bind', // BindComplete
  51: 'close', // CloseComplete
  110: 'describe', // NoData
  115: 'execute', // PortalSuspended
}

export class ResponseTracker {
  transactionStatus: TransactionStatus = 'I'
  /** Set by onMessage: send these bytes before the message (or its replacement). */
  prefix: Buffer | undefined
  /** Set by onMessage when it answers REPLACE. */
  replacement: Buffer = Buffer.alloc(0)

  readonly #queue: PendingRequest[] = []
  #headStarted = false
  // After an error in the extended protocol the upstream ignores everything up to Sync.
  #skipping = false
  // The request whose result set is being read, and its transform (undefined: untouched).
  #rowsOwner: PendingRequest | undefined
  #transform: RowTransform | undefined
  #described: RowDescription | null = null

  /** True when nothing is in flight: the upstream connection could serve someone else. */
  get idle(): boolean {
    return this.#queue.length === 0 && !this.#skipping
  }

  push(request: PendingRequest): void {
    if (this.#skipping) {
      // The upstream will skip it: nothing will answer it.
      if (request.kind !== 'sync') {
        request.watch?.end('skipped')
        return
      }
      this.#skipping = false
    }
    this.#queue.push(request)
    request.watch?.start()
  }

  /** The session ended: nothing in flight will be answered. */
  abandon(): void {
    for (const request of this.#queue.splice(0)) request.watch?.end('closed')
    this.#headStarted = false
  }

  onMessage(type: number, buffer: Buffer, start: number, end: number): Verdict {
    const head = this.#queue[0]
    this.prefix = undefined
    if (head !== undefined && !this.#headStarted) {
      this.#headStarted = true
      this.prefix = head.before
    }
    switch (type) {
      case 0x44: // DataRow
        if (head !== this.#rowsOwner) this.#chooseTransform(head)
        if (head?.watch !== undefined && !head.watch.takeRow()) return DROP
        if (this.#transform === undefined) return FORWARD
        this.replacement = this.#transformRow(buffer, start, end)
        return REPLACE
      case 0x54: // RowDescription
        return this.#rowDescription(head, buffer, start, end)
      case 0x43: // CommandComplete
      case 0x49: {
        // EmptyQueryResponse
        this.#transform = undefined
        const verdict =
          head?.watch === undefined ? FORWARD : this.#result(head.watch, type, buffer, start, end)
        if (head?.kind === 'execute') this.#done('answered')
        return verdict
      }
      case 0x45: // ErrorResponse
        return this.#error(head, buffer, start, end)
      case 0x5a: // ReadyForQuery
        this.transactionStatus = readTransactionStatus(buffer, start)
        this.#readyForQuery()
        return FORWARD
      default: {
        const ends = EXTENDED_END[type]
        if (ends === undefined || head?.kind !== ends) return FORWARD
        const hidden = head.hidden === true
        if (hidden) this.#described = null
        const verdict = type === 0x73 && head.watch !== undefined ? this.#suspended(head) : FORWARD
        this.#done('answered')
        return hidden ? DROP : verdict
      }
    }
  }

  // A CommandComplete or EmptyQueryResponse of a watched request: reported, its tag fixed when
  // rows were cut, and the NOTICE saying so sent just before it.
  #result(watch: ResultWatch, type: number, buffer: Buffer, start: number, end: number): Verdict {
    if (type === 0x49) {
      watch.empty()
      return FORWARD
    }
    const cut = watch.cut
    const notice = cut ? watch.cutNotice() : undefined
    const tag = readCommandTag(buffer, start, end)
    const shown = watch.complete(tag)
    if (notice !== undefined) this.#prefixWith(notice)
    if (shown === tag) return FORWARD
    this.replacement = commandComplete(shown)
    return REPLACE
  }

  // An Execute stopped at its row limit. When the policy's limit cut it, the result is over for
  // the client: the suspension becomes the CommandComplete of the rows sent.
  #suspended(head: PendingRequest): Verdict {
    const watch = head.watch as ResultWatch
    if (!watch.cut) {
      watch.suspended()
      return FORWARD
    }
    this.#prefixWith(watch.cutNotice())
    const tag = `SELECT ${watch.rowsSent}`
    watch.complete(tag)
    this.replacement = commandComplete(tag)
    return REPLACE
  }

  #prefixWith(extra: Buffer): void {
    this.prefix = this.prefix === undefined ? extra : Buffer.concat([this.prefix, extra])
  }

  #rowDescription(head: PendingRequest | undefined, buffer: Buffer, start: number, end: number): Verdict {
    if (head?.kind === 'describe') {
      const hidden = head.hidden === true
      if (hidden) {
        this.#described = readRowDescription(buffer, start, end)
        head.described?.(this.#described)
      }
      this.#done('answered')
      return hidden ? DROP : FORWARD
    }
    if (head?.kind === 'query') {
      this.#rowsOwner = head
      this.#transform = head.rows?.(readRowDescription(buffer, start, end))
      head.watch?.newResultSet()
    }
    return FORWARD
  }

  #error(head: PendingRequest | undefined, buffer: Buffer, start: number, end: number): Verdict {
    this.#transform = undefined
    const refusal = head?.refusal
    if (refusal !== undefined) this.replacement = refusal
    const watch = head?.watch
    if (watch !== undefined) {
      const notice = watch.timeoutNotice()
      if (notice !== undefined) this.#prefixWith(notice)
      watch.error(readFields(buffer, start, end).get('C'))
    }
    if (head !== undefined && head.kind !== 'query' && head.kind !== 'sync') {
      // The upstream now skips to Sync: the requests before it will never be answered.
      this.#done('answered')
      while (this.#queue.length > 0 && this.#queue[0]?.kind !== 'sync') this.#done('skipped')
      if (this.#queue.length === 0) this.#skipping = true
    }
    return refusal === undefined ? FORWARD : REPLACE
  }

  #readyForQuery(): void {
    // A Query or a Sync ends here; anything before it was skipped after an error.
    for (;;) {
      const head = this.#queue[0]
      if (head === undefined) break
      const last = head.kind === 'query' || head.kind === 'sync'
      this.#done(last ? 'answered' : 'skipped')
      if (last) break
    }
    this.#skipping = false
    this.#transform = undefined
  }

  #done(how: ForwardedEnd['how']): void {
    const request = this.#queue.shift()
    this.#headStarted = false
    request?.watch?.end(how)
  }

  // Rows of an Execute come without a RowDescription: its transform is chosen at its first row,
  // from the description of the Describe the gateway sent just before it, or the one it kept.
  #chooseTransform(head: PendingRequest | undefined): void {
    this.#rowsOwner = head
    this.#transform = undefined
    if (head?.rows === undefined) return
    const description = head.description ?? this.#described
    this.#described = null
    // Rows the gateway cannot attribute to columns must not pass untransformed.
    if (head.kind !== 'execute' || description === null)
      throw new GatewayError(
        'wire_protocol_violation',
        'rows arrived that the gateway cannot attribute to columns',
      )
    this.#transform = head.rows(description)
  }

  #transformRow(buffer: Buffer, start: number, end: number): Buffer {
    const values = readDataRow(buffer, start, end)
    const transformed = this.#transform?.transform(values) ?? values
    if (transformed.length !== values.length)
      throw new GatewayError('statement_gate_failed', 'a row transform changed the number of columns')
    return dataRow(transformed)
  }
}
