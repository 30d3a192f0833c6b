// The opaque cursors of the request and grant listings: the position of a page's last row
// (its creation time and id), base64url-encoded so that clients pass them back unchanged
// and never build one. Only the exact spelling encodePageCursor makes is accepted.
import type { ListPosition } from './approval-ports.ts'
import { ApprovalServiceError } from './approval-service-errors.ts'

const CURSOR = /^[A-Za-z0-9_-]{1,200}$/
const TEXT = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)\|([0-9A-Za-z._:-]{1,100})$/

export function encodePageCursor(position: ListPosition): string {
  return Buffer.from(`${position.createdAt}|${position.id}`).toString('base64url')
}

/** The position `cursor` names; throws `invalid_cursor` (400) for anything this API did not make. */
export function decodePageCursor(cursor: string): ListPosition {
  const match = CURSOR.test(cursor) ? TEXT.exec(Buffer.from(cursor, 'base64url').toString('latin1')) : null
  const position = match === null ? undefined : { createdAt: match[1] ?? '', id: match[2] ?? '' }
  // Round trip: base64url decoding ignores stray bits, so only the canonical spelling passes.
  if (position === undefined || encodePageCursor(position) !== cursor)
    throw new ApprovalServiceError('invalid_cursor', 'the cursor is not one this API returned', [
      {
        path: 'querystring/cursor',
        message: 'is not a cursor this API returned',
        hint: 'pass nextCursor unchanged',
      },
    ])
  return position
}

/** Items per page when a listing names no limit, and the most it returns. */
export const PAGE_LIMITS = { default: 50, max: 200 } as const

export interface Page<T> {
  readonly items: readonly T[]
  /** Pass it as `cursor` for the next page; null on the last page. */
  readonly nextCursor: string | null
}

/**
 * A page out of `rows`, read with one row more than `limit`: that extra row only says
 * another page exists.
 */
export function pageOf<T extends { readonly id: string; readonly createdAt: string }>(
  rows: readonly T[],
  limit: number,
): Page<T> {
  const items = rows.slice(0, limit)
  const last = items[items.length - 1]
  return {
    items,
    nextCursor:
      rows.length > limit && last !== undefined
        ? encodePageCursor({ createdAt: last.createdAt, id: last.id })
        : null,
  }
}

/** The page size asked for, within PAGE_LIMITS (a larger one is lowered to the maximum). */
export function pageLimit(limit: number | undefined): number {
  return Math.max(1, Math.min(limit ?? PAGE_LIMITS.default, PAGE_LIMITS.max))
}
