// The budgets each execution draws on (concurrency and rate limits from its decision), one
// row per budget key, so that a claim on any node counts the running executions and recent
// starts of a budget with an indexed query instead of re-reading every decision.
import type { Kysely, Migration } from 'kysely'
import { oneOf } from './migration-helpers.ts'

// A frozen copy, as in 0001: a kind added later needs a migration of its own.
const LIMIT_KINDS = ['concurrency', 'rate']

export function executionLimitsMigration(): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('execution_limits')
        .addColumn('execution_id', 'text', (c) => c.notNull().references('executions.id'))
        .addColumn('limit_key', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('max', 'integer', (c) => c.notNull())
        .addColumn('per_seconds', 'integer')
        .addPrimaryKeyConstraint('execution_limits_pkey', ['execution_id', 'limit_key'])
        .addCheckConstraint('execution_limits_kind_check', oneOf('kind', LIMIT_KINDS))
        .execute()
      // A budget's executions, for counting them at claim time.
      await db.schema
        .createIndex('execution_limits_key_idx')
        .on('execution_limits')
        .columns(['limit_key', 'execution_id'])
        .execute()
    },
  }
}
