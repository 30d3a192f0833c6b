// `jitgate audit` as real processes on a real PostgreSQL (DATABASE_URL, else embedded).
import { after } from 'node:test'
import { startTestPostgres } from '../store/postgres-harness.ts'
import { describeAuditCli } from './audit-cli-contract.ts'

const postgres = await startTestPostgres()
after(() => postgres.stop())

describeAuditCli('PostgreSQL', () => postgres.migratedDatabase())
