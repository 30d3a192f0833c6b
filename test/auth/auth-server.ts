// A real Fastify server on 127.0.0.1 for the authentication tests: the real error handler
// and authentication plugin, API keys on a real SQLite file (one per role, and a scoped,
// an expired and a revoked one), optionally OIDC against a real JWKS endpoint, a dummy
// route per permission, and the logs and failed logins captured.
import { randomUUID } from 'node:crypto'
import { join } from 'node:path'
import { Writable } from 'node:stream'
import type { TestContext } from 'node:test'
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyPluginAsync } from 'fastify'
import { pino } from 'pino'
import {
  Authenticator,
  type FailedLogin,
  type FailedLoginReporter,
  type FailureLimit,
  FailureLimiter,
  OidcVerifier,
  PERMISSIONS,
  ROLES,
  type Role,
  remoteJwks,
} from '../../src/auth/index.ts'
import { authentication } from '../../src/http/authenticate.ts'
import { installErrorHandler } from '../../src/http/error-handler.ts'
import { tempDir } from '../helpers/temp-dir.ts'
import { ADMIN, type FakeClock, keyServices } from './auth-fixtures.ts'
import {
  AUDIENCE,
  ISSUER,
  type JwksServer,
  type SigningKey,
  signingKey,
  startJwksServer,
} from './jwks-server.ts'

export interface AuthServerOptions {
  readonly limit?: FailureLimit
  readonly oidc?: boolean
  readonly onFailedLogin?: FailedLoginReporter
}

export type KeyName = Role | 'scoped' | 'expired' | 'revoked'

export interface AuthServer {
  readonly url: string
  readonly app: FastifyInstance
  readonly clock: FakeClock
  readonly tokens: Readonly<Record<KeyName, string>>
  readonly keyIds: Readonly<Record<KeyName, string>>
  readonly attempts: FailedLogin[]
  readonly logs: string[]
  /** Non-public routes as registered: `GET /v1/requests/:id`. */
  readonly routes: string[]
  readonly jwks?: { server: JwksServer; key: SigningKey }
  call(path: string, init?: { token?: string; authorization?: string } & RequestInit): Promise<Response>
}

export const DEFAULT_LIMIT: FailureLimit = { maxFailures: 1000, windowMs: 60_000 }
const rsa = await signingKey('rsa-1')

export async function startAuthServer(t: TestContext, options: AuthServerOptions = {}): Promise<AuthServer> {
  const dir = await tempDir(t)
  const services = await keyServices(t, `sqlite:${join(dir, 'keys.db')}`)
  const { tokens, keyIds } = await makeKeys(services.keys, services.clock)
  const jwks = options.oidc === true ? { server: await startJwksServer(t, [rsa]), key: rsa } : undefined
  const oidc =
    jwks === undefined
      ? undefined
      : new OidcVerifier(
          {
            issuer: ISSUER,
            audience: [AUDIENCE],
            jwksUri: jwks.server.uri,
            algorithms: ['RS256'],
            clockToleranceSeconds: 0,
            userIdClaim: 'sub',
            groupsClaim: 'groups',
            groupRoles: { 'sec-team': ['approver'] },
            defaultRoles: ['requester'],
          },
          remoteJwks(jwks.server.uri, { timeoutMs: 500 }),
        )
  const attempts: FailedLogin[] = []
  const logs: string[] = []
  const routes: string[] = []
  const stream = new Writable({
    write(chunk, _encoding, done) {
      logs.push(String(chunk))
      done()
    },
  })
  const logger: FastifyBaseLogger = pino({ level: 'trace' }, stream)
  const app = Fastify({ loggerInstance: logger, genReqId: () => randomUUID() })
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id)
  })
  installErrorHandler(app)
  await app.register(
    authentication({
      authenticator: new Authenticator({ apiKeys: services.keys, ...(oidc === undefined ? {} : { oidc }) }),
      limiter: new FailureLimiter(options.limit ?? DEFAULT_LIMIT),
      now: () => services.clock.now(),
      onFailedLogin: options.onFailedLogin ?? ((attempt) => void attempts.push(attempt)),
    }),
  )
  app.addHook('onRoute', (route) => {
    if (route.config?.public !== true && route.method !== 'HEAD') routes.push(`${route.method} ${route.url}`)
  })
  await app.register(dummyRoutes)
  const address = await app.listen({ host: '127.0.0.1', port: 0 })
  t.after(async () => {
    await app.close()
  })
  const call: AuthServer['call'] = (path, init = {}) => {
    const { token, authorization, headers, ...rest } = init
    const auth = authorization ?? (token === undefined ? undefined : `Bearer ${token}`)
    return fetch(`${address}${path}`, {
      ...rest,
      headers: {
        'user-agent': 'auth-test/1.0',
        ...(auth === undefined ? {} : { authorization: auth }),
        ...headers,
      },
    })
  }
  return {
    url: address,
    app,
    clock: services.clock,
    tokens,
    keyIds,
    attempts,
    logs,
    routes,
    ...(jwks === undefined ? {} : { jwks }),
    call,
  }
}

const dummyRoutes: FastifyPluginAsync = async (app) => {
  const who = (request: { principal: unknown }) => ({ principal: request.principal })
  for (const permission of PERMISSIONS) {
    app.get(`/v1/check/${permission}`, { config: { permission } }, async (request) => who(request))
  }
  app.post(
    '/v1/requests',
    {
      config: { permission: 'request.create' },
      schema: {
        body: { type: 'object', required: ['resource'], properties: { resource: { type: 'string' } } },
      },
    },
    async (request) => who(request),
  )
  app.get('/v1/requests/:id', { config: { permission: 'request.read' } }, async (request) => who(request))
  app.get('/healthz', { config: { public: true } }, async (request) => ({ status: 'ok', ...who(request) }))
}

async function makeKeys(keys: Awaited<ReturnType<typeof keyServices>>['keys'], clock: FakeClock) {
  const tokens: Partial<Record<KeyName, string>> = {}
  const keyIds: Partial<Record<KeyName, string>> = {}
  const make = async (
    name: KeyName,
    roles: Role[],
    extra: { scopes?: ['request.read']; expiresIn?: number } = {},
  ) => {
    const created = await keys.create(
      { subject: `${name}-user`, name, roles, groups: [`${name}s`], ...extra },
      ADMIN,
    )
    tokens[name] = created.token
    keyIds[name] = created.key.keyId
  }
  for (const role of ROLES) await make(role, [role])
  await make('scoped', ['requester'], { scopes: ['request.read'] })
  await make('expired', ['requester'], { expiresIn: 60 })
  await make('revoked', ['requester'])
  await keys.revoke(keyIds.revoked ?? '', ADMIN)
  clock.advance(61)
  return { tokens: tokens as Record<KeyName, string>, keyIds: keyIds as Record<KeyName, string> }
}
