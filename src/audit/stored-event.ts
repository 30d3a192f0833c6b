// Between events and the rows a store keeps: details travel as the canonical JSON text the
// hash covers, so the store writes and reads exactly the bytes that were hashed.
import { JitgateError } from '../shared/index.ts'
import type { AuditEvent, ChainedEvent, StoredAuditEvent } from './audit-event.ts'
import { canonicalJson, type JsonObject } from './canonical-json.ts'

/**
 * The row for `event`, reusing the details text appendEvents made when there is one (a
 * ChainedEvent's `detailsJson` is the text of the details it was chained with: a copy
 * given other details must leave it out).
 */
export function toStoredEvent(event: AuditEvent | ChainedEvent): StoredAuditEvent {
  const { details, ...rest } = event as ChainedEvent
  return { ...rest, detailsJson: rest.detailsJson ?? canonicalJson(details) }
}

/** The event a row holds, its details parsed; throws `audit_details_unreadable` on broken text. */
export function fromStoredEvent(row: StoredAuditEvent): AuditEvent {
  const { detailsJson, ...rest } = row
  return { ...rest, details: parseDetails(row) }
}

/** The details of a row, or undefined when its text is not a JSON object. */
export function readDetails(row: StoredAuditEvent): JsonObject | undefined {
  try {
    return parseDetails(row)
  } catch {
    return undefined
  }
}

function parseDetails(row: StoredAuditEvent): JsonObject {
  let parsed: unknown
  try {
    parsed = JSON.parse(row.detailsJson)
  } catch {
    parsed = undefined
  }
  if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) return parsed as JsonObject
  throw new JitgateError(
    'audit_details_unreadable',
    `the details of event ${row.seq} (id ${row.id}) are not a JSON object: the row was damaged or changed`,
  )
}
