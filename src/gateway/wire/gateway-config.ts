// The `gateway` section of jitgate.yaml: where the wire server listens, its TLS certificate,
// how clients authenticate, how a statement that needs approval is handled (the client waits,
// or fails at once and sends it again), and the upstream databases clients reach by name
// (`dbname=prod`), each with jitgate's own credentials, TLS and pool. A TypeBox schema for the one config
// schema, and its resolution into settings with every problem listed at once. No password
// has a default; a file path is resolved against the configuration file by the caller.
import { type Static, Type as T } from '@sinclair/typebox'
import { Value } from '@sinclair/typebox/value'
import { type ErrorDetail, JitgateError, parseDuration } from '../../shared/index.ts'
import type { PoolSettings } from './upstream-pool.ts'

const Duration = T.String({ pattern: '^(?:\\d{1,6}[smhdw])+$', description: 'like 30s, 15m, 1h' })
const Strict = { additionalProperties: false } as const
const UPSTREAM_NAME = '^[a-z][a-z0-9_-]{0,62}$'

const ApprovalSchema = T.Object(
  {
    mode: T.Optional(
      T.Union([T.Literal('wait'), T.Literal('fail')], {
        description:
          'wait (default): the client is held until the request is decided; fail: an error with the request id at once, and the same statement runs when sent again after approval',
      }),
    ),
    timeout: T.Optional({ ...Duration, description: 'wait: how long a client is held at most (default 5m)' }),
  },
  Strict,
)

const UpstreamSchema = T.Object(
  {
    url: T.String({
      pattern: '^postgres(ql)?://',
      description: 'postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE: jitgate’s own credentials',
    }),
    passwordEnv: T.Optional(
      T.String({
        pattern: '^[A-Z_][A-Z0-9_]*$',
        description: 'the environment variable holding the password',
      }),
    ),
    poolSize: T.Optional(
      T.Integer({ minimum: 1, maximum: 1000, description: 'connections at most (default 10)' }),
    ),
    idleTimeout: T.Optional({ ...Duration, description: 'an idle connection closes after (default 10m)' }),
    acquireTimeout: T.Optional({
      ...Duration,
      description: 'a client waits for a connection at most (default 30s)',
    }),
    connectTimeout: T.Optional({ ...Duration, description: 'connecting and logging in (default 10s)' }),
    approval: T.Optional({ ...ApprovalSchema, description: 'overrides the gateway’s approval settings' }),
    tls: T.Optional(
      T.Object(
        {
          mode: T.Union([T.Literal('disable'), T.Literal('require'), T.Literal('verify-full')]),
          ca: T.Optional(
            T.String({ minLength: 1, description: 'PEM file of the CAs to trust (verify-full)' }),
          ),
          serverName: T.Optional(T.String({ minLength: 1 })),
        },
        Strict,
      ),
    ),
  },
  Strict,
)

export const GatewayConfigSchema = T.Object(
  {
    listen: T.Optional(
      T.Object(
        {
          host: T.Optional(T.String({ minLength: 1, description: 'default 127.0.0.1' })),
          port: T.Optional(T.Integer({ minimum: 0, maximum: 65535, description: 'default 6433' })),
        },
        Strict,
      ),
    ),
    tls: T.Optional(
      T.Object(
        {
          cert: T.String({ minLength: 1, description: 'PEM file of the gateway’s certificate chain' }),
          key: T.String({ minLength: 1, description: 'PEM file of its private key' }),
          required: T.Optional(T.Boolean({ description: 'refuse clients without TLS (default true)' })),
        },
        Strict,
      ),
    ),
    auth: T.Optional(
      T.Object(
        {
          method: T.Optional(
            T.Union([T.Literal('scram-sha-256'), T.Literal('password')], {
              description: 'scram-sha-256 (default): API keys; password: any token, over TLS only',
            }),
          ),
          timeout: T.Optional({ ...Duration, description: 'startup and authentication (default 60s)' }),
        },
        Strict,
      ),
    ),
    approval: T.Optional({
      ...ApprovalSchema,
      description: 'statements that need approval: wait for it, or fail and run when sent again',
    }),
    audit: T.Optional(
      T.Object(
        {
          readBatchMs: T.Optional(
            T.Integer({
              minimum: 1,
              maximum: 1000,
              description:
                'reads allowed outright are audited together, one event per connection, this many ms after the first: what a crash can lose of their audit (default 20)',
            }),
          ),
        },
        Strict,
      ),
    ),
    upstreams: T.Record(T.String({ pattern: UPSTREAM_NAME }), UpstreamSchema, {
      minProperties: 1,
      additionalProperties: false,
      description: 'name (what clients give as dbname) → upstream database',
    }),
  },
  Strict,
)
export type GatewayConfig = Static<typeof GatewayConfigSchema>

/** What a statement that needs approval does: wait for the decision, or fail at once. */
export interface ApprovalSettings {
  readonly mode: 'wait' | 'fail'
  /** wait: how long a client is held at most. */
  readonly timeoutMs: number
}

export interface UpstreamSettings {
  readonly name: string
  readonly host: string
  readonly port: number
  readonly database: string
  readonly user: string
  readonly password?: string
  readonly tls: {
    readonly mode: 'disable' | 'require' | 'verify-full'
    readonly caFile?: string
    readonly serverName?: string
  }
  readonly connectTimeoutMs: number
  readonly pool: PoolSettings
  /** The gateway's approval settings, with this upstream's overrides. */
  readonly approval: ApprovalSettings
}

