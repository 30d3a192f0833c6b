// The auth configuration: defaults, and every problem listed at once.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { resolveAuthConfig } from '../../src/auth/index.ts'

const OIDC = {
  issuer: 'https://idp.example/realms/corp',
  audience: 'jitgate',
  jwksUri: 'https://idp.example/jwks',
}

function problems(config: unknown): { path?: string; message: string }[] {
  try {
    resolveAuthConfig(config)
  } catch (error) {
    assert.equal((error as { code?: string }).code, 'config_invalid')
    return ((error as { details: { path?: string; message: string }[] }).details ?? []).map(
      ({ path, message }) => ({
        path,
        message,
      }),
    )
  }
  assert.fail('the configuration was accepted')
}

describe('auth configuration', () => {
  it('applies the defaults: 90-day keys of at most a year, 20 failures a minute, no identity provider', () => {
    assert.deepEqual(resolveAuthConfig({}), {
      apiKeys: { defaultTtlSeconds: 90 * 86_400, maxTtlSeconds: 365 * 86_400 },
      failureLimit: { maxFailures: 20, windowMs: 60_000 },
    })
  })

  it('maps an identity provider with its defaults', () => {
    const settings = resolveAuthConfig({ oidc: OIDC })
    assert.deepEqual(settings.oidc, {
      ...OIDC,
      audience: ['jitgate'],
      algorithms: ['RS256', 'ES256', 'EdDSA', 'Ed25519'],
      clockToleranceSeconds: 30,
      userIdClaim: 'sub',
      groupRoles: {},
      defaultRoles: ['requester'],
    })
  })

  it('allows keys that never expire only when maxTtl is none', () => {
    assert.equal(resolveAuthConfig({ apiKeys: { maxTtl: 'none' } }).apiKeys.maxTtlSeconds, null)
  })

  it('accepts plain http for the JWKS on a loopback address only', () => {
    assert.equal(
      resolveAuthConfig({ oidc: { ...OIDC, jwksUri: 'http://127.0.0.1:8080/jwks' } }).oidc?.jwksUri,
      'http://127.0.0.1:8080/jwks',
    )
    assert.deepEqual(problems({ oidc: { ...OIDC, jwksUri: 'http://idp.example/jwks' } }), [
      { path: 'auth/oidc/jwksUri', message: 'must use https (http only on a loopback address)' },
    ])
  })

  it('lists every problem of the values at once', () => {
    assert.deepEqual(
      problems({
        apiKeys: { defaultTtl: '2y', maxTtl: '10d' },
        oidc: { ...OIDC, algorithms: ['HS256'], groupRoles: { ops: ['root'] } },
        rateLimit: { maxFailures: 0 },
        extra: true,
      }).map((p) => p.path),
      [
        'auth/extra',
        'auth/apiKeys/defaultTtl',
        'auth/oidc/algorithms/0',
        'auth/oidc/groupRoles/ops/0',
        'auth/rateLimit/maxFailures',
      ],
    )
  })

  it('lists the problems of durations that parse but do not fit', () => {
    assert.deepEqual(
      problems({ apiKeys: { defaultTtl: '30d', maxTtl: '7d' }, rateLimit: { window: '0s' } }),
      [
        { path: 'auth/apiKeys/defaultTtl', message: 'is longer than apiKeys.maxTtl' },
        { path: 'auth/rateLimit/window', message: 'must be at least 1 s' },
      ],
    )
  })
})
