// API keys in the store: the transactional repository for creating, listing and revoking
// keys (each change commits with its audit event), and the statements authentication runs
// outside any transaction: a primary-key read, a user's SCRAM-capable keys (gateway logins),
// and a last-use write at most once a minute per key whichever node sees it.
import type { Kysely } from 'kysely'
import type {
  ApiKeyQuery,
  ApiKeyRecord,
  ApiKeyRepository,
  ApiKeyStore,
  ApiKeyTransaction,
} from '../auth/index.ts'
import { fromApiKeyRow, toApiKeyRow } from './api-key-rows.ts'
import type { DatabaseHandle } from './database.ts'
import type { Dialect } from './database-url.ts'
import type { Database } from './schema.ts'
import { type AuditAppendOptions, appendAuditInTransaction } from './sql-audit-appender.ts'
import { forUpdate, withTransaction } from './transaction.ts'

export class SqlApiKeyRepository implements ApiKeyRepository {
  constructor(
    /** A transaction, or the database itself for single statements. */
    private readonly db: Kysely<Database>,
    private readonly dialect: Dialect,
  ) {}

  async insert(key: ApiKeyRecord): Promise<void> {
    await this.db.insertInto('api_keys').values(toApiKeyRow(key)).execute()
  }

  async load(keyId: string, options: { readonly lock?: boolean } = {}): Promise<ApiKeyRecord | undefined> {
    const query = this.db.selectFrom('api_keys').selectAll().where('key_id', '=', keyId)
    const row = await (options.lock === true ? forUpdate(this.dialect, query) : query).executeTakeFirst()
    return row === undefined ? undefined : fromApiKeyRow(row)
  }

  async update(key: ApiKeyRecord): Promise<void> {
    const { key_id, revoked_at, revoked_by } = toApiKeyRow(key)
    await this.db
      .updateTable('api_keys')
      .set({ revoked_at, revoked_by })
      .where('key_id', '=', key_id)
      .execute()
  }

  async list(query: ApiKeyQuery): Promise<readonly ApiKeyRecord[]> {
    let select = this.db.selectFrom('api_keys').selectAll()
    if (query.subject !== undefined) select = select.where('subject', '=', query.subject)
    if (query.includeRevoked !== true) select = select.where('revoked_at', 'is', null)
    const rows = await select.orderBy('created_at').orderBy('key_id').execute()
    return rows.map(fromApiKeyRow)
  }
}

export class SqlApiKeyStore implements ApiKeyStore {
  constructor(
    private readonly handle: Pick<DatabaseHandle, 'db' | 'dialect'>,
    /** The time, ids and redaction of the audit events key changes append. */
    private readonly audit: AuditAppendOptions,
  ) {}

  transact<T>(fn: (tx: ApiKeyTransaction) => Promise<T>): Promise<T> {
    const { dialect } = this.handle
    return withTransaction(this.handle, (trx) =>
      fn({
        keys: new SqlApiKeyRepository(trx, dialect),
        audit: async (drafts) => {
          await appendAuditInTransaction(trx, dialect, drafts, this.audit)
        },
      }),
    )
  }

  find(keyId: string): Promise<ApiKeyRecord | undefined> {
    return new SqlApiKeyRepository(this.handle.db, this.handle.dialect).load(keyId)
  }

  async scramKeysOf(subject: string): Promise<readonly ApiKeyRecord[]> {
    const rows = await this.handle.db
      .selectFrom('api_keys')
      .selectAll()
      .where('subject', '=', subject)
      .where('revoked_at', 'is', null)
      .where('scram_verifier', 'is not', null)
      .orderBy('created_at', 'desc')
      .orderBy('key_id', 'desc')
      .execute()
    return rows.map(fromApiKeyRow)
  }

  async recordUse(keyId: string, at: string, staleBefore: string): Promise<void> {
    await this.handle.db
      .updateTable('api_keys')
      .set({ last_used_at: at })
      .where('key_id', '=', keyId)
      .where((eb) => eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<', staleBefore)]))
      .execute()
  }
}