export interface GatewaySettings {
  readonly listen: { readonly host: string; readonly port: number }
  readonly tls?: { readonly certFile: string; readonly keyFile: string; readonly required: boolean }
  readonly auth: { readonly method: 'scram-sha-256' | 'password'; readonly timeoutMs: number }
  readonly approval: ApprovalSettings
  /** Unset: the policy gate's default. */
  readonly audit: { readonly readBatchMs?: number }
  readonly upstreams: Readonly<Record<string, UpstreamSettings>>
}

export interface GatewayConfigSources {
  readonly env: Readonly<Record<string, string | undefined>>
  /** Resolves a path written in the configuration file. */
  readonly resolvePath: (path: string) => string
}

/** The settings `config` describes; throws `config_invalid` listing every problem. */
export function resolveGatewayConfig(
  config: unknown,
  sources: GatewayConfigSources,
  path = 'gateway',
): GatewaySettings {
  const problems: ErrorDetail[] = [...Value.Errors(GatewayConfigSchema, config)].map((e) => ({
    path: `${path}${e.path}`,
    message: e.message,
  }))
  if (problems.length > 0) throw invalid(problems)
  const input = config as GatewayConfig
  const ms = (text: string | undefined, fallback: string, at: string) => {
    const seconds = parseDuration(text ?? fallback) ?? 0
    if (seconds < 1) problems.push({ path: `${path}${at}`, message: 'must be at least 1s' })
    return seconds * 1000
  }
  const approval: ApprovalSettings = {
    mode: input.approval?.mode ?? 'wait',
    timeoutMs: ms(input.approval?.timeout, '5m', '/approval/timeout'),
  }
  const upstreams: Record<string, UpstreamSettings> = {}
  for (const [name, upstream] of Object.entries(input.upstreams)) {
    const at = `/upstreams/${name}`
    const address = upstreamAddress(upstream, sources.env, `${path}${at}`, problems)
    if (address === undefined) continue
    const tls = upstream.tls ?? { mode: 'disable' as const }
    upstreams[name] = {
      name,
      ...address,
      tls: {
        mode: tls.mode,
        ...(tls.ca === undefined ? {} : { caFile: sources.resolvePath(tls.ca) }),
        ...(tls.serverName === undefined ? {} : { serverName: tls.serverName }),
      },
      connectTimeoutMs: ms(upstream.connectTimeout, '10s', `${at}/connectTimeout`),
      pool: {
        size: upstream.poolSize ?? 10,
        idleTimeoutMs: ms(upstream.idleTimeout, '10m', `${at}/idleTimeout`),
        acquireTimeoutMs: ms(upstream.acquireTimeout, '30s', `${at}/acquireTimeout`),
      },
      approval: {
        mode: upstream.approval?.mode ?? approval.mode,
        timeoutMs:
          upstream.approval?.timeout === undefined
            ? approval.timeoutMs
            : ms(upstream.approval.timeout, '5m', `${at}/approval/timeout`),
      },
    }
  }
  const timeoutMs = ms(input.auth?.timeout, '60s', '/auth/timeout')
  if (problems.length > 0) throw invalid(problems)
  return Object.freeze({
    listen: { host: input.listen?.host ?? '127.0.0.1', port: input.listen?.port ?? 6433 },
    ...(input.tls === undefined
      ? {}
      : {
          tls: {
            certFile: sources.resolvePath(input.tls.cert),
            keyFile: sources.resolvePath(input.tls.key),
            required: input.tls.required ?? true,
          },
        }),
    auth: { method: input.auth?.method ?? 'scram-sha-256', timeoutMs },
    approval,
    audit: input.audit?.readBatchMs === undefined ? {} : { readBatchMs: input.audit.readBatchMs },
    upstreams,
  })
}

function upstreamAddress(
  upstream: Static<typeof UpstreamSchema>,
  env: GatewayConfigSources['env'],
  at: string,
  problems: ErrorDetail[],
) {
  let url: URL
  try {
    url = new URL(upstream.url)
  } catch {
    problems.push({ path: `${at}/url`, message: 'is not a URL' })
    return undefined
  }
  const before = problems.length
  const database = decodeURIComponent(url.pathname.replace(/^\//, ''))
  const user = decodeURIComponent(url.username)
  if (url.hostname === '') problems.push({ path: `${at}/url`, message: 'names no host' })
  if (database === '')
    problems.push({ path: `${at}/url`, message: 'names no database', hint: 'end it with /DATABASE' })
  if (user === '')
    problems.push({ path: `${at}/url`, message: 'names no user', hint: 'postgres://USER@HOST/DATABASE' })
  if (url.search !== '')
    problems.push({
      path: `${at}/url`,
      message: 'has query parameters',
      hint: 'set TLS with the tls setting',
    })
  let password = url.password === '' ? undefined : decodeURIComponent(url.password)
  if (upstream.passwordEnv !== undefined) {
    if (password !== undefined)
      problems.push({ path: `${at}/passwordEnv`, message: 'is set while the URL carries a password too' })
    password = env[upstream.passwordEnv]
    if (password === undefined || password === '')
      problems.push({ path: `${at}/passwordEnv`, message: `names ${upstream.passwordEnv}, which is not set` })
  }
  if (problems.length > before) return undefined
  return {
    host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: url.port === '' ? 5432 : Number(url.port),
    database,
    user,
    ...(password === undefined ? {} : { password }),
  }
}

function invalid(problems: readonly ErrorDetail[]): JitgateError {
  const [first] = problems
  return new JitgateError(
    'config_invalid',
    `the gateway configuration is invalid: ${first?.path} ${first?.message}`,
    {
      status: 400,
      details: problems,
    },
  )
}
