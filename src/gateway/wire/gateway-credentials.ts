// The ports through which the gateway checks who connects; the composition root implements
// them over the API key service and its store. Tests implement them in memory.
import type { AuthFailureReason, AuthResult } from '../../auth/index.ts'

/** A SCRAM verifier kept with an API key (scram.ts: `apiKeyScramVerifier`). */
export interface StoredScramVerifier {
  readonly keyId: string
  /** `SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>` */
  readonly verifier: string
}

/** The store side: verifiers of the keys a user may log in with. */
export interface ScramVerifierStore {
  /** The verifiers of `user`'s active API keys (the user is the keys' subject), newest first. */
  verifiersOf(user: string): Promise<readonly StoredScramVerifier[]>
}

/** The auth side: who a proven key or a presented token stands for, at `now`. */
export interface GatewayAuthenticator {
  /** The key's holder proved its secret (SCRAM): check expiry and revocation, record the use. */
  keyProven(keyId: string, now: Date): Promise<AuthResult>
  /** `password` method: an API key or OIDC token as the client presented it. */
  token(token: string, now: Date): Promise<AuthResult>
}

/** Why a login failed: the auth reasons, and the gateway's own. */
export type GatewayAuthFailureReason =
  | AuthFailureReason
  /** The credentials authenticate someone other than the startup packet's user. */
  | 'user_mismatch'
  /** SCRAM for a user without a single key that has a SCRAM verifier. */
  | 'no_scram_verifier'

/** One refused login, for the audit log (`auth.failed`); never a secret or a proof. */
export interface GatewayAuthFailure {
  readonly reason: GatewayAuthFailureReason
  readonly keyId?: string
  readonly address: string
  readonly at: Date
}

/** The per-address limit on failed logins (auth's FailureLimiter fits). */
export interface LoginFailureLimit {
  retryAfterSeconds(client: string, nowMs: number): number
  recordFailure(client: string, nowMs: number): void
}
