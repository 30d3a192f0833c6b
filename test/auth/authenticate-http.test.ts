// The authentication plugin on a real server over real HTTP: every non-public route refuses
// a call without credentials, every role meets every permission as the matrix says, each
// kind of bad credential gets its status, code and challenge, and a route that declares no
// permission stops the server from starting.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import Fastify from 'fastify'
import { PERMISSIONS, ROLES } from '../../src/auth/index.ts'
import { authentication } from '../../src/http/authenticate.ts'
import { startAuthServer } from './auth-server.ts'
import { signToken } from './jwks-server.ts'
import { EXPECTED_MATRIX } from './role-matrix.ts'

const UUID = /^[0-9a-f-]{36}$/

async function problemOf(res: Response) {
  assert.equal(res.headers.get('content-type'), 'application/problem+json; charset=utf-8')
  const body = (await res.json()) as { status: number; code: string; detail: string; requestId: string }
  assert.equal(body.status, res.status)
  assert.equal(body.requestId, res.headers.get('x-request-id'))
  assert.match(body.requestId, UUID)
  return body
}

describe('authentication over HTTP', () => {
  it('refuses every non-public route without credentials: 401, problem+json, a Bearer challenge', async (t) => {
    const s = await startAuthServer(t)
    const calls = [
      ...s.routes.map((route) => route.replace(':id', 'r-1')),
      'GET /no/such/route',
      'DELETE /v1/requests',
    ]
    assert.equal(calls.length, PERMISSIONS.length + 4)
    for (const call of calls) {
      const [method = '', path = ''] = call.split(' ')
      const res = await s.call(path, { method })
      assert.equal(res.status, 401, call)
      assert.equal(res.headers.get('www-authenticate'), 'Bearer realm="jitgate"', call)
      const body = await problemOf(res)
      assert.equal(body.code, 'authentication_required', call)
      assert.equal(
        body.detail,
        'this route needs credentials: send Authorization: Bearer with an API key or an OIDC token',
      )
    }
    assert.deepEqual(s.attempts, [], 'a call without credentials is not a failed login')
  })

  it('refuses before the body is read: a bad body without credentials is a 401, not a 400', async (t) => {
    const s = await startAuthServer(t)
    const res = await s.call('/v1/requests', {
      method: 'POST',
      body: '{not json',
      headers: { 'content-type': 'application/json' },
    })
    assert.equal(res.status, 401)
  })

  it('serves public routes without credentials, with no principal', async (t) => {
    const s = await startAuthServer(t)
    const res = await s.call('/healthz', { token: 'garbage' })
    assert.equal(res.status, 200)
    assert.deepEqual(await res.json(), { status: 'ok', principal: null })
  })

  it('answers the whole role × permission matrix: allowed, or 403 naming the permission', async (t) => {
    const s = await startAuthServer(t)
    for (const role of ROLES) {
      for (const permission of PERMISSIONS) {
        const allowed = EXPECTED_MATRIX[permission].includes(role)
        await t.test(`${role} ${allowed ? 'may' : 'may not'} ${permission}`, async () => {
          const res = await s.call(`/v1/check/${permission}`, { token: s.tokens[role] })
          if (allowed) {
            assert.equal(res.status, 200)
            assert.deepEqual(await res.json(), {
              principal: {
                id: `${role}-user`,
                kind: 'api_key',
                roles: [role],
                groups: [`${role}s`],
                keyId: s.keyIds[role],
              },
            })
            return
          }
          assert.equal(res.status, 403)
          assert.equal(res.headers.get('www-authenticate'), null)
          const body = await problemOf(res)
          assert.equal(body.code, 'permission_denied')
          assert.equal(body.detail, `this route needs the permission ${permission}, which you do not have`)
        })
      }
    }
    assert.deepEqual(s.attempts, [])
  })

  it('holds a scoped key to its scopes', async (t) => {
    const s = await startAuthServer(t)
    assert.equal((await s.call('/v1/requests/r-1', { token: s.tokens.scoped })).status, 200)
    const denied = await s.call('/v1/requests', {
      method: 'POST',
      token: s.tokens.scoped,
      body: JSON.stringify({ resource: 'x' }),
      headers: { 'content-type': 'application/json' },
    })
    assert.equal(denied.status, 403)
    assert.equal((await problemOf(denied)).code, 'permission_denied')
  })

  it('authenticates an OIDC token, its groups mapped to roles', async (t) => {
    const s = await startAuthServer(t, { oidc: true })
    const key = s.jwks?.key
    assert.ok(key)
    const token = await signToken(key, { sub: 'dana', groups: ['sec-team'] }, s.clock.now())
    const res = await s.call('/v1/check/request.approve', { token })
    assert.equal(res.status, 200)
    assert.deepEqual(await res.json(), {
      principal: { id: 'dana', kind: 'oidc', roles: ['requester', 'approver'], groups: ['sec-team'] },
    })
    const wrong = await signToken(key, { sub: 'dana' }, s.clock.now(), { audience: 'another-api' })
    const refused = await s.call('/v1/check/request.read', { token: wrong })
    assert.equal(refused.status, 401)
    assert.equal((await problemOf(refused)).code, 'invalid_credentials')
    assert.deepEqual(
      s.attempts.map((a) => [a.reason, a.credential]),
      [['token_audience', 'oidc']],
    )
  })

  it('tells a client what it may know of each bad credential, and reports the precise reason', async (t) => {
    const s = await startAuthServer(t)
    const invalid = 'Bearer realm="jitgate", error="invalid_token"'
    const badSecret = `${s.tokens.requester.slice(0, -2)}${s.tokens.requester.endsWith('AA') ? 'BB' : 'AA'}`
    const cases: [string, string, string, string, string, string | undefined][] = [
      [
        'Basic scheme',
        'Basic YWxpY2U6c2VjcmV0',
        'invalid_credentials',
        'Bearer realm="jitgate", error="invalid_request"',
        'header_malformed',
        undefined,
      ],
      [
        'Bearer without a token',
        'Bearer',
        'invalid_credentials',
        'Bearer realm="jitgate", error="invalid_request"',
        'header_malformed',
        undefined,
      ],
      [
        'two tokens',
        'Bearer a b',
        'invalid_credentials',
        'Bearer realm="jitgate", error="invalid_request"',
        'header_malformed',
        undefined,
      ],
      ['a malformed API key', 'Bearer jg_short', 'invalid_credentials', invalid, 'key_malformed', undefined],
      [
        'an unknown key id',
        `Bearer jg_0000000000000000_${'A'.repeat(43)}`,
        'invalid_credentials',
        invalid,
        'key_unknown',
        '0000000000000000',
      ],
      [
        'a wrong secret',
        `Bearer ${badSecret}`,
        'invalid_credentials',
        invalid,
        'key_mismatch',
        s.keyIds.requester,
      ],
      [
        'an expired key',
        `Bearer ${s.tokens.expired}`,
        'credentials_expired',
        invalid,
        'key_expired',
        s.keyIds.expired,
      ],
      [
        'a revoked key',
        `Bearer ${s.tokens.revoked}`,
        'credentials_revoked',
        invalid,
        'key_revoked',
        s.keyIds.revoked,
      ],
      [
        'a JWT without an identity provider',
        'Bearer eyJhbGciOiJSUzI1NiJ9.e30.c2ln',
        'invalid_credentials',
        invalid,
        'oidc_disabled',
        undefined,
      ],
    ]
    for (const [name, authorization, code, challenge, reason, keyId] of cases) {
      s.attempts.length = 0
      const res = await s.call('/v1/check/request.read', { authorization })
      assert.equal(res.status, 401, name)
      assert.equal(res.headers.get('www-authenticate'), challenge, name)
      assert.equal((await problemOf(res)).code, code, name)
      assert.deepEqual(
        s.attempts.map((a) => [a.reason, a.keyId]),
        [[reason, keyId]],
        name,
      )
    }
  })

  const undeclared: [string, Record<string, unknown>, RegExp][] = [
    [
      'declares nothing',
      {},
      /^the route GET \/x declares no config.permission: add one, or config: \{ public: true \} or \{ authenticated: true \}$/,
    ],
    [
      'names an unknown permission',
      { permission: 'everything' },
      /declares config.permission 'everything', which is not a permission$/,
    ],
    [
      'is both public and permissioned',
      { public: true, permission: 'audit.read' },
      /declares both config.public and config.permission/,
    ],
  ]
  for (const [name, config, message] of undeclared) {
    it(`refuses to start with a route that ${name}`, async () => {
      const app = Fastify()
      await app.register(
        authentication({
          authenticator: { authenticate: async () => ({ outcome: 'none' }) },
          limiter: { retryAfterSeconds: () => 0, recordFailure: () => undefined },
          now: () => new Date(),
          onFailedLogin: () => undefined,
        }),
      )
      assert.throws(
        () => app.get('/x', { config }, async () => 'x'),
        (error: Error & { code?: string }) => {
          assert.equal(error.code, 'auth_route_undeclared')
          assert.match(error.message, message)
          return true
        },
      )
      await app.close()
    })
  }
})
