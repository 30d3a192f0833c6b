// The ports the API key service needs of a store (src/store/api-key-repository.ts
// implements them): transactions for changes, which commit with their audit events, and
// plain reads and writes for the authentication paths, which run on every request or login.
import type { AuditDraft } from '../audit/index.ts'
import type { ApiKeyRecord } from './api-key.ts'

export interface ApiKeyQuery {
  /** Only the keys of this user. */
  readonly subject?: string
  /** Include revoked keys (default false); expired ones are always listed. */
  readonly includeRevoked?: boolean
}

export interface ApiKeyRepository {
  insert(key: ApiKeyRecord): Promise<void>
  /** `lock`: hold the row until the transaction ends (FOR UPDATE on PostgreSQL). */
  load(keyId: string, options?: { readonly lock?: boolean }): Promise<ApiKeyRecord | undefined>
  /** Writes the revocation of `key` (the only change a key undergoes besides its last use). */
  update(key: ApiKeyRecord): Promise<void>
  /** Oldest first. */
  list(query: ApiKeyQuery): Promise<readonly ApiKeyRecord[]>
}

export interface ApiKeyTransaction {
  readonly keys: ApiKeyRepository
  /** Appends to the audit chain inside this transaction. */
  audit(drafts: readonly AuditDraft[]): Promise<void>
}

export interface ApiKeyStore {
  /** Runs `fn` in one transaction; it may run again when the database asks for a retry. */
  transact<T>(fn: (tx: ApiKeyTransaction) => Promise<T>): Promise<T>
  /** The key with `keyId`, read without a transaction: one primary-key lookup per request. */
  find(keyId: string): Promise<ApiKeyRecord | undefined>
  /**
   * `subject`'s unrevoked keys that have a SCRAM verifier, newest first, read without a
   * transaction: one indexed lookup per PostgreSQL gateway login.
   */
  scramKeysOf(subject: string): Promise<readonly ApiKeyRecord[]>
  /**
   * Sets the key's last use to `at` unless a use at or after `staleBefore` is on record
   * already: when several nodes see the key at once, one of them writes.
   */
  recordUse(keyId: string, at: string, staleBefore: string): Promise<void>
}
