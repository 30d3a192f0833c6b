// Which client request each upstream message answers. The gateway pipelines: it forwards
// requests as they come and answers arrive later, in order. A request is done at its last
// message (ParseComplete, CommandComplete, ReadyForQuery…); an error in the extended protocol
// ends every request up to the next Sync, which the upstream skips. Knowing the request of a
// message is what lets the gateway put a refusal's error in place of the upstream's, hide the
// answer to a Describe it injected, and run a request's row transform over its rows only.
//
// No I/O: the session asks `onMessage` what to do with each upstream message.
import {
  dataRow,
  type RowDescription,
  readDataRow,
  readRowDescription,
  readTransactionStatus,
  type TransactionStatus,
} from './backend-messages.ts'
import { GatewayError } from './gateway-error.ts'
import type { RowTransform, RowTransformFactory } from './statement-gate.ts'

export type RequestKind = 'query' | 'parse' | 'bind' | 'describe' | 'execute' | 'close' | 'sync'

export interface PendingRequest {
  readonly kind: RequestKind
  /** Messages for the client just before the request's first answer (a decision's notices). */
  readonly before?: Buffer
  /** The ErrorResponse the client gets instead of the upstream's (a refused statement). */
  readonly refusal?: Buffer
  /** A Describe the gateway injected before an Execute: its answer feeds the transform only. */
  readonly hidden?: boolean
  readonly rows?: RowTransformFactory
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
      if (request.kind !== 'sync') return
      this.#skipping = false
    }
    this.#queue.push(request)
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
        if (this.#transform === undefined) return FORWARD
        this.replacement = this.#transformRow(buffer, start, end)
        return REPLACE
      case 0x54: // RowDescription
        return this.#rowDescription(head, buffer, start, end)
      case 0x43: // CommandComplete
      case 0x49: // EmptyQueryResponse
        this.#transform = undefined
        if (head?.kind === 'execute') this.#done()
        return FORWARD
      case 0x45: // ErrorResponse
        return this.#error(head)
      case 0x5a: // ReadyForQuery
        this.transactionStatus = readTransactionStatus(buffer, start)
        this.#readyForQuery()
        return FORWARD
      default: {
        const ends = EXTENDED_END[type]
        if (ends === undefined || head?.kind !== ends) return FORWARD
        const hidden = head.hidden === true
        if (hidden) this.#described = null
        this.#done()
        return hidden ? DROP : FORWARD
      }
    }
  }

  #rowDescription(head: PendingRequest | undefined, buffer: Buffer, start: number, end: number): Verdict {
    if (head?.kind === 'describe') {
      const hidden = head.hidden === true
      if (hidden) this.#described = readRowDescription(buffer, start, end)
      this.#done()
      return hidden ? DROP : FORWARD
    }
    if (head?.kind === 'query') {
      this.#rowsOwner = head
      this.#transform = head.rows?.(readRowDescription(buffer, start, end))
    }
    return FORWARD
  }

  #error(head: PendingRequest | undefined): Verdict {
    this.#transform = undefined
    const refusal = head?.refusal
    if (refusal !== undefined) this.replacement = refusal
    if (head !== undefined && head.kind !== 'query' && head.kind !== 'sync') {
      // The upstream now skips to Sync: the requests before it will never be answered.
      while (this.#queue.length > 0 && this.#queue[0]?.kind !== 'sync') this.#done()
      if (this.#queue.length === 0) this.#skipping = true
    }
    return refusal === undefined ? FORWARD : REPLACE
  }

  #readyForQuery(): void {
    // A Query or a Sync ends here; anything before it was skipped after an error.
    for (;;) {
      const head = this.#queue[0]
      if (head === undefined) break
      this.#done()
      if (head.kind === 'query' || head.kind === 'sync') break
    }
    this.#skipping = false
    this.#transform = undefined
  }

  #done(): void {
    this.#queue.shift()
    this.#headStarted = false
  }

  // Rows of an Execute come without a RowDescription: its transform is chosen at its first row,
  // from the description of the Describe the gateway sent just before it.
  #chooseTransform(head: PendingRequest | undefined): void {
    this.#rowsOwner = head
    this.#transform = undefined
    if (head?.rows === undefined) return
    const description = this.#described
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
