// Refused PostgreSQL gateway logins in the audit log: `auth.failed`, as HTTP records them
// (src/auth/auth-audit.ts), with the gateway's own reasons too (`user_mismatch`,
// `no_scram_verifier`) and `via: postgres` in place of the HTTP method and route. The key
// id of the key tried, when known, is the subject; never a proof, a password or a token.
import type { AuditDraft, JsonObject } from '../audit/index.ts'
import { UNAUTHENTICATED_ACTOR } from '../auth/index.ts'
import type { GatewayAuthFailure, GatewayAuthFailureReason } from '../gateway/index.ts'

/** The `auth.failed` event of one refused gateway login. */
export function gatewayLoginFailedDraft(failure: GatewayAuthFailure): AuditDraft {
  const kind = credentialKind(failure.reason, failure.keyId)
  // `kind`, not `credential`: the audit redactor blanks keys that name secrets.
  const details: JsonObject = { reason: failure.reason, kind, ip: failure.address, via: 'postgres' }
  return {
    actor: UNAUTHENTICATED_ACTOR,
    type: 'auth.failed',
    subject:
      failure.keyId === undefined ? { type: 'credential', id: kind } : { type: 'api_key', id: failure.keyId },
    details,
  }
}

// The credential tried, as HTTP reports it: SCRAM logins are always API keys; a cleartext
// token is an API key when its reason says so (or it named a key), else an OIDC token, or
// neither when it could not be read as a token at all.
function credentialKind(
  reason: GatewayAuthFailureReason,
  keyId: string | undefined,
): 'api_key' | 'oidc' | 'unknown' {
  if (reason.startsWith('key_') || reason === 'no_scram_verifier' || keyId !== undefined) return 'api_key'
  return reason === 'header_malformed' ? 'unknown' : 'oidc'
}
