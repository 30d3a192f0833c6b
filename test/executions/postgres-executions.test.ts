// The execution contract on a real PostgreSQL (DATABASE_URL, else embedded).
import { after } from 'node:test'
import { startTestPostgres } from '../store/postgres-harness.ts'
import { describeExecutions } from './execution-suite.ts'

const postgres = await startTestPostgres()
after(() => postgres.stop())

describeExecutions({ dialect: 'postgres', newDatabase: () => postgres.migratedDatabase() })
