// API keys as commands over the store: create (the token is returned once; only its hash and
// its SCRAM verifier are kept), list (never a secret, a hash or a verifier), revoke, and
// authenticate a presented token or, for the PostgreSQL gateway, a key whose holder proved
// the secret over SCRAM. Creation and revocation commit with their audit events.
import type { AuditActor } from '../audit/index.ts'
import {
  type ApiKeyInfo,
  type ApiKeyLifetime,
  type ApiKeyRecord,
  type ApiKeyState,
  apiKeyInfo,
  apiKeyState,
  createApiKeyRecord,
  lastUseDue,
  type NewApiKey,
  principalOfKey,
  revokeApiKey,
} from './api-key.ts'
import type { ApiKeyQuery, ApiKeyStore } from './api-key-ports.ts'
import { hashApiKey, matchesApiKeyHash, newApiKeyToken, parseApiKey } from './api-key-token.ts'
import { apiKeyCreatedDraft, apiKeyRevokedDraft } from './auth-audit.ts'
import { ApiKeyError } from './auth-errors.ts'
import { type AuthResult, authFailure } from './principal.ts'

export interface ApiKeyServiceDeps {
  readonly store: ApiKeyStore
  readonly now: () => Date
  /** crypto.randomBytes in production. */
  readonly randomBytes: (size: number) => Uint8Array
  readonly lifetime: ApiKeyLifetime
  /** The most often a key's last use is written (default one minute). */
  readonly lastUseIntervalMs?: number
  /** Told when writing a last use failed; the request is authenticated regardless. */
  readonly onLastUseError?: (error: unknown) => void
  /**
   * The SCRAM verifier to keep with a new key, from its token and subject (the gateway's
   * `apiKeyScramVerifier`; injected, as auth does not depend on the gateway). Absent: new
   * keys get none and cannot log in to the gateway over SCRAM.
   */
  readonly scramVerifier?: (token: string, subject: string) => string
}

export interface CreatedApiKey {
  /** `jg_<key id>_<secret>`: show it once; jitgate cannot show it again. */
  readonly token: string
  readonly key: ApiKeyInfo
}

export type ApiKeyListing = ApiKeyInfo & { readonly state: ApiKeyState }

const DEFAULT_LAST_USE_INTERVAL_MS = 60_000

export class ApiKeyService {
  readonly #lastUseIntervalMs: number

  constructor(private readonly deps: ApiKeyServiceDeps) {
    this.#lastUseIntervalMs = deps.lastUseIntervalMs ?? DEFAULT_LAST_USE_INTERVAL_MS
  }

  /** Creates a key for `input.subject`; throws `api_key_invalid` naming every field at fault. */
  async create(input: NewApiKey, by: AuditActor): Promise<CreatedApiKey> {
    const { keyId, token } = newApiKeyToken(this.deps.randomBytes)
    const valid = createApiKeyRecord(
      input,
      { keyId, secretHash: hashApiKey(token) },
      by.id,
      this.deps.now(),
      this.deps.lifetime,
    )
    // Computed once, here: the token is never seen again.
    const scramVerifier = this.deps.scramVerifier?.(token, valid.subject)
    const record = scramVerifier === undefined ? valid : { ...valid, scramVerifier }
    await this.deps.store.transact(async (tx) => {
      await tx.keys.insert(record)
      await tx.audit([apiKeyCreatedDraft(record, by)])
    })
    return { token, key: apiKeyInfo(record) }
  }

  async list(query: ApiKeyQuery = {}): Promise<ApiKeyListing[]> {
    const keys = await this.deps.store.transact((tx) => tx.keys.list(query))
    const now = this.deps.now()
    return keys.map((key) => ({ ...apiKeyInfo(key), state: apiKeyState(key, now) }))
  }

  /** Revokes the key at once on every node; revoking a revoked key changes nothing. */
  revoke(keyId: string, by: AuditActor): Promise<ApiKeyInfo> {
    return this.deps.store.transact(async (tx) => {
      const key = await tx.keys.load(keyId, { lock: true })
      if (key === undefined) throw notFound()
      const revoked = revokeApiKey(key, by.id, this.deps.now())
      if (revoked !== key) {
        await tx.keys.update(revoked)
        await tx.audit([apiKeyRevokedDraft(revoked, by)])
      }
      return apiKeyInfo(revoked)
    })
  }

  /**
   * Who `token` authenticates at `now`, or why not. The secret is checked before expiry
   * and revocation, so only its holder learns those; an unknown key id costs the same
   * hash comparison as a wrong secret.
   */
  async authenticate(token: string, now: Date): Promise<AuthResult> {
    const parsed = parseApiKey(token)
    if (parsed === undefined) return authFailure('key_malformed')
    const key = await this.deps.store.find(parsed.keyId)
    if (!matchesApiKeyHash(token, key?.secretHash) || key === undefined)
      return authFailure(key === undefined ? 'key_unknown' : 'key_mismatch', parsed.keyId)
    return this.#admit(key, now)
  }

  /**
   * The SCRAM verifiers of `subject`'s keys usable at `now`, newest first. Keys made before
   * verifiers were kept have none and are left out: they cannot log in over SCRAM.
   */
  async scramVerifiersOf(
    subject: string,
    now: Date,
  ): Promise<readonly { readonly keyId: string; readonly verifier: string }[]> {
    const keys = await this.deps.store.scramKeysOf(subject)
    return keys.flatMap((key) =>
      key.scramVerifier !== undefined && apiKeyState(key, now) === 'active'
        ? [{ keyId: key.keyId, verifier: key.scramVerifier }]
        : [],
    )
  }

  /**
   * Who key `keyId` authenticates at `now`, once its holder proved the secret another way
   * (the gateway's SCRAM exchange): expiry and revocation are checked again, as the key may
   * have changed since its verifier was read, and the use is recorded as for a token.
   */
  async authenticateProven(keyId: string, now: Date): Promise<AuthResult> {
    const key = await this.deps.store.find(keyId)
    return key === undefined ? authFailure('key_unknown', keyId) : this.#admit(key, now)
  }

  async #admit(key: ApiKeyRecord, now: Date): Promise<AuthResult> {
    const state = apiKeyState(key, now)
    if (state !== 'active') return authFailure(state === 'revoked' ? 'key_revoked' : 'key_expired', key.keyId)
    if (lastUseDue(key, now, this.#lastUseIntervalMs)) await this.#recordUse(key.keyId, now)
    return { ok: true, principal: principalOfKey(key) }
  }

  async #recordUse(keyId: string, now: Date): Promise<void> {
    const staleBefore = new Date(now.getTime() - this.#lastUseIntervalMs + 1).toISOString()
    try {
      await this.deps.store.recordUse(keyId, now.toISOString(), staleBefore)
    } catch (error) {
      // A missed last-use time is not worth refusing a valid key.
      this.deps.onLastUseError?.(error)
    }
  }
}

// The id is not echoed: someone may paste a whole token where the id belongs.
function notFound(): ApiKeyError {
  return new ApiKeyError('api_key_not_found', 'there is no API key with that id', [
    { path: 'keyId', message: 'is not a known key id', hint: 'list the keys to see their ids' },
  ])
}
