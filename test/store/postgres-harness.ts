// PostgreSQL for tests: the server at DATABASE_URL when set (its user needs CREATEDB),
// else an embedded server started for this test file. Every suite gets its own database;
// migrated ones are cloned from a template migrated once per file (CREATE DATABASE … TEMPLATE),
// as Unleash does, so a suite pays milliseconds, not a migration.
//
//   const postgres = await startTestPostgres()
//   after(() => postgres.stop())
//   const url = await postgres.migratedDatabase()
import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { migrateToLatest, openDatabase } from '../../src/store/index.ts'
import { startEmbeddedServer } from './embedded-server.ts'

export interface TestPostgres {
  /** The server's own URL: DATABASE_URL, or the embedded server's superuser. */
  readonly adminUrl: string
  /** True when the server is embedded and this process owns it. */
  readonly embedded: boolean
  /** A new, empty database. */
  emptyDatabase(): Promise<string>
  /** A new database with every migration applied. */
  migratedDatabase(): Promise<string>
  /** Drops the databases made here (DATABASE_URL) or stops the embedded server. */
  stop(): Promise<void>
}

export async function startTestPostgres(): Promise<TestPostgres> {
  const external = process.env.DATABASE_URL ?? ''
  const server = external === '' ? await startEmbeddedServer() : undefined
  const adminUrl = server?.url ?? external
  const admin = new pg.Client({ connectionString: adminUrl })
  try {
    await admin.connect()
  } catch (error) {
    await server?.stop()
    throw error
  }
  return new Databases(adminUrl, admin, server)
}

class Databases implements TestPostgres {
  readonly embedded: boolean
  readonly #prefix = `jitgate_test_${process.pid}_${randomBytes(3).toString('hex')}`
  readonly #created: string[] = []
  #template: Promise<string> | undefined

  constructor(
    readonly adminUrl: string,
    private readonly admin: pg.Client,
    private readonly server: { stop(): Promise<void> } | undefined,
  ) {
    this.embedded = server !== undefined
  }

  async emptyDatabase(): Promise<string> {
    return this.#create(undefined)
  }

  async migratedDatabase(): Promise<string> {
    this.#template ??= this.#migratedTemplate()
    return this.#create(await this.#template)
  }

  async stop(): Promise<void> {
    try {
      if (this.server === undefined) {
        for (const name of this.#created.reverse()) {
          await this.admin.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`)
        }
      }
    } finally {
      await this.admin.end().catch(() => undefined)
      await this.server?.stop()
    }
  }

  async #migratedTemplate(): Promise<string> {
    const name = `${this.#prefix}_template`
    await this.admin.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`)
    this.#created.push(name)
    const handle = await openDatabase(this.#url(name), { poolSize: 1 })
    try {
      await migrateToLatest(handle)
    } finally {
      await handle.close()
    }
    return name
  }

  async #create(template: string | undefined): Promise<string> {
    const name = `${this.#prefix}_${this.#created.length}`
    this.#created.push(name)
    const from = template === undefined ? '' : ` TEMPLATE ${pg.escapeIdentifier(template)}`
    // The template's last connection may still be closing on the server side.
    for (let attempt = 1; ; attempt++) {
      try {
        await this.admin.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}${from}`)
        return this.#url(name)
      } catch (error) {
        if ((error as { code?: string }).code !== '55006' || attempt === 50) throw error
        await new Promise((resolve) => setTimeout(resolve, 20))
      }
    }
  }

  #url(database: string): string {
    const url = new URL(this.adminUrl)
    url.pathname = `/${database}`
    return url.toString()
  }
}
