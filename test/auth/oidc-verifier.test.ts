// OIDC tokens verified against a real JWKS endpoint on 127.0.0.1: accepted tokens map to
// a principal; every kind of bad token is refused with its own reason; an endpoint that
// fails is neither acceptance nor refusal.
import assert from 'node:assert/strict'
import { createHmac } from 'node:crypto'
import { describe, it, type TestContext } from 'node:test'
import {
  AuthUnavailableError,
  DEFAULT_OIDC_ALGORITHMS,
  type OidcSettings,
  OidcVerifier,
  remoteJwks,
} from '../../src/auth/index.ts'
import { T0 } from './auth-fixtures.ts'
import {
  AUDIENCE,
  ISSUER,
  type JwksServer,
  type SigningKey,
  signingKey,
  signToken,
  startJwksServer,
  unsignedToken,
} from './jwks-server.ts'

const SETTINGS: Omit<OidcSettings, 'jwksUri'> = {
  issuer: ISSUER,
  audience: [AUDIENCE, 'other-api'],
  algorithms: DEFAULT_OIDC_ALGORITHMS,
  clockToleranceSeconds: 30,
  userIdClaim: 'email',
  groupsClaim: 'realm_access.roles',
  groupRoles: { 'sec-team': ['approver'], dpo: ['auditor', 'approver'] },
  defaultRoles: ['requester'],
}
const CLAIMS = { sub: 'u-123', email: 'alice@example.com', realm_access: { roles: ['sec-team', 'eng'] } }
const NOW_S = Math.floor(T0.getTime() / 1000)
// Made once: RSA key generation is the slow part of these tests.
const KEYS: [SigningKey, ...SigningKey[]] = [
  await signingKey('rsa-1'),
  await signingKey('ec-1', 'ES256'),
  await signingKey('ed-1', 'EdDSA'),
]
const STRANGER = await signingKey('x')

interface Setup {
  readonly server: JwksServer
  readonly rsa: SigningKey
  readonly verifier: OidcVerifier
  verify(token: string | Promise<string>): ReturnType<OidcVerifier['verify']>
}

async function setUp(
  t: TestContext,
  settings: Partial<OidcSettings> = {},
  jwks: Parameters<typeof remoteJwks>[1] = {},
): Promise<Setup> {
  const [rsa] = KEYS
  const server = await startJwksServer(t, [...KEYS])
  const verifier = new OidcVerifier(
    { ...SETTINGS, jwksUri: server.uri, ...settings },
    remoteJwks(server.uri, { timeoutMs: 500, ...jwks }),
  )
  return { server, rsa, verifier, verify: async (token) => verifier.verify(await token, T0) }
}

