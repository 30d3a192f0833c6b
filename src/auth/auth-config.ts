// The configuration of authentication: its schema (folded into the one configuration
// schema) and its resolution into settings, with every problem listed at once. There is no
// default secret, and no default identity provider: without `oidc`, only API keys work.
import { type Static, Type as T } from '@sinclair/typebox'
import { Value } from '@sinclair/typebox/value'
import { type ErrorDetail, JitgateError, parseDuration } from '../shared/index.ts'
import type { ApiKeyLifetime } from './api-key.ts'
import type { FailureLimit } from './failure-limiter.ts'
import { DEFAULT_OIDC_ALGORITHMS, OIDC_ALGORITHMS, type OidcSettings } from './oidc-verifier.ts'
import { ROLES } from './permissions.ts'

const Duration = T.String({ pattern: '^(?:\\d{1,6}[smhdw])+$', description: 'like 90s, 15m, 1h30m, 90d' })
const RoleSchema = T.Union(
  ROLES.map((role) => T.Literal(role)),
  { description: 'requester, approver, admin or auditor' },
)
const Name = T.String({ minLength: 1, maxLength: 256 })

export const AuthConfigSchema = T.Object(
  {
    apiKeys: T.Optional(
      T.Object(
        {
          defaultTtl: T.Optional({ ...Duration, description: 'lifetime of a new key (default 90d)' }),
          maxTtl: T.Optional(
            T.Union([Duration, T.Literal('none')], {
              description:
                'longest lifetime a key may ask for (default 365d); none allows keys that never expire',
            }),
          ),
        },
        { additionalProperties: false },
      ),
    ),
    oidc: T.Optional(
      T.Object(
        {
          issuer: T.String({ minLength: 1, description: 'must equal the iss claim exactly' }),
          audience: T.Union([Name, T.Array(Name, { minItems: 1 })]),
          jwksUri: T.String({ minLength: 1, description: 'https, or http on a loopback address' }),
          algorithms: T.Optional(
            T.Array(T.Union(OIDC_ALGORITHMS.map((alg) => T.Literal(alg))), {
              minItems: 1,
              uniqueItems: true,
            }),
          ),
          clockToleranceSeconds: T.Optional(T.Integer({ minimum: 0, maximum: 300 })),
          userIdClaim: T.Optional(Name),
          groupsClaim: T.Optional(Name),
          groupRoles: T.Optional(
            T.Record(T.String({ minLength: 1 }), T.Array(RoleSchema, { uniqueItems: true })),
          ),
          defaultRoles: T.Optional(T.Array(RoleSchema, { uniqueItems: true })),
        },
        { additionalProperties: false },
      ),
    ),
    rateLimit: T.Optional(
      T.Object(
        {
          maxFailures: T.Optional(T.Integer({ minimum: 1, maximum: 100_000 })),
          window: T.Optional(Duration),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
)
export type AuthConfig = Static<typeof AuthConfigSchema>

export interface AuthSettings {
  readonly apiKeys: ApiKeyLifetime
  readonly oidc?: OidcSettings
  readonly failureLimit: FailureLimit
}

const LOOPBACK_HOST = /^(127\.\d{1,3}\.\d{1,3}\.\d{1,3}|\[::1\]|localhost)$/

/** The settings `config` describes, defaults applied; throws `config_invalid` listing every problem. */
export function resolveAuthConfig(config: unknown, path = 'auth'): AuthSettings {
  const problems: ErrorDetail[] = [...Value.Errors(AuthConfigSchema, config)].map((e) => ({
    path: `${path}${e.path}`,
    message: e.message,
  }))
  if (problems.length > 0) throw invalid(problems)
  const input = config as AuthConfig
  const duration = (text: string, at: string, min: number) => seconds(text, `${path}${at}`, min, problems)
  const defaultTtl = duration(input.apiKeys?.defaultTtl ?? '90d', '/apiKeys/defaultTtl', 60)
  const maxTtlText = input.apiKeys?.maxTtl ?? '365d'
  const maxTtl = maxTtlText === 'none' ? null : duration(maxTtlText, '/apiKeys/maxTtl', 60)
  if (maxTtl !== null && defaultTtl > maxTtl)
    problems.push({ path: `${path}/apiKeys/defaultTtl`, message: 'is longer than apiKeys.maxTtl' })
  const oidc = input.oidc === undefined ? undefined : oidcSettings(input.oidc, `${path}/oidc`, problems)
  const windowSeconds = duration(input.rateLimit?.window ?? '1m', '/rateLimit/window', 1)
  if (problems.length > 0) throw invalid(problems)
  return Object.freeze({
    apiKeys: { defaultTtlSeconds: defaultTtl, maxTtlSeconds: maxTtl },
    ...(oidc === undefined ? {} : { oidc }),
    failureLimit: {
      maxFailures: input.rateLimit?.maxFailures ?? 20,
      windowMs: windowSeconds * 1000,
    },
  })
}

function oidcSettings(
  oidc: NonNullable<AuthConfig['oidc']>,
  path: string,
  problems: ErrorDetail[],
): OidcSettings {
  let url: URL | undefined
  try {
    url = new URL(oidc.jwksUri)
  } catch {
    problems.push({ path: `${path}/jwksUri`, message: 'is not a URL' })
  }
  if (
    url !== undefined &&
    !(url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK_HOST.test(url.hostname)))
  )
    problems.push({
      path: `${path}/jwksUri`,
      message: 'must use https (http only on a loopback address)',
      hint: 'keys fetched over plain http could be replaced on the way',
    })
  return {
    issuer: oidc.issuer,
    audience: typeof oidc.audience === 'string' ? [oidc.audience] : oidc.audience,
    jwksUri: oidc.jwksUri,
    algorithms: oidc.algorithms ?? DEFAULT_OIDC_ALGORITHMS,
    clockToleranceSeconds: oidc.clockToleranceSeconds ?? 30,
    userIdClaim: oidc.userIdClaim ?? 'sub',
    ...(oidc.groupsClaim === undefined ? {} : { groupsClaim: oidc.groupsClaim }),
    // fromEntries keeps a group called `__proto__` a plain key.
    groupRoles: Object.fromEntries(Object.entries(oidc.groupRoles ?? {})),
    defaultRoles: oidc.defaultRoles ?? ['requester'],
  }
}

function seconds(text: string, path: string, min: number, problems: ErrorDetail[]): number {
  const value = parseDuration(text) ?? 0
  if (value < min) problems.push({ path, message: `must be at least ${min} s` })
  return value
}

function invalid(problems: readonly ErrorDetail[]): JitgateError {
  const [first] = problems
  return new JitgateError(
    'config_invalid',
    `the auth configuration is invalid: ${first?.path} ${first?.message}`,
    {
      status: 400,
      details: problems,
    },
  )
}
