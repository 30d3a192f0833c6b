// The gateway's credential ports in memory, typed against the real ones: API keys made as
// the API key service makes them (jg_ tokens), each with the SCRAM verifier the store would
// keep, and the checks the service runs (hash match, expiry, revocation).
import { randomBytes } from 'node:crypto'
import {
  type AuthResult,
  authFailure,
  hashApiKey,
  newApiKeyToken,
  parseApiKey,
} from '../../../src/auth/index.ts'
import type {
  GatewayAuthenticator,
  ScramVerifierStore,
  StoredScramVerifier,
} from '../../../src/gateway/index.ts'
import { apiKeyScramVerifier } from '../../../src/gateway/index.ts'

interface MemoryKey {
  readonly keyId: string
  readonly subject: string
  readonly secretHash: string
  readonly verifier: string | undefined
  revoked: boolean
}

export class MemoryCredentials implements ScramVerifierStore, GatewayAuthenticator {
  readonly #keys: MemoryKey[] = []

  /** A new key for `subject`; `scram: false` makes one created before verifiers were kept. */
  addKey(subject: string, options: { scram?: boolean } = {}): { token: string; keyId: string } {
    const { keyId, token } = newApiKeyToken((size) => randomBytes(size))
    const verifier = options.scram === false ? undefined : apiKeyScramVerifier(token, subject)
    this.#keys.unshift({ keyId, subject, secretHash: hashApiKey(token), verifier, revoked: false })
    return { token, keyId }
  }

  revoke(keyId: string): void {
    for (const key of this.#keys) if (key.keyId === keyId) key.revoked = true
  }

  async verifiersOf(user: string): Promise<readonly StoredScramVerifier[]> {
    return this.#keys
      .filter((key) => key.subject === user && !key.revoked && key.verifier !== undefined)
      .map((key) => ({ keyId: key.keyId, verifier: key.verifier ?? '' }))
  }

  async keyProven(keyId: string): Promise<AuthResult> {
    const key = this.#keys.find((candidate) => candidate.keyId === keyId)
    if (key === undefined) return authFailure('key_unknown', keyId)
    if (key.revoked) return authFailure('key_revoked', keyId)
    return {
      ok: true,
      principal: { id: key.subject, kind: 'api_key', roles: ['requester'], groups: [], keyId },
    }
  }

  async token(token: string): Promise<AuthResult> {
    const parsed = parseApiKey(token)
    if (parsed === undefined) return authFailure('key_malformed')
    const key = this.#keys.find((candidate) => candidate.keyId === parsed.keyId)
    if (key === undefined || key.secretHash !== hashApiKey(token))
      return authFailure('key_mismatch', parsed.keyId)
    return this.keyProven(key.keyId)
  }
}
