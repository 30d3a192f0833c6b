// Verifies OIDC bearer tokens (JWTs) with `jose`: signature against the identity
// provider's JWKS, issuer, audience, expiry, an allowlist of asymmetric algorithms, then
// the claims mapped to a principal. Each refusal has its own reason; an identity provider
// that cannot be reached is neither acceptance nor refusal: AuthUnavailableError.
import { createRemoteJWKSet, errors, type JWTVerifyGetKey, jwtVerify } from 'jose'
import { AuthUnavailableError } from './auth-errors.ts'
import { type ClaimMapping, principalFromClaims } from './oidc-claims.ts'
import { type AuthFailureReason, type AuthResult, authFailure } from './principal.ts'

/**
 * Asymmetric only. HS* would let anyone holding the public key forge tokens with it as the
 * HMAC secret; `none` is no signature at all.
 */
export const OIDC_ALGORITHMS = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
  'Ed25519',
] as const
export type OidcAlgorithm = (typeof OIDC_ALGORITHMS)[number]
export const DEFAULT_OIDC_ALGORITHMS: readonly OidcAlgorithm[] = ['RS256', 'ES256', 'EdDSA', 'Ed25519']

export interface OidcSettings extends ClaimMapping {
  /** Must equal the token's `iss` exactly. */
  readonly issuer: string
  /** The token's `aud` must hold one of these. */
  readonly audience: readonly string[]
  readonly jwksUri: string
  readonly algorithms: readonly OidcAlgorithm[]
  /** Leeway for exp and nbf between our clock and the identity provider's. */
  readonly clockToleranceSeconds: number
}

export interface RemoteJwksOptions {
  /** How long a JWKS fetch may take (default 5 s). */
  readonly timeoutMs?: number
  /** The least time between two fetches caused by unknown key ids (default 30 s). */
  readonly cooldownMs?: number
  /** How long fetched keys are trusted before they are fetched again (default 10 min). */
  readonly cacheMaxAgeMs?: number
}

/**
 * The identity provider's keys, fetched on first use and cached; a token signed with an
 * unknown kid fetches them again (key rotation), at most once per cooldown.
 */
export function remoteJwks(jwksUri: string, options: RemoteJwksOptions = {}): JWTVerifyGetKey {
  return createRemoteJWKSet(new URL(jwksUri), {
    timeoutDuration: options.timeoutMs ?? 5_000,
    cooldownDuration: options.cooldownMs ?? 30_000,
    cacheMaxAge: options.cacheMaxAgeMs ?? 600_000,
  })
}

export class OidcVerifier {
  constructor(
    private readonly settings: OidcSettings,
    /** remoteJwks(settings.jwksUri) in production. */
    private readonly keys: JWTVerifyGetKey,
  ) {}

  /** Who the token stands for at `now`, or why not; throws AuthUnavailableError when the keys cannot be fetched. */
  async verify(token: string, now: Date): Promise<AuthResult> {
    const { settings } = this
    let claims: Record<string, unknown>
    try {
      const verified = await jwtVerify(token, this.keys, {
        issuer: settings.issuer,
        audience: [...settings.audience],
        algorithms: [...settings.algorithms],
        clockTolerance: settings.clockToleranceSeconds,
        currentDate: now,
        requiredClaims: ['exp'],
      })
      claims = verified.payload
    } catch (error) {
      const reason = failureReason(error)
      if (reason === undefined) throw new AuthUnavailableError(error)
      return authFailure(reason)
    }
    const principal = principalFromClaims(claims, settings)
    return principal === undefined ? authFailure('token_claims') : { ok: true, principal }
  }
}

/** The reason for a refused token; undefined when the fault is the identity provider's (or the network). */
export function failureReason(error: unknown): AuthFailureReason | undefined {
  if (error instanceof errors.JWTExpired) return 'token_expired'
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.reason === 'missing') return 'token_claims'
    return CLAIM_REASONS[error.claim] ?? 'token_claims'
  }
  if (error instanceof errors.JOSEAlgNotAllowed || error instanceof errors.JOSENotSupported)
    return 'token_algorithm'
  if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys)
    return 'token_key_unknown'
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'token_signature'
  if (error instanceof errors.JWSInvalid || error instanceof errors.JWTInvalid) return 'token_malformed'
  // JWKS timeouts, bad JWKS responses (JWKSInvalid, JWKInvalid, generic JOSEError) and
  // fetch failures: the token was never judged.
  return undefined
}

const CLAIM_REASONS: Readonly<Record<string, AuthFailureReason>> = {
  iss: 'token_issuer',
  aud: 'token_audience',
  nbf: 'token_not_yet_valid',
}
