// Every migration, in order. Names sort in the order they run; a released migration is
// never edited, only followed by a new one (`0002_…`).
import type { Migration } from 'kysely'
import type { Dialect } from '../database-url.ts'
import { initialMigration } from './0001_initial.ts'
import { approvalRecordsMigration } from './0002_approval_records.ts'
import { executionLimitsMigration } from './0003_executions.ts'
import { apiKeysMigration } from './0004_api_keys.ts'
import { notificationsMigration } from './0005_notifications.ts'
import { apiKeyScramMigration } from './0006_api_key_scram.ts'

export function allMigrations(dialect: Dialect): Record<string, Migration> {
  return {
    '0001_initial': initialMigration(dialect),
    '0002_approval_records': approvalRecordsMigration(),
    '0003_executions': executionLimitsMigration(),
    '0004_api_keys': apiKeysMigration(),
    '0005_notifications': notificationsMigration(),
    '0006_api_key_scram': apiKeyScramMigration(),
  }
}
