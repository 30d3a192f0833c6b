// The SCRAM-SHA-256 verifier of each API key, so that the PostgreSQL gateway can check a
// client's proof without ever holding the key (docs/adr/0008-postgres-gateway-protocol.md).
// Keys made before this migration have none (null): the token is needed to compute it, and
// jitgate never kept the token. Gateway logins look a user's keys up by subject: indexed.
import { type Kysely, type Migration, sql } from 'kysely'

export function apiKeyScramMigration(): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .alterTable('api_keys')
        // PostgreSQL's own text form: a token (jg_…) stored here by mistake is refused.
        .addColumn('scram_verifier', 'text', (c) =>
          c.check(sql`scram_verifier like ${sql.lit('SCRAM-SHA-256$%')}`),
        )
        .execute()
      await db.schema.createIndex('api_keys_subject_idx').on('api_keys').columns(['subject']).execute()
    },
  }
}
