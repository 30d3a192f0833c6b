// What the gateway keeps of one forwarded message whose decision asked for more than passing
// it on: a row limit (rows past it are dropped, a SELECT's tag then counts the rows sent, and
// a NOTICE says the result was cut), a timeout (a CancelRequest upstream when it fires), and
// the gate's callbacks told of each result and of the end. The response tracker feeds it the
// upstream's answers in order; a plain forwarded message has none of this and costs nothing.
import { performance } from 'node:perf_hooks'
import { noticeResponse } from './backend-messages.ts'
import type { ForwardedEnd, ForwardedResult } from './statement-gate.ts'

/** The rows a portal has sent the client so far, across its Executes. */
export interface PortalRows {
  rows: number
}

export interface ResultWatchInit {
  /** Rows each result set may send; for an Execute, the rows its portal may send in all. */
  readonly rowLimit?: number
  /** An Execute's portal: its rows are counted across Executes. */
  readonly portal?: PortalRows
  readonly timeoutMs?: number
  /** Sends the CancelRequest upstream. */
  readonly cancel?: () => void
  readonly onResult?: (result: ForwardedResult) => void
  readonly onEnd?: (end: ForwardedEnd) => void
  /** Told of a callback that threw: the session goes on. */
  readonly callbackFailed: (error: unknown) => void
}

/**
 * The maxRows to send upstream for an Execute asking for `clientMaxRows` (0: all) under a limit
 * of `limit` rows per portal. One row more than the limit is asked for: if it comes, the result
 * was cut, and the portal's suspension is then ended for the client. The rows already sent are
 * not known here (earlier Executes of a pipeline may not have been answered yet): rows are
 * counted, and dropped past the limit, as they arrive.
 */
export function executeMaxRows(limit: number, clientMaxRows: number): number {
  return clientMaxRows > 0 && clientMaxRows <= limit ? clientMaxRows : limit + 1
}

/** The count a command tag ends with (`INSERT 0 5` → 5), or undefined (`BEGIN`). */
export function tagCount(tag: string): number | undefined {
  const space = tag.lastIndexOf(' ')
  if (space < 0) return undefined
  const count = Number(tag.slice(space + 1))
  return Number.isSafeInteger(count) && count >= 0 ? count : undefined
}

// Tags whose count is the rows returned, which a cut changes; INSERT … RETURNING and the like
// count the rows written, which a cut does not change.
const ROW_RETURNING_TAGS = /^(SELECT|FETCH) \d+$/

export class ResultWatch {
  readonly #init: ResultWatchInit
  #index = 0
  #setRows = 0
  #cut = false
  #startedAt = 0
  #timer: NodeJS.Timeout | undefined
  #timedOut = false
  #ended = false

  constructor(init: ResultWatchInit) {
    this.#init = init
  }

  /** The message went upstream: the clock and the timeout start. */
  start(): void {
    this.#startedAt = performance.now()
    const { timeoutMs, cancel } = this.#init
    if (timeoutMs === undefined || cancel === undefined) return
    this.#timer = setTimeout(() => {
      this.#timedOut = true
      cancel()
    }, timeoutMs)
  }

  /** A new result set begins (RowDescription of a simple query). */
  newResultSet(): void {
    this.#setRows = 0
    this.#cut = false
  }

  /** False when the row must be dropped: the limit is reached. */
  takeRow(): boolean {
    const { rowLimit, portal } = this.#init
    if (rowLimit !== undefined && (portal?.rows ?? this.#setRows) >= rowLimit) {
      this.#cut = true
      return false
    }
    this.#setRows++
    if (portal !== undefined) portal.rows++
    return true
  }

  /** True when rows of the current result set were dropped. */
  get cut(): boolean {
    return this.#cut
  }

  /** The rows sent in the current result set. */
  get rowsSent(): number {
    return this.#setRows
  }

  /**
   * The tag the client gets for an upstream CommandComplete `tag`: a cut SELECT or FETCH
   * counts the rows sent. Reports the result; the caller replaces the message when the tag changed.
   */
  complete(tag: string): string {
    const shown = this.#cut && ROW_RETURNING_TAGS.test(tag) ? `${tag.split(' ')[0]} ${this.#setRows}` : tag
    this.#report({ kind: 'complete', tag: shown, ...countOf(shown) })
    this.newResultSet()
    return shown
  }

  /** A PortalSuspended the client sees as such. */
  suspended(): void {
    this.#report({ kind: 'suspended', rows: this.#setRows })
  }

  empty(): void {
    this.#report({ kind: 'empty' })
  }

  error(sqlstate: string | undefined): void {
    this.#report({ kind: 'error', ...(sqlstate === undefined ? {} : { sqlstate }) })
  }

  /** The NOTICE that says the result was cut. */
  cutNotice(): Buffer {
    const limit = this.#init.rowLimit ?? 0
    return noticeResponse({
      severity: 'NOTICE',
      code: '01000',
      message: `jitgate cut this result at ${limit} rows: the policy's row limit`,
      hint: 'Narrow the query (WHERE, LIMIT) to see the rows you need.',
    })
  }

  /** The NOTICE that says jitgate's timeout cancelled the statement, when it fired. */
  timeoutNotice(): Buffer | undefined {
    if (!this.#timedOut) return undefined
    const seconds = (this.#init.timeoutMs ?? 0) / 1000
    return noticeResponse({
      severity: 'NOTICE',
      code: '01000',
      message: `jitgate's statement timeout of ${seconds}s fired, so it cancelled the statement`,
      hint: 'The policy limits how long one statement may run: make it faster or split it.',
    })
  }

  /** No result will follow. Idempotent. */
  end(how: ForwardedEnd['how']): void {
    if (this.#ended) return
    this.#ended = true
    if (this.#timer !== undefined) clearTimeout(this.#timer)
    const onEnd = this.#init.onEnd
    if (onEnd === undefined) return
    const end: ForwardedEnd = { results: this.#index, how, durationMs: this.#elapsed() }
    try {
      onEnd(end)
    } catch (error) {
      this.#init.callbackFailed(error)
    }
  }

  #report(fields: Omit<ForwardedResult, 'index' | 'durationMs'>): void {
    const index = this.#index++
    const onResult = this.#init.onResult
    if (onResult === undefined) return
    try {
      onResult({ index, ...fields, durationMs: this.#elapsed() })
    } catch (error) {
      this.#init.callbackFailed(error)
    }
  }

  #elapsed(): number {
    return this.#startedAt === 0 ? 0 : performance.now() - this.#startedAt
  }
}

function countOf(tag: string): { rows?: number } {
  const rows = tagCount(tag)
  return rows === undefined ? {} : { rows }
}