describe('OIDC verifier', () => {
  it('accepts a token and maps its claims: user id, nested groups, roles per group', async (t) => {
    const s = await setUp(t)
    assert.deepEqual(await s.verify(signToken(s.rsa, CLAIMS, T0)), {
      ok: true,
      principal: {
        id: 'alice@example.com',
        kind: 'oidc',
        roles: ['requester', 'approver'],
        groups: ['sec-team', 'eng'],
      },
    })
  })

  it('accepts ES256 and EdDSA keys of the set, and fetches the set once for many tokens', async (t) => {
    const s = await setUp(t)
    for (const key of s.server.keys) {
      const result = await s.verify(signToken(key, { ...CLAIMS, realm_access: { roles: ['dpo'] } }, T0))
      assert.deepEqual(result.ok && result.principal.roles, ['requester', 'approver', 'auditor'], key.alg)
    }
    assert.equal(s.server.fetches, 1)
  })

  it('accepts a token expired within the clock tolerance', async (t) => {
    const s = await setUp(t)
    assert.equal((await s.verify(signToken(s.rsa, CLAIMS, T0, { exp: NOW_S - 20 }))).ok, true)
  })

  it('follows key rotation: a new kid fetches the set again', async (t) => {
    const s = await setUp(t, {}, { cooldownMs: 0 })
    assert.equal((await s.verify(signToken(s.rsa, CLAIMS, T0))).ok, true)
    const next = await signingKey('rsa-2')
    s.server.keys = [next]
    assert.equal((await s.verify(signToken(next, CLAIMS, T0))).ok, true)
    assert.equal(s.server.fetches, 2)
  })

  const refusals: [string, (s: Setup) => Promise<string> | string, string][] = [
    [
      'another issuer',
      (s) => signToken(s.rsa, CLAIMS, T0, { issuer: 'https://evil.example' }),
      'token_issuer',
    ],
    ['another audience', (s) => signToken(s.rsa, CLAIMS, T0, { audience: 'someone-else' }), 'token_audience'],
    ['an expired token', (s) => signToken(s.rsa, CLAIMS, T0, { exp: NOW_S - 31 }), 'token_expired'],
    [
      'a token not valid yet',
      (s) => signToken(s.rsa, CLAIMS, T0, { nbf: NOW_S + 31 }),
      'token_not_yet_valid',
    ],
    ['a token without exp', (s) => signToken(s.rsa, CLAIMS, T0, { exp: null }), 'token_claims'],
    ['a token without the user id claim', (s) => signToken(s.rsa, { sub: 'u-1' }, T0), 'token_claims'],
    [
      'a user id with a control character',
      (s) => signToken(s.rsa, { email: 'alice\n[admin] granted' }, T0),
      'token_claims',
    ],
    [
      'a signature by another key under a known kid',
      (s) => signToken({ ...STRANGER, kid: s.rsa.kid }, CLAIMS, T0),
      'token_signature',
    ],
    [
      'changed claims under the original signature',
      async (s) => {
        const [header, , signature] = (await signToken(s.rsa, CLAIMS, T0)).split('.')
        const forged = Buffer.from(
          JSON.stringify({
            ...CLAIMS,
            iss: ISSUER,
            aud: AUDIENCE,
            exp: NOW_S + 60,
            email: 'root@example.com',
          }),
        )
        return `${header}.${forged.toString('base64url')}.${signature}`
      },
      'token_signature',
    ],
    ['an unknown kid', () => signToken(STRANGER, CLAIMS, T0), 'token_key_unknown'],
    [
      'alg none',
      () =>
        unsignedToken(
          { alg: 'none', kid: 'rsa-1' },
          { ...CLAIMS, iss: ISSUER, aud: AUDIENCE, exp: NOW_S + 60 },
        ),
      'token_algorithm',
    ],
    [
      'HS256 with the public key as the secret',
      (s) => {
        const header = Buffer.from(JSON.stringify({ alg: 'HS256', kid: 'rsa-1' })).toString('base64url')
        const body = Buffer.from(JSON.stringify({ ...CLAIMS, iss: ISSUER, aud: AUDIENCE, exp: NOW_S + 60 }))
        const input = `${header}.${body.toString('base64url')}`
        const mac = createHmac('sha256', JSON.stringify(s.rsa.jwk)).update(input).digest('base64url')
        return `${input}.${mac}`
      },
      'token_algorithm',
    ],
    [
      'an algorithm off the allowlist',
      async (s) => signToken(await signingKey(s.rsa.kid, 'RS512'), CLAIMS, T0),
      'token_algorithm',
    ],
    ['two parts', () => 'eyJhbGciOiJSUzI1NiJ9.e30', 'token_malformed'],
    ['parts that are not JSON', () => 'bm90.anNvbg.c2ln', 'token_malformed'],
    ['an API key', () => `jg_0123456789abcdef_${'A'.repeat(43)}`, 'token_malformed'],
  ]
  for (const [name, token, reason] of refusals) {
    it(`refuses ${name} (${reason})`, async (t) => {
      const s = await setUp(t)
      assert.deepEqual(await s.verify(token(s)), { ok: false, reason })
    })
  }

  const outages: [string, (server: JwksServer) => Promise<void> | void][] = [
    [
      'answers 500',
      (server) => {
        server.behaviour = 'fail'
      },
    ],
    [
      'does not answer in time',
      (server) => {
        server.behaviour = 'hang'
      },
    ],
    ['is down', (server) => server.stop()],
  ]
  for (const [name, breakIt] of outages) {
    it(`throws auth_unavailable when the JWKS endpoint ${name}`, async (t) => {
      const s = await setUp(t)
      await breakIt(s.server)
      await assert.rejects(s.verify(signToken(s.rsa, CLAIMS, T0)), (error: unknown) => {
        assert.ok(error instanceof AuthUnavailableError)
        assert.equal(error.code, 'auth_unavailable')
        assert.equal(error.status, 503)
        return true
      })
    })
  }
})
