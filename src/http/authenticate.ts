// Authentication and permissions for every route. Each route declares what it needs with
// the route, `config: { permission: 'request.create' }`, or opts out with
// `config: { public: true }` (health checks, the OpenAPI document, endpoints that verify
// their own signatures); a route registered after this plugin that declares neither stops
// the server from starting. Every other request, unknown paths included, needs credentials.
//
// Order per request: a client past its failure limit gets 429 before its credentials are
// read; then the bearer token is checked (401 on failure, counted, reported to the audit
// port); then the route's permission (403, naming the permission).
import type { FastifyPluginAsync, FastifyReply, FastifyRequest, RouteOptions } from 'fastify'
import {
  AuthenticationError,
  type Authenticator,
  AuthRateLimitedError,
  AuthUnavailableError,
  can,
  type FailedLoginReporter,
  type FailureLimiter,
  isPermission,
  type Permission,
  PermissionDeniedError,
  type Principal,
} from '../auth/index.ts'
import { JitgateError } from '../shared/index.ts'
import { problem } from './problem.ts'

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The permission a caller needs for this route (src/auth/permissions.ts). */
    permission?: Permission
    /** The route needs no credentials; `principal` stays null. */
    public?: boolean
    /** Any authenticated caller may use the route, whatever their roles (e.g. GET /v1/me). */
    authenticated?: boolean
  }
  interface FastifyRequest {
    /** Who made the request; null on public routes. */
    principal: Principal | null
    /**
     * Checks the request's credentials again, now: false once the key is revoked or expired,
     * the token expired, or the route's permission lost. For responses that outlive the
     * request (event streams), which must not outlive the credential either.
     */
    credentialsStillValid: () => Promise<boolean>
  }
}

export interface AuthenticationOptions {
  readonly authenticator: Pick<Authenticator, 'authenticate'>
  /** Failed authentications per client address (one per server: it holds the counts). */
  readonly limiter: Pick<FailureLimiter, 'retryAfterSeconds' | 'recordFailure'>
  readonly now: () => Date
  /** Wired to the audit writer (`auth.failed`, see failedLoginDraft). */
  readonly onFailedLogin: FailedLoginReporter
}

/**
 * The plugin. It is not encapsulated (like fastify-plugin), so its request hook covers every
 * route of the server, those registered before it included; but only routes registered after
 * it are checked for a declaration, so register it first.
 */
export function authentication(options: AuthenticationOptions): FastifyPluginAsync {
  const plugin: FastifyPluginAsync = async (app) => {
    app.decorateRequest('principal', null)
    app.decorateRequest('credentialsStillValid', stillValidUnauthenticated)
    app.addHook('onRoute', checkDeclared)
    app.addHook('onRequest', async (request, reply) => {
      if (request.routeOptions.config.public === true) return
      try {
        request.principal = await authenticate(request, reply, options)
        request.credentialsStillValid = () => stillValid(request, options)
      } catch (error) {
        if (!(error instanceof AuthUnavailableError)) throw error
        return unavailable(request, reply, error)
      }
      const { permission } = request.routeOptions.config
      if (permission !== undefined && !can(request.principal, permission)) {
        request.log.info({ principal: request.principal.id, permission }, 'permission denied')
        throw new PermissionDeniedError(permission)
      }
    })
  }
  return Object.assign(plugin, {
    [Symbol.for('skip-override')]: true,
    [Symbol.for('fastify.display-name')]: 'jitgate-authentication',
  })
}

async function stillValidUnauthenticated(): Promise<boolean> {
  return false
}

/** The same header authenticates the same principal, who still holds the route's permission. */
async function stillValid(request: FastifyRequest, options: AuthenticationOptions): Promise<boolean> {
  const before = request.principal
  if (before === null) return false
  try {
    const result = await options.authenticator.authenticate(request.headers.authorization, options.now())
    if (result.outcome !== 'authenticated' || result.principal.id !== before.id) return false
    const { permission } = request.routeOptions.config
    return permission === undefined || can(result.principal, permission)
  } catch {
    // The identity provider cannot be reached: what cannot be checked is not trusted. The
    // client reconnects and is told why (503).
    return false
  }
}

