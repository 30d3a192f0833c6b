// One entry for every credential: reads an Authorization header value and hands the bearer
// token to the API key service (`jg_` prefix) or to the OIDC verifier (anything else, when
// an identity provider is configured). Knows nothing of HTTP beyond that header.
import type { ApiKeyService } from './api-key-service.ts'
import { looksLikeApiKey } from './api-key-token.ts'
import type { FailedLogin } from './auth-audit.ts'
import type { OidcVerifier } from './oidc-verifier.ts'
import { type AuthFailureReason, authFailure, type Principal } from './principal.ts'

export type Credential = FailedLogin['credential']

export type Authentication =
  /** No Authorization header: not a failed login, just a missing one. */
  | { readonly outcome: 'none' }
  | { readonly outcome: 'authenticated'; readonly principal: Principal }
  | {
      readonly outcome: 'refused'
      readonly reason: AuthFailureReason
      readonly credential: Credential
      readonly keyId?: string
    }

export interface AuthenticatorDeps {
  readonly apiKeys: Pick<ApiKeyService, 'authenticate'>
  /** Absent: only API keys are accepted. */
  readonly oidc?: Pick<OidcVerifier, 'verify'>
}

// RFC 6750 b64token, bounded: nothing honest is longer, and nothing longer is hashed or parsed.
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]{1,8192}=*) *$/i

export class Authenticator {
  constructor(private readonly deps: AuthenticatorDeps) {}

  /** Who `authorization` (the header's value) authenticates at `now`; throws AuthUnavailableError. */
  async authenticate(authorization: string | undefined, now: Date): Promise<Authentication> {
    if (authorization === undefined) return { outcome: 'none' }
    const token = BEARER.exec(authorization)?.[1]
    if (token === undefined) return { outcome: 'refused', reason: 'header_malformed', credential: 'unknown' }
    const credential: Credential = looksLikeApiKey(token) ? 'api_key' : 'oidc'
    const { oidc } = this.deps
    const result =
      credential === 'api_key'
        ? await this.deps.apiKeys.authenticate(token, now)
        : oidc === undefined
          ? authFailure('oidc_disabled')
          : await oidc.verify(token, now)
    if (result.ok) return { outcome: 'authenticated', principal: result.principal }
    const { reason, keyId } = result
    return keyId === undefined
      ? { outcome: 'refused', reason, credential }
      : { outcome: 'refused', reason, credential, keyId }
  }
}
