// What the audit query API accepts and returns: the filters, the opaque page cursor (the
// last seq seen, base64url-encoded so clients never build or do arithmetic on one), the
// capped page size, and the 400 that names every field at fault at once.
import type { StoredAuditEvent } from '../audit/index.ts'
import { type ErrorDetail, JitgateError } from '../shared/index.ts'

/** Events per page when the query names no limit. */
export const DEFAULT_QUERY_LIMIT = 100
/** The most events one page holds: a larger limit is lowered to this. */
export const MAX_QUERY_LIMIT = 1000

export interface AuditQuery {
  /** Events whose type starts with this (`request.`, `grant.created`): lowercase letters, digits, `_` and `.`. */
  readonly typePrefix?: string
  readonly actorId?: string
  readonly subjectType?: string
  /** Only with subjectType: subjects are named by both. */
  readonly subjectId?: string
  /** Events at or after this time, written as stored: `2026-11-23T15:00:00.000Z`. */
  readonly since?: string
  /** Events before this time, written the same way. */
  readonly until?: string
  /** A previous page's nextCursor: the page after it. */
  readonly cursor?: string
  /** Events per page (default 100); more than 1,000 is lowered to 1,000. */
  readonly limit?: number
}

export interface AuditPage {
  /** In ascending seq order, exactly as stored (fromStoredEvent parses the details). */
  readonly events: readonly StoredAuditEvent[]
  /**
   * The cursor after this page's last event; null when the page is empty (keep the cursor
   * you have: asking again with it later returns the events appended since).
   */
  readonly nextCursor: string | null
  /** Whether more events matched after this page when it was read. */
  readonly hasMore: boolean
}

/** A query checked and decoded: what the SQL needs. */
export interface AuditFilter {
  readonly typePrefix?: string
  readonly actorId?: string
  readonly subjectType?: string
  readonly subjectId?: string
  readonly since?: string
  readonly until?: string
  /** Events with a seq above this one. */
  readonly afterSeq?: number
  readonly limit: number
}

export class AuditQueryError extends JitgateError {
  declare readonly code: 'audit_query_invalid'

  constructor(details: readonly ErrorDetail[]) {
    const first = details[0]
    super('audit_query_invalid', `the audit query is invalid: ${first?.path} ${first?.message}`, {
      status: 400,
      details,
    })
  }
}

const TYPE_PREFIX = /^[a-z0-9_.]{1,64}$/
const TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/
const CURSOR = /^[A-Za-z0-9_-]{1,40}$/
const CURSOR_TEXT = /^seq:([1-9][0-9]{0,15})$/
const MAX_TEXT = 256

/** The cursor that resumes after the event with this seq. */
export function encodeCursor(seq: number): string {
  return Buffer.from(`seq:${seq}`).toString('base64url')
}

/** Checks `query` and decodes its cursor; throws AuditQueryError naming every field at fault. */
export function parseAuditQuery(query: AuditQuery): AuditFilter {
  const problems: ErrorDetail[] = []
  const fail = (path: string, message: string) => problems.push({ path, message })
  const { typePrefix, actorId, subjectType, subjectId, since, until, cursor, limit } = query
  if (typePrefix !== undefined && !(typeof typePrefix === 'string' && TYPE_PREFIX.test(typePrefix)))
    fail('typePrefix', 'must be 1 to 64 lowercase letters, digits, _ or ., like request.')
  for (const [path, value] of [
    ['actorId', actorId],
    ['subjectType', subjectType],
    ['subjectId', subjectId],
  ] as const)
    if (value !== undefined && !isText(value))
      fail(path, `must be a non-empty string of at most ${MAX_TEXT} characters`)
  if (subjectId !== undefined && subjectType === undefined) fail('subjectId', 'needs subjectType too')
  for (const [path, value] of [
    ['since', since],
    ['until', until],
  ] as const)
    if (value !== undefined && !isTime(value))
      fail(path, 'must be an RFC 3339 UTC time like 2026-11-23T15:00:00.000Z')
  if (limit !== undefined && !(Number.isSafeInteger(limit) && limit >= 1))
    fail('limit', 'must be a positive integer')
  const afterSeq = cursor === undefined ? undefined : decodeCursor(cursor)
  if (afterSeq === null) fail('cursor', 'is not a cursor this API returned: pass nextCursor unchanged')
  if (problems.length > 0) throw new AuditQueryError(problems)
  return {
    ...definedOnly({ typePrefix, actorId, subjectType, subjectId, since, until }),
    ...(afterSeq === undefined || afterSeq === null ? {} : { afterSeq }),
    limit: Math.min(limit ?? DEFAULT_QUERY_LIMIT, MAX_QUERY_LIMIT),
  }
}

/** The seq in `cursor`, or null when it is not exactly what encodeCursor makes. */
function decodeCursor(cursor: unknown): number | null {
  if (typeof cursor !== 'string' || !CURSOR.test(cursor)) return null
  const match = CURSOR_TEXT.exec(Buffer.from(cursor, 'base64url').toString('latin1'))
  const seq = Number(match?.[1])
  // Round trip: base64url decoding ignores stray bits, so only the canonical spelling passes.
  return Number.isSafeInteger(seq) && encodeCursor(seq) === cursor ? seq : null
}

function isText(value: unknown): boolean {
  return typeof value === 'string' && value.length > 0 && value.length <= MAX_TEXT
}

function isTime(value: unknown): boolean {
  if (typeof value !== 'string' || !TIME.test(value)) return false
  const ms = Date.parse(value)
  // Date.parse rolls 2026-02-30 over to March: only a time that reads back the same is real.
  return Number.isFinite(ms) && new Date(ms).toISOString() === value
}

function definedOnly<T extends object>(fields: T): Partial<T> {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) as Partial<T>
}
