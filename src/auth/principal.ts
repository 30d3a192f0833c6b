// Who made a request, once authenticated, and why an authentication failed. The reasons
// are precise, for logs and the audit log; what a client is told is coarser (auth-errors.ts).
import type { Permission, Role } from './permissions.ts'

export type PrincipalKind = 'api_key' | 'oidc'

export interface Principal {
  /** The user id: an API key's subject, or the OIDC claim configured as the user id. */
  readonly id: string
  readonly kind: PrincipalKind
  /** What the HTTP layer checks (permissions.ts). */
  readonly roles: readonly Role[]
  /** What the policy engine (actor.groups) and approver eligibility see. */
  readonly groups: readonly string[]
  /** An API key's narrowing of its roles' permissions; absent means every one of them. */
  readonly scopes?: readonly Permission[]
  /** The API key used, for logs and audit. */
  readonly keyId?: string
}

/**
 * Why credentials were refused. Stable: logs, metrics and the `auth.failed` audit event
 * carry them.
 */
export const AUTH_FAILURE_REASONS = [
  /** The Authorization header is not `Bearer <token>`. */
  'header_malformed',
  /** A `jg_` token that is not `jg_<key id>_<secret>`. */
  'key_malformed',
  'key_unknown',
  /** The key id exists and the secret does not match. */
  'key_mismatch',
  'key_expired',
  'key_revoked',
  /** A bearer token that is not an API key while no identity provider is configured. */
  'oidc_disabled',
  /** Not a JWS compact JWT, or its claims are not JSON. */
  'token_malformed',
  'token_algorithm',
  /** No key of the identity provider's JWKS matches the token's kid and alg. */
  'token_key_unknown',
  'token_signature',
  'token_expired',
  'token_not_yet_valid',
  'token_issuer',
  'token_audience',
  /** A required claim (exp, the user id claim) is missing or of the wrong type. */
  'token_claims',
] as const
export type AuthFailureReason = (typeof AUTH_FAILURE_REASONS)[number]

export type AuthResult =
  | { readonly ok: true; readonly principal: Principal }
  | {
      readonly ok: false
      readonly reason: AuthFailureReason
      /** The key id of a parseable API key: not secret, and it tells whose key is being tried. */
      readonly keyId?: string
    }

export function authFailure(reason: AuthFailureReason, keyId?: string): AuthResult {
  return keyId === undefined ? { ok: false, reason } : { ok: false, reason, keyId }
}
