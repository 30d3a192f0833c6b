// What authentication leaves in the audit log: failed logins (`auth.failed`) and the
// creation and revocation of API keys. Drafts carry key ids, never a secret, a token or
// a hash; free text (a key's name) stays out, as it may hold personal data.
import type { AuditActor, AuditDraft, JsonObject } from '../audit/index.ts'
import type { ApiKeyRecord } from './api-key.ts'
import type { AuthFailureReason } from './principal.ts'

/** One refused authentication, as the HTTP layer saw it. */
export interface FailedLogin {
  readonly reason: AuthFailureReason
  /** Which kind of credential was tried: a `jg_` key, a JWT, or a header that was neither. */
  readonly credential: 'api_key' | 'oidc' | 'unknown'
  /** Present when the API key parsed: the key being tried. */
  readonly keyId?: string
  readonly ip: string
  readonly userAgent?: string
  readonly method: string
  /** The route pattern (`/v1/requests/:id`), not the URL: no ids or query strings. */
  readonly route: string
  readonly at: string
}

/** The port the composition root wires to the audit writer. */
export type FailedLoginReporter = (attempt: FailedLogin) => void | Promise<void>

/** Nobody was authenticated: the actor of a failed login. */
export const UNAUTHENTICATED_ACTOR: AuditActor = { type: 'user', id: 'unauthenticated' }

const MAX_USER_AGENT = 256

export function failedLoginDraft(attempt: FailedLogin): AuditDraft {
  // `kind`, not `credential`: the audit redactor blanks keys that name secrets.
  const details: JsonObject = {
    reason: attempt.reason,
    kind: attempt.credential,
    ip: attempt.ip,
    method: attempt.method,
    route: attempt.route,
    ...(attempt.userAgent === undefined ? {} : { userAgent: attempt.userAgent.slice(0, MAX_USER_AGENT) }),
  }
  return {
    actor: UNAUTHENTICATED_ACTOR,
    type: 'auth.failed',
    subject:
      attempt.keyId === undefined
        ? { type: 'credential', id: attempt.credential }
        : { type: 'api_key', id: attempt.keyId },
    details,
  }
}

export function apiKeyCreatedDraft(key: ApiKeyRecord, by: AuditActor): AuditDraft {
  return {
    actor: by,
    type: 'api_key.created',
    subject: { type: 'api_key', id: key.keyId },
    details: {
      subject: key.subject,
      roles: [...key.roles],
      groups: [...key.groups],
      ...(key.scopes === undefined ? {} : { scopes: [...key.scopes] }),
      expiresAt: key.expiresAt ?? null,
    },
  }
}

export function apiKeyRevokedDraft(key: ApiKeyRecord, by: AuditActor): AuditDraft {
  return {
    actor: by,
    type: 'api_key.revoked',
    subject: { type: 'api_key', id: key.keyId },
    details: { subject: key.subject },
  }
}
