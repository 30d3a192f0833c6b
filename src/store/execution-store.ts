// The execution services' store port over SQLite or PostgreSQL: each `transact` is one
// database transaction holding the request and execution repositories, the audit append
// (same transaction: a change and its audit events commit together) and wake-ups on commit.
import type { ExecutionStore, ExecutionTransaction } from '../approvals/execution-ports.ts'
import type { AuditDraft } from '../audit/index.ts'
import { SqlRequestRepository } from './approval-repository.ts'
import type { SqlApprovalStoreOptions } from './approval-store.ts'
import type { DatabaseHandle } from './database.ts'
import { SqlExecutionRepository } from './execution-repository.ts'
import { SqlGrantRepository } from './grant-repository.ts'
import { appendAuditInTransaction } from './sql-audit-appender.ts'
import { withTransaction } from './transaction.ts'

export class SqlExecutionStore implements ExecutionStore {
  constructor(
    private readonly handle: Pick<DatabaseHandle, 'db' | 'dialect' | 'notifier'>,
    private readonly options: SqlApprovalStoreOptions,
  ) {}

  transact<T>(fn: (tx: ExecutionTransaction) => Promise<T>): Promise<T> {
    const { dialect, notifier } = this.handle
    return withTransaction(this.handle, (trx) =>
      fn({
        requests: new SqlRequestRepository(trx, dialect),
        executions: new SqlExecutionRepository(trx, dialect),
        grants: new SqlGrantRepository(trx, dialect),
        audit: async (drafts: readonly AuditDraft[]) => {
          await appendAuditInTransaction(trx, dialect, drafts, this.options)
        },
        notify: (channel, payload) => notifier.notify(channel, payload, trx),
      }),
    )
  }
}
