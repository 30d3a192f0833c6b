// The demo's sample PostgreSQL database, behind the gateway as upstream `prod`: an embedded
// server (embedded-postgres.ts) whose cluster lives in the data directory and is kept across
// restarts, a database `acme` seeded once with synthetic data (sample-data.ts), and a role
// `jitgate` that is no superuser, for the gateway's own connections. The passwords are made
// on the first start and kept, owner-only, next to the cluster.
import { randomBytes } from 'node:crypto'
import { chmod, chown, mkdir, readFile, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import pg from 'pg'
import { type EmbeddedPostgres, serverUser, startEmbeddedPostgres } from './embedded-postgres.ts'
import { SAMPLE_SCHEMA, sampleTables } from './sample-data.ts'

export const SAMPLE_DATABASE = 'acme'
export const SAMPLE_ROLE = 'jitgate'
const SCHEMAS = ['public', 'billing', 'support']

export interface SamplePasswords {
  /** Of the superuser `postgres`: seeding only. */
  readonly superuser: string
  /** Of the role `jitgate`: the gateway's upstream login. */
  readonly gateway: string
}

export interface SamplePostgresOptions {
  /** jitgate's data directory: the cluster goes in `sample-postgres/`. */
  readonly dataDir: string
  readonly passwords: SamplePasswords
  /** Default: a free port. */
  readonly port?: number
  /** Told of each step, for a progress line. */
  readonly onProgress?: (step: string) => void
  readonly onLog?: (text: string) => void
}

export interface SamplePostgres {
  readonly server: EmbeddedPostgres
  /** The gateway's upstream, without its password: `postgres://jitgate@127.0.0.1:PORT/acme`. */
  readonly upstreamUrl: string
  /** True when this start seeded the database (its first). */
  readonly seeded: boolean
  stop(): Promise<void>
}

/** The passwords kept in the data directory, made on the first call. */
export async function samplePasswords(dataDir: string): Promise<SamplePasswords> {
  const file = join(dataDir, 'sample-postgres.json')
  try {
    const kept = JSON.parse(await readFile(file, 'utf8')) as Partial<SamplePasswords>
    if (typeof kept.superuser === 'string' && typeof kept.gateway === 'string')
      return { superuser: kept.superuser, gateway: kept.gateway }
  } catch {
    // First start, or an unreadable file: new passwords, and (below) a new cluster.
  }
  const made = { superuser: newPassword(), gateway: newPassword() }
  await mkdir(dataDir, { recursive: true, mode: 0o700 })
  // A cluster made with passwords we no longer know cannot be logged into: it is sample data.
  await rm(clusterDir(dataDir), { recursive: true, force: true })
  await writeFile(file, `${JSON.stringify(made, null, 2)}\n`, { mode: 0o600 })
  return made
}

/** Starts the server (initialising it on the first start) and seeds the database once. */
export async function startSamplePostgres(options: SamplePostgresOptions): Promise<SamplePostgres> {
  await reachableDataDir(options.dataDir)
  const say = options.onProgress ?? (() => undefined)
  say('starting the sample PostgreSQL database')
  const server = await startEmbeddedPostgres({
    dataDir: clusterDir(options.dataDir),
    password: options.passwords.superuser,
    ...(options.port === undefined ? {} : { port: options.port }),
    ...(options.onLog === undefined ? {} : { onLog: options.onLog }),
  })
  try {
    if (server.initialised) say('seeding the sample database (first start only)')
    const { seeded } = await seedSampleDatabase(server.url, options.passwords.gateway)
    return {
      server,
      upstreamUrl: `postgres://${SAMPLE_ROLE}@127.0.0.1:${server.port}/${SAMPLE_DATABASE}`,
      seeded,
      stop: () => server.stop(),
    }
  } catch (error) {
    await server.stop()
    throw error
  }
}

/**
 * Makes the role, the database, its tables and grants where missing, and inserts the sample
 * rows into an empty database. Idempotent: rows someone changed or added stay as they are.
 */
export async function seedSampleDatabase(
  adminUrl: string,
  gatewayPassword: string,
): Promise<{ readonly seeded: boolean }> {
  await withClient(adminUrl, async (admin) => {
    const role = pg.escapeIdentifier(SAMPLE_ROLE)
    const exists = await admin.query('select 1 from pg_roles where rolname = $1', [SAMPLE_ROLE])
    // The password follows the kept file, whatever it was before.
    await admin.query(
      `${exists.rowCount === 0 ? 'create' : 'alter'} role ${role} login nosuperuser password ${pg.escapeLiteral(gatewayPassword)}`,
    )
    const database = await admin.query('select 1 from pg_database where datname = $1', [SAMPLE_DATABASE])
    if (database.rowCount === 0) await admin.query(`create database ${pg.escapeIdentifier(SAMPLE_DATABASE)}`)
  })
  const url = new URL(adminUrl)
  url.pathname = `/${SAMPLE_DATABASE}`
  return withClient(url.toString(), async (client) => {
    await client.query('begin')
    try {
      await client.query(SAMPLE_SCHEMA)
      const count = await client.query<{ n: string }>('select count(*) as n from public.customers')
      const seeded = count.rows[0]?.n === '0'
      if (seeded) for (const table of sampleTables()) await insertRows(client, table)
      await grantToGateway(client)
      await client.query('commit')
      return { seeded }
    } catch (error) {
      await client.query('rollback').catch(() => undefined)
      throw error
    }
  })
}

async function insertRows(client: pg.Client, table: ReturnType<typeof sampleTables>[number]): Promise<void> {
  const width = table.columns.length
  const values = table.rows.map(
    (_, r) => `(${table.columns.map((_, c) => `$${r * width + c + 1}`).join(', ')})`,
  )
  await client.query(
    `insert into ${table.table} (${table.columns.join(', ')}) values ${values.join(', ')}`,
    table.rows.flat(),
  )
}

async function grantToGateway(client: pg.Client): Promise<void> {
  const role = pg.escapeIdentifier(SAMPLE_ROLE)
  const schemas = SCHEMAS.map((s) => pg.escapeIdentifier(s)).join(', ')
  await client.query(`grant connect on database ${pg.escapeIdentifier(SAMPLE_DATABASE)} to ${role}`)
  await client.query(`grant usage on schema ${schemas} to ${role}`)
  await client.query(`grant select, insert, update, delete on all tables in schema ${schemas} to ${role}`)
}

async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    return await fn(client)
  } finally {
    await client.end()
  }
}

function clusterDir(dataDir: string): string {
  return join(dataDir, 'sample-postgres')
}

function newPassword(): string {
  return randomBytes(18).toString('base64url')
}

// Under root the server runs as `postgres`, which must pass through the data directory to
// reach its cluster: the directory's group becomes the server's, with search permission
// only (0710), so it can list nothing and reads only what it owns or what is world-readable.
async function reachableDataDir(dataDir: string): Promise<void> {
  await mkdir(dataDir, { recursive: true, mode: 0o700 })
  const ids = await serverUser()
  if (ids === undefined) return
  await chown(dataDir, 0, ids.gid)
  await chmod(dataDir, 0o710)
}