/** The principal of an authenticated request; for handlers of routes that are not public. */
export function principalOf(request: FastifyRequest): Principal {
  if (request.principal === null) throw new AuthenticationError(undefined)
  return request.principal
}

async function authenticate(
  request: FastifyRequest,
  reply: FastifyReply,
  options: AuthenticationOptions,
): Promise<Principal> {
  const now = options.now()
  const client = request.ip
  const wait = options.limiter.retryAfterSeconds(client, now.getTime())
  if (wait > 0) {
    reply.header('retry-after', String(wait))
    throw new AuthRateLimitedError(wait)
  }
  const result = await options.authenticator.authenticate(request.headers.authorization, now)
  if (result.outcome === 'authenticated') return result.principal
  if (result.outcome === 'refused') {
    options.limiter.recordFailure(client, now.getTime())
    const { reason, credential, keyId } = result
    request.log.info({ reason, credential, keyId }, 'authentication failed')
    const userAgent = request.headers['user-agent']
    await report(request, options.onFailedLogin, {
      reason,
      credential,
      ...(keyId === undefined ? {} : { keyId }),
      ip: client,
      ...(userAgent === undefined ? {} : { userAgent }),
      method: request.method,
      route: request.routeOptions.url ?? '(no route)',
      at: now.toISOString(),
    })
  }
  const error = new AuthenticationError(result.outcome === 'refused' ? result.reason : undefined)
  reply.header('www-authenticate', error.challenge)
  throw error
}

async function report(
  request: FastifyRequest,
  onFailedLogin: FailedLoginReporter,
  attempt: Parameters<FailedLoginReporter>[0],
): Promise<void> {
  try {
    await onFailedLogin(attempt)
  } catch (error) {
    // The caller is refused either way; the lost audit event must show in the log.
    request.log.error({ err: error, reason: attempt.reason }, 'a failed login could not be audited')
  }
}

// The error handler answers every 5xx with a bare internal_error; this one is not ours, and
// says so. The cause (a fetch or JWKS error) is logged; it holds no token.
function unavailable(request: FastifyRequest, reply: FastifyReply, error: AuthUnavailableError) {
  request.log.warn({ err: error.cause }, 'identity provider unavailable')
  return reply
    .status(503)
    .type('application/problem+json')
    .send(problem(503, error.code, error.message, request.id, request.url))
}

function checkDeclared(route: RouteOptions): void {
  const config = route.config ?? {}
  const where = `${String(route.method)} ${route.url}`
  if (config.public === true && config.permission !== undefined)
    throw routeError(where, 'declares both config.public and config.permission; keep one')
  if (config.public === true) return
  if (config.authenticated === true && config.permission !== undefined)
    throw routeError(where, 'declares both config.authenticated and config.permission; keep one')
  if (config.authenticated === true) return
  if (config.permission === undefined)
    throw routeError(
      where,
      'declares no config.permission: add one, or config: { public: true } or { authenticated: true }',
    )
  if (!isPermission(config.permission))
    throw routeError(
      where,
      `declares config.permission '${String(config.permission)}', which is not a permission`,
    )
}

function routeError(where: string, message: string): JitgateError {
  return new JitgateError('auth_route_undeclared', `the route ${where} ${message}`, {
    details: [{ path: 'config.permission', message, hint: 'see PERMISSIONS in src/auth/permissions.ts' }],
  })
}

/** Where a call came from, as this server saw it: the client's address and User-Agent. */
export function originOf(request: FastifyRequest): { ip: string; client?: string } {
  const agent = request.headers['user-agent']
  return { ip: request.ip, ...(typeof agent === 'string' ? { client: agent.slice(0, 256) } : {}) }
}
