// API keys: one row per key with the SHA-256 of its token (never the token), who it
// authenticates as, its roles, groups and scopes, and its lifetime. No secondary index:
// authentication reads by primary key, and the few keys an admin lists are scanned.
import { type Kysely, type Migration, sql } from 'kysely'
import { isoTimes } from './migration-helpers.ts'

export function apiKeysMigration(): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('api_keys')
        .addColumn('key_id', 'text', (c) => c.primaryKey().notNull())
        .addColumn('secret_hash', 'text', (c) => c.notNull())
        .addColumn('subject', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('roles', 'text', (c) => c.notNull())
        .addColumn('groups', 'text', (c) => c.notNull())
        .addColumn('scopes', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text')
        .addColumn('revoked_at', 'text')
        .addColumn('revoked_by', 'text')
        .addColumn('last_used_at', 'text')
        // A hex SHA-256: a plaintext secret stored here by mistake is refused.
        .addCheckConstraint('api_keys_hash_check', sql`length(secret_hash) = 64`)
        .addCheckConstraint('api_keys_expiry_check', sql`expires_at > created_at`)
        .addCheckConstraint(
          'api_keys_time_check',
          isoTimes(['created_at', 'expires_at', 'revoked_at', 'last_used_at']),
        )
        .execute()
    },
  }
}
