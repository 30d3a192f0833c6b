// The approval services' store port over SQLite or PostgreSQL: each `transact` is one
// database transaction holding the repositories, the audit append (same transaction, so a
// change and its audit events commit together) and notifications that leave on commit.
import type { ApprovalStore, ApprovalTransaction } from '../approvals/approval-ports.ts'
import type { AuditDraft, RedactionRules } from '../audit/index.ts'
import { SqlRequestRepository } from './approval-repository.ts'
import { SqlTotpRepository } from './approval-totp-repository.ts'
import type { DatabaseHandle } from './database.ts'
import { SqlGrantRepository } from './grant-repository.ts'
import { appendAuditInTransaction } from './sql-audit-appender.ts'
import { withTransaction } from './transaction.ts'

export interface SqlApprovalStoreOptions {
  /** The time audit events carry. */
  readonly now: () => Date
  readonly newId: () => string
  readonly redaction?: RedactionRules
}

export class SqlApprovalStore implements ApprovalStore {
  constructor(
    private readonly handle: Pick<DatabaseHandle, 'db' | 'dialect' | 'notifier'>,
    private readonly options: SqlApprovalStoreOptions,
  ) {}

  transact<T>(fn: (tx: ApprovalTransaction) => Promise<T>): Promise<T> {
    const { dialect, notifier } = this.handle
    return withTransaction(this.handle, (trx) =>
      fn({
        requests: new SqlRequestRepository(trx, dialect),
        grants: new SqlGrantRepository(trx, dialect),
        totp: new SqlTotpRepository(trx, dialect),
        audit: async (drafts: readonly AuditDraft[]) => {
          await appendAuditInTransaction(trx, dialect, drafts, this.options)
        },
        notify: (channel, payload) => notifier.notify(channel, payload, trx),
      }),
    )
  }
}
