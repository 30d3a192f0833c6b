// Audit events written inside a service's own transaction (ADR 2, STYLE rule 8): a state
// change and the events that record it commit together or not at all. The chain is
// extended under the audit_head lock, so these appends and the AuditWriter's batches (on
// this node or another) form one chain; a writer that raced us sees its head moved and
// re-chains. Append last in the transaction: the head lock is then held only briefly.
import type { Transaction } from 'kysely'
import {
  type AuditDraft,
  type AuditEvent,
  appendEvents,
  checkDraft,
  createRedactor,
  type RedactionRules,
} from '../audit/index.ts'
import type { Database } from './schema.ts'
import { lockAuditHead, writeAuditEvents } from './sql-audit-rows.ts'

export interface AuditAppendOptions {
  readonly now: () => Date
  readonly newId: () => string
  /** Personal keys and pseudonyms; secrets are redacted whatever this says. */
  readonly redaction?: RedactionRules
}

/** Appends drafts to the chain inside the caller's transaction: durable exactly when that transaction commits. */
export async function appendAuditInTransaction(
  trx: Transaction<Database>,
  dialect: 'sqlite' | 'postgres',
  drafts: readonly AuditDraft[],
  options: AuditAppendOptions,
): Promise<readonly AuditEvent[]> {
  if (drafts.length === 0) return []
  // Redacted and checked before the lock is taken: a bad draft costs no one any waiting.
  for (const draft of drafts) checkDraft(draft)
  const redact = createRedactor(options.redaction)
  const prepared = drafts.map((draft) => ({ ...draft, details: redact(draft.details ?? {}) }))
  const ids = drafts.map(() => options.newId())
  const head = await lockAuditHead(trx, dialect)
  const events = appendEvents(head, prepared, ids, options.now)
  await writeAuditEvents(trx, dialect, events)
  return events.map(({ detailsJson: _text, ...event }) => event)
}
