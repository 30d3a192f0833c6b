// What the authentication plugin does under attack and failure, over real HTTP: failed
// attempts per address are limited (429 before credentials are checked), failed logins are
// reported and logged without any secret, and an identity provider that is down is a 503
// that blames no one.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { checkDraft, redactDetails } from '../../src/audit/index.ts'
import { failedLoginDraft, parseApiKey } from '../../src/auth/index.ts'
import { T0 } from './auth-fixtures.ts'
import { startAuthServer } from './auth-server.ts'
import { signToken } from './jwks-server.ts'

const WRONG = `jg_0000000000000000_${'A'.repeat(43)}`

describe('authentication under attack', () => {
  it('refuses an address with 429 once it failed too often, valid keys included, until the window passes', async (t) => {
    const s = await startAuthServer(t, { limit: { maxFailures: 3, windowMs: 60_000 } })
    const read = (token: string) => s.call('/v1/check/request.read', { token })
    // Successes never count.
    for (let i = 0; i < 10; i++) assert.equal((await read(s.tokens.requester)).status, 200)
    for (let i = 0; i < 3; i++) assert.equal((await read(WRONG)).status, 401)
    s.clock.advance(15)
    const limited = await read(s.tokens.requester)
    assert.equal(limited.status, 429)
    assert.equal(limited.headers.get('retry-after'), '45')
    assert.equal(limited.headers.get('content-type'), 'application/problem+json; charset=utf-8')
    assert.deepEqual(await limited.json(), {
      type: 'https://jitgate.dev/problems/auth-rate-limited',
      title: 'Too Many Requests',
      status: 429,
      code: 'auth_rate_limited',
      detail: 'too many failed authentications from this address; try again in 45 s',
      instance: '/v1/check/request.read',
      requestId: limited.headers.get('x-request-id'),
    })
    // Refused without being checked: not reported again.
    assert.equal((await read(WRONG)).status, 429)
    assert.equal(s.attempts.length, 3)
    // Public routes stay open.
    assert.equal((await s.call('/healthz')).status, 200)
    s.clock.advance(45)
    assert.equal((await read(s.tokens.requester)).status, 200)
  })

  it('does not count calls without credentials, nor refusals for a missing permission', async (t) => {
    const s = await startAuthServer(t, { limit: { maxFailures: 1, windowMs: 60_000 } })
    for (let i = 0; i < 3; i++) {
      assert.equal((await s.call('/v1/check/request.read')).status, 401)
      assert.equal((await s.call('/v1/check/audit.read', { token: s.tokens.requester })).status, 403)
    }
    assert.equal((await s.call('/v1/check/request.read', { token: s.tokens.requester })).status, 200)
  })

  it('reports each failed login with its reason, key id, address and route, and never a secret', async (t) => {
    const s = await startAuthServer(t, { oidc: true })
    const secret = parseApiKey(s.tokens.revoked)?.secret ?? 'missing'
    const key = s.jwks?.key
    assert.ok(key)
    const expiredJwt = await signToken(key, { sub: 'dana' }, new Date(T0.getTime() - 3_600_000))
    await s.call('/v1/requests/r-42?token=abc', {
      token: s.tokens.revoked,
      headers: { 'user-agent': 'curl/8.5' },
    })
    await s.call('/v1/check/request.read', { token: expiredJwt })
    assert.deepEqual(s.attempts, [
      {
        reason: 'key_revoked',
        credential: 'api_key',
        keyId: s.keyIds.revoked,
        ip: '127.0.0.1',
        userAgent: 'curl/8.5',
        method: 'GET',
        route: '/v1/requests/:id',
        at: s.clock.now().toISOString(),
      },
      {
        reason: 'token_expired',
        credential: 'oidc',
        ip: '127.0.0.1',
        userAgent: 'auth-test/1.0',
        method: 'GET',
        route: '/v1/check/request.read',
        at: s.clock.now().toISOString(),
      },
    ])
    const [first] = s.attempts
    assert.ok(first)
    const draft = failedLoginDraft(first)
    checkDraft(draft)
    assert.deepEqual(draft, {
      actor: { type: 'user', id: 'unauthenticated' },
      type: 'auth.failed',
      subject: { type: 'api_key', id: s.keyIds.revoked },
      details: {
        reason: 'key_revoked',
        kind: 'api_key',
        ip: '127.0.0.1',
        method: 'GET',
        route: '/v1/requests/:id',
        userAgent: 'curl/8.5',
      },
    })
    // The audit log's redaction leaves it whole: nothing in it looks like a secret.
    assert.deepEqual(redactDetails(draft.details ?? {}), draft.details)
    const reported = JSON.stringify([s.attempts, s.attempts.map(failedLoginDraft)])
    for (const leak of [secret, expiredJwt, expiredJwt.split('.')[2] ?? 'x'])
      assert.equal(reported.includes(leak), false)
  })

  it('keeps tokens out of the logs, also at trace level', async (t) => {
    const s = await startAuthServer(t, { oidc: true })
    const key = s.jwks?.key
    assert.ok(key)
    const jwt = await signToken(key, { sub: 'dana' }, s.clock.now())
    await s.call('/v1/check/request.read', { token: s.tokens.requester })
    await s.call('/v1/check/request.read', { token: jwt })
    await s.call('/v1/check/request.read', { token: s.tokens.expired })
    await s.call('/v1/check/audit.read', { token: s.tokens.requester })
    const logs = s.logs.join('')
    for (const token of [s.tokens.requester, s.tokens.expired, jwt]) {
      assert.equal(logs.includes(token), false)
      assert.equal(logs.includes(token.slice(-20)), false)
    }
    const lines = s.logs.map((line) => JSON.parse(line) as Record<string, unknown>)
    const failed = lines.find((line) => line.msg === 'authentication failed')
    assert.deepEqual(
      { reason: failed?.reason, credential: failed?.credential, keyId: failed?.keyId },
      { reason: 'key_expired', credential: 'api_key', keyId: s.keyIds.expired },
    )
    const denied = lines.find((line) => line.msg === 'permission denied')
    assert.deepEqual(
      { principal: denied?.principal, permission: denied?.permission },
      {
        principal: 'requester-user',
        permission: 'audit.read',
      },
    )
  })

  it('still refuses when the failed login cannot be reported, and logs that it could not', async (t) => {
    const s = await startAuthServer(t, {
      onFailedLogin: async () => {
        throw new Error('audit store down')
      },
    })
    const res = await s.call('/v1/check/request.read', { token: WRONG })
    assert.equal(res.status, 401)
    const lines = s.logs.map((line) => JSON.parse(line) as { msg?: string; reason?: string; level?: number })
    const lost = lines.find((line) => line.msg === 'a failed login could not be audited')
    assert.deepEqual([lost?.level, lost?.reason], [50, 'key_unknown'])
  })

  it('answers 503 when the identity provider is down, without counting or reporting a failure', async (t) => {
    const s = await startAuthServer(t, { oidc: true, limit: { maxFailures: 1, windowMs: 60_000 } })
    const key = s.jwks?.key
    assert.ok(key)
    await s.jwks?.server.stop()
    const token = await signToken(key, { sub: 'dana' }, s.clock.now())
    for (let i = 0; i < 2; i++) {
      const res = await s.call('/v1/check/request.read', { token })
      assert.equal(res.status, 503)
      const body = (await res.json()) as { code: string; detail: string }
      assert.deepEqual(body.code, 'auth_unavailable')
      assert.equal(body.detail, 'the identity provider cannot be reached to check the token; try again')
    }
    assert.deepEqual(s.attempts, [])
    assert.equal((await s.call('/v1/check/request.read', { token: s.tokens.requester })).status, 200)
  })
})
