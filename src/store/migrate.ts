// Brings the schema up to date at start, on either dialect, with Kysely's migrator: each
// migration in its own transaction (SQLite included, see sqlite-dialect.ts), and several
// nodes starting at once take turns (PostgreSQL advisory lock, SQLite write lock).
import { type Kysely, Migrator } from 'kysely'
import { JitgateError } from '../shared/index.ts'
import type { Dialect } from './database-url.ts'
import { allMigrations } from './migrations/all-migrations.ts'
import type { Database } from './schema.ts'

export interface MigrationTarget {
  readonly db: Kysely<Database>
  readonly dialect: Dialect
}

export interface MigrationStatus {
  readonly applied: readonly string[]
  readonly pending: readonly string[]
}

const MIGRATION_TABLE = 'jitgate_migrations'
const MIGRATION_LOCK_TABLE = 'jitgate_migrations_lock'

/** Applies the pending migrations; returns their names (none when up to date). */
export async function migrateToLatest(target: MigrationTarget): Promise<readonly string[]> {
  const { error, results = [] } = await migrator(target).migrateToLatest()
  if (error !== undefined) {
    const failed = results.find((result) => result.status === 'Error')?.migrationName
    const text = error instanceof Error ? error.message : String(error)
    const what =
      failed === undefined ? 'the database schema cannot be migrated' : `migration ${failed} failed`
    throw new JitgateError('store_migration_failed', `${what}: ${text}`, {
      cause: error,
      details: [
        {
          path: 'database',
          message: text,
          hint: 'a database migrated by a newer jitgate needs that version; otherwise restore a backup',
        },
      ],
    })
  }
  return results.filter((result) => result.status === 'Success').map((result) => result.migrationName)
}

/** Which migrations have run and which have not; changes nothing. */
export async function migrationStatus(target: MigrationTarget): Promise<MigrationStatus> {
  const migrations = await migrator(target).getMigrations()
  return {
    applied: migrations.filter((m) => m.executedAt !== undefined).map((m) => m.name),
    pending: migrations.filter((m) => m.executedAt === undefined).map((m) => m.name),
  }
}

function migrator(target: MigrationTarget): Migrator {
  const migrations = allMigrations(target.dialect)
  return new Migrator({
    db: target.db,
    provider: { getMigrations: async () => migrations },
    migrationTableName: MIGRATION_TABLE,
    migrationLockTableName: MIGRATION_LOCK_TABLE,
  })
}
