// The AuditStore contract and the query API on a real PostgreSQL (DATABASE_URL, else embedded), where the
// second writer is a second node with its own pool, serialized by the head row lock.
import { after } from 'node:test'
import { startTestPostgres } from '../store/postgres-harness.ts'
import { openMigrated } from './audit-fixtures.ts'
import { describeAuditQueryContract } from './sql-audit-query-contract.ts'
import { type AuditStoreTarget, describeAuditStoreContract } from './sql-audit-store-contract.ts'

const postgres = await startTestPostgres()
after(() => postgres.stop())

const target: AuditStoreTarget = {
  dialect: 'postgres',
  database: () => postgres.migratedDatabase(),
  secondNode: (t, url) => openMigrated(t, url),
}

describeAuditStoreContract(target)
describeAuditQueryContract(target)
