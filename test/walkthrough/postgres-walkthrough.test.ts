// The issue-4 walk-through on a real PostgreSQL (DATABASE_URL, else embedded); each
// tampering works on a copy of the database, made with CREATE DATABASE … TEMPLATE.
import { after } from 'node:test'
import pg from 'pg'
import { startTestPostgres } from '../store/postgres-harness.ts'
import { describeWalkthrough } from './walkthrough-suite.ts'

const postgres = await startTestPostgres()
const admin = new pg.Client({ connectionString: postgres.adminUrl })
await admin.connect()
const copies: string[] = []
after(async () => {
  // The harness drops only its own databases on a shared server; these are ours.
  for (const name of copies)
    await admin.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`)
  await admin.end()
  await postgres.stop()
})

/** A copy of the database at `url`; its connections may still be closing on the server side. */
async function copyDatabase(url: string): Promise<string> {
  const source = new URL(url)
  const from = decodeURIComponent(source.pathname.slice(1))
  const name = `${from}_copy_${copies.length}`
  copies.push(name)
  for (let attempt = 1; ; attempt++) {
    try {
      await admin.query(`CREATE DATABASE ${pg.escapeIdentifier(name)} TEMPLATE ${pg.escapeIdentifier(from)}`)
      break
    } catch (error) {
      if ((error as { code?: string }).code !== '55006' || attempt === 50) throw error
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
  }
  source.pathname = `/${name}`
  return source.toString()
}

describeWalkthrough({ dialect: 'postgres', newDatabase: () => postgres.emptyDatabase(), copyDatabase })
