// The PostgreSQL gateway's credential ports over the API key service and the authenticator:
// SCRAM logins check a proof against the verifiers kept with the user's active keys, then
// admit the proven key as an API key login would (expiry, revocation, last use); the
// cleartext `password` method hands the token to the same Authenticator as HTTP does, so an
// API key and an OIDC token are accepted on the wire exactly when they are over HTTP.
import type { ApiKeyService, Authenticator, AuthResult } from '../auth/index.ts'
import { authFailure } from '../auth/index.ts'
import type { GatewayAuthenticator, ScramVerifierStore, StoredScramVerifier } from '../gateway/index.ts'

export interface GatewayCredentialsDeps {
  readonly apiKeys: Pick<ApiKeyService, 'scramVerifiersOf' | 'authenticateProven'>
  readonly authenticator: Pick<Authenticator, 'authenticate'>
  readonly now: () => Date
}

export class GatewayCredentials implements ScramVerifierStore, GatewayAuthenticator {
  constructor(private readonly deps: GatewayCredentialsDeps) {}

  verifiersOf(user: string): Promise<readonly StoredScramVerifier[]> {
    return this.deps.apiKeys.scramVerifiersOf(user, this.deps.now())
  }

  keyProven(keyId: string, now: Date): Promise<AuthResult> {
    return this.deps.apiKeys.authenticateProven(keyId, now)
  }

  /** The token as a bearer credential; throws AuthUnavailableError when OIDC keys cannot be fetched. */
  async token(token: string, now: Date): Promise<AuthResult> {
    const result = await this.deps.authenticator.authenticate(`Bearer ${token}`, now)
    switch (result.outcome) {
      case 'authenticated':
        return { ok: true, principal: result.principal }
      case 'refused':
        return authFailure(result.reason, result.keyId)
      case 'none':
        return authFailure('header_malformed')
    }
  }
}
