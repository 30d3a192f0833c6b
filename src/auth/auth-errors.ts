// The errors of authentication and key management, each with a stable code, and what a
// client is told for each failure reason.
//
// Clients get three 401 codes, not the sixteen reasons. An unknown key id and a wrong secret
// read the same (`invalid_credentials`), so that key ids cannot be probed; so do a bad
// signature, an unknown signing key, a wrong issuer or audience: the precise reason goes to
// the log and the audit log. Expiry and revocation of an API key are told apart, because
// they are checked only after the secret matched: whoever learns it holds the key already.
import { type ErrorDetail, JitgateError } from '../shared/index.ts'
import type { Permission } from './permissions.ts'
import type { AuthFailureReason } from './principal.ts'

export type AuthErrorCode =
  | 'authentication_required'
  | 'invalid_credentials'
  | 'credentials_expired'
  | 'credentials_revoked'

const REALM = 'jitgate'

/** 401: no credentials, or credentials that do not authenticate. */
export class AuthenticationError extends JitgateError {
  declare readonly code: AuthErrorCode
  /** The precise reason, for logs; undefined when no credentials were sent. */
  readonly reason: AuthFailureReason | undefined
  /** The `WWW-Authenticate` header value (RFC 6750). */
  readonly challenge: string

  constructor(reason: AuthFailureReason | undefined) {
    const { code, message, error } = clientView(reason)
    super(code, message, { status: 401 })
    this.reason = reason
    this.challenge =
      error === undefined ? `Bearer realm="${REALM}"` : `Bearer realm="${REALM}", error="${error}"`
  }
}

function clientView(reason: AuthFailureReason | undefined): {
  code: AuthErrorCode
  message: string
  error?: 'invalid_request' | 'invalid_token'
} {
  switch (reason) {
    case undefined:
      return {
        code: 'authentication_required',
        message: 'this route needs credentials: send Authorization: Bearer with an API key or an OIDC token',
      }
    case 'header_malformed':
      return {
        code: 'invalid_credentials',
        message: 'the Authorization header must be Bearer followed by one token',
        error: 'invalid_request',
      }
    case 'key_expired':
    case 'token_expired':
      return {
        code: 'credentials_expired',
        message: 'the credentials have expired; get a new API key or token',
        error: 'invalid_token',
      }
    case 'key_revoked':
      return {
        code: 'credentials_revoked',
        message: 'the API key has been revoked; ask an admin for a new one',
        error: 'invalid_token',
      }
    default:
      return { code: 'invalid_credentials', message: 'the credentials are not valid', error: 'invalid_token' }
  }
}

/** 403: authenticated, without the permission the route needs. Names the permission only. */
export class PermissionDeniedError extends JitgateError {
  readonly permission: Permission

  constructor(permission: Permission) {
    super('permission_denied', `this route needs the permission ${permission}, which you do not have`, {
      status: 403,
      details: [{ path: 'permission', message: permission, hint: 'ask an admin for a role that grants it' }],
    })
    this.permission = permission
  }
}

/** 429: too many failed authentications from one client address. */
export class AuthRateLimitedError extends JitgateError {
  readonly retryAfterSeconds: number

  constructor(retryAfterSeconds: number) {
    super(
      'auth_rate_limited',
      `too many failed authentications from this address; try again in ${retryAfterSeconds} s`,
      { status: 429 },
    )
    this.retryAfterSeconds = retryAfterSeconds
  }
}

/** 503: the identity provider's keys cannot be fetched; the token is neither accepted nor blamed. */
export class AuthUnavailableError extends JitgateError {
  constructor(cause: unknown) {
    super('auth_unavailable', 'the identity provider cannot be reached to check the token; try again', {
      status: 503,
      cause,
    })
  }
}

const KEY_STATUS = { api_key_invalid: 400, api_key_not_found: 404 } as const
export type ApiKeyErrorCode = keyof typeof KEY_STATUS

/** Refusals of key management: invalid input (with every field at fault) or an unknown key. */
export class ApiKeyError extends JitgateError {
  declare readonly code: ApiKeyErrorCode

  constructor(code: ApiKeyErrorCode, message: string, details: readonly ErrorDetail[] = []) {
    super(code, message, { status: KEY_STATUS[code], details })
  }
}
