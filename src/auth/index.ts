// Authentication and roles: API keys (hashed at rest, scoped, expiring) and OIDC bearer
// JWTs, mapped to a principal whose roles grant permissions (permissions.ts holds the
// matrix). The HTTP side is src/http/authenticate.ts. Other features import only from here.
export {
  type ApiKeyInfo,
  type ApiKeyLifetime,
  type ApiKeyRecord,
  type ApiKeyState,
  apiKeyInfo,
  apiKeyState,
  createApiKeyRecord,
  lastUseDue,
  type NewApiKey,
  newApiKeyProblems,
  principalOfKey,
  revokeApiKey,
} from './api-key.ts'
export type { ApiKeyQuery, ApiKeyRepository, ApiKeyStore, ApiKeyTransaction } from './api-key-ports.ts'
export {
  type ApiKeyListing,
  ApiKeyService,
  type ApiKeyServiceDeps,
  type CreatedApiKey,
} from './api-key-service.ts'
export {
  API_KEY_PREFIX,
  formatApiKey,
  hashApiKey,
  looksLikeApiKey,
  matchesApiKeyHash,
  type NewApiKeyToken,
  newApiKeyToken,
  type ParsedApiKey,
  parseApiKey,
} from './api-key-token.ts'
export {
  apiKeyCreatedDraft,
  apiKeyRevokedDraft,
  type FailedLogin,
  type FailedLoginReporter,
  failedLoginDraft,
  UNAUTHENTICATED_ACTOR,
} from './auth-audit.ts'
export { type AuthConfig, AuthConfigSchema, type AuthSettings, resolveAuthConfig } from './auth-config.ts'
export {
  ApiKeyError,
  type ApiKeyErrorCode,
  type AuthErrorCode,
  AuthenticationError,
  AuthRateLimitedError,
  AuthUnavailableError,
  PermissionDeniedError,
} from './auth-errors.ts'
export {
  type Authentication,
  Authenticator,
  type AuthenticatorDeps,
  type Credential,
} from './authenticator.ts'
export { type FailureLimit, FailureLimiter } from './failure-limiter.ts'
export { type KeyRouteDeps, keyRoutes } from './key-routes.ts'
export { meRoute } from './me-route.ts'
export { type ClaimMapping, claimAt, groupsIn, principalFromClaims, rolesFor } from './oidc-claims.ts'
export {
  DEFAULT_OIDC_ALGORITHMS,
  OIDC_ALGORITHMS,
  type OidcAlgorithm,
  type OidcSettings,
  OidcVerifier,
  type RemoteJwksOptions,
  remoteJwks,
} from './oidc-verifier.ts'
export {
  can,
  type Holder,
  isPermission,
  isRole,
  PERMISSIONS,
  type Permission,
  permissionsOf,
  ROLE_PERMISSIONS,
  ROLES,
  type Role,
} from './permissions.ts'
export {
  AUTH_FAILURE_REASONS,
  type AuthFailureReason,
  type AuthResult,
  authFailure,
  type Principal,
  type PrincipalKind,
} from './principal.ts'
