// Redaction against adversarial details: secrets under odd keys and inside text, personal
// data at any depth, values JSON cannot carry, hostile shapes. The input is never changed.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { canonicalJson } from './canonical-json.ts'
import { PERSONAL, REDACTED, redactDetails, TOO_DEEP, UNSUPPORTED } from './redact-details.ts'

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const item of Object.values(value)) deepFreeze(item)
    Object.freeze(value)
  }
  return value
}

describe('redactDetails: secrets', () => {
  const secretKeys = [
    'password',
    'Password',
    'PASSWORD',
    'user_password',
    'passwd',
    'x-api-key',
    'apiKey',
    'API_KEY',
    'Authorization',
    'proxy-authorization',
    'Set-Cookie',
    'access_token',
    'refreshToken',
    'client_secret',
    'aws_secret_access_key',
    'ｐａｓｓｗｏｒｄ',
    'p.a.s.s.w.o.r.d',
    'otp',
    'PIN',
    'private-key',
    'sessionId',
  ]
  for (const key of secretKeys) {
    it(`redacts the value under '${key}'`, () => {
      assert.deepEqual(redactDetails({ [key]: 'hunter2', kept: 1 }), { [key]: REDACTED, kept: 1 })
    })
  }

  for (const key of ['footprint', 'author', 'keyboard', 'monkey', 'spinner', 'passenger', 'rows']) {
    it(`keeps the value under '${key}'`, () => {
      assert.deepEqual(redactDetails({ [key]: 'visible' }), { [key]: 'visible' })
    })
  }

  it('redacts whole objects and arrays under a secret key, at any depth, in arrays too', () => {
    const input = deepFreeze({
      requests: [{ headers: { Authorization: { scheme: 'Bearer', value: 'abc' }, accept: 'json' } }],
      credentials: ['a', 'b'],
    })
    assert.deepEqual(redactDetails(input), {
      requests: [{ headers: { Authorization: REDACTED, accept: 'json' } }],
      credentials: REDACTED,
    })
  })

  const texts: [string, string, string][] = [
    ['a bearer token', 'sent Bearer eyJhbGciOi.abc.def', REDACTED],
    ['a JWT', 'token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig', REDACTED],
    ['a private key', '-----BEGIN RSA PRIVATE KEY-----\nMIIE…', REDACTED],
    ['a password in a URL', 'postgres://app:s3cr3t@db:5432/prod', `postgres://app:${REDACTED}@db:5432/prod`],
    ['a connection string', 'host=db password=hunter2 user=app', `host=db password=${REDACTED} user=app`],
    ['a query string', '/login?user=bob&token=abc123&next=/', `/login?user=bob&token=${REDACTED}&next=/`],
    ['a SQL password', "ALTER ROLE app PASSWORD 'hunter2'", `ALTER ROLE app PASSWORD ${REDACTED}`],
    ['ordinary text', 'select * from users where id = $1', 'select * from users where id = $1'],
  ]
  for (const [what, text, expected] of texts) {
    it(`cuts ${what} out of text under any key`, () => {
      assert.deepEqual(redactDetails({ note: text }), { note: expected })
    })
  }
})

describe('redactDetails: personal data', () => {
  const rules = { personalKeys: ['email', 'phone', 'ssn'] }

  it('masks values under personal keys, in any casing, at any depth', () => {
    const input = deepFreeze({
      userEmail: 'bob@example.com',
      contact: { Phone: 5551234, 'e-mail': 'x@y.z' },
      emails: ['a@b.c', 'd@e.f'],
      email_verified: true,
      ssn: { area: 123, serial: 4567 },
      rows: 3,
    })
    assert.deepEqual(redactDetails(input, rules), {
      userEmail: PERSONAL,
      contact: { Phone: PERSONAL, 'e-mail': PERSONAL },
      emails: [PERSONAL, PERSONAL],
      email_verified: true,
      ssn: PERSONAL,
      rows: 3,
    })
  })

  it('uses the pseudonym function when given one', () => {
    const pseudonymize = (value: string) => `p_${value.length}`
    assert.deepEqual(
      redactDetails({ email: 'bob@example.com', phones: [555, '556'] }, { ...rules, pseudonymize }),
      {
        email: 'p_15',
        phones: ['p_3', 'p_3'],
      },
    )
  })

  it('masks nothing as personal unless configured, but always redacts secrets', () => {
    assert.deepEqual(redactDetails({ email: 'bob@example.com', password: 'x' }), {
      email: 'bob@example.com',
      password: REDACTED,
    })
  })
})

describe('redactDetails: hostile shapes', () => {
  it('turns what JSON cannot carry into plain JSON', () => {
    class Thing {}
    const input = {
      nan: Number.NaN,
      inf: Number.POSITIVE_INFINITY,
      big: 12n,
      when: new Date('2026-11-23T14:00:00.000Z'),
      bad: new Date(Number.NaN),
      fn: () => 1,
      undef: undefined,
      sym: Symbol('s'),
      map: new Map([[1, 2]]),
      thing: new Thing(),
      list: [undefined, () => 1, 1],
    }
    assert.deepEqual(redactDetails(input), {
      nan: null,
      inf: null,
      big: '12',
      when: '2026-11-23T14:00:00.000Z',
      bad: null,
      map: UNSUPPORTED,
      thing: UNSUPPORTED,
      list: [null, null, 1],
    })
  })

  it('keeps __proto__ as data and pollutes nothing', () => {
    const input = JSON.parse('{"__proto__": {"isAdmin": true, "token": "t"}, "a": 1}')
    const out = redactDetails(input)
    assert.equal(Object.getPrototypeOf(out), Object.prototype)
    assert.deepEqual(Object.keys(out), ['__proto__', 'a'])
    assert.equal(canonicalJson(out), `{"__proto__":{"isAdmin":true,"token":"${REDACTED}"},"a":1}`)
    assert.equal(({} as { isAdmin?: boolean }).isAdmin, undefined)
  })

  it('replaces lone surrogates, in keys and values, and bounds long text', () => {
    const out = redactDetails({ 'k\ud800': 'v\udc00', long: 'x'.repeat(3000), cut: `${'y'.repeat(2047)}😀` })
    assert.equal(out['k\ufffd'], 'v\ufffd')
    assert.equal(out.long, `${'x'.repeat(2048)}…`)
    assert.equal(out.cut, `${'y'.repeat(2047)}\ufffd…`)
  })

  it('stops at the depth limit, so cycles end too', () => {
    const cycle: Record<string, unknown> = { name: 'loop' }
    cycle.self = cycle
    const out = redactDetails({ cycle }, { maxDepth: 3 })
    assert.deepEqual(out, {
      cycle: { name: 'loop', self: { name: 'loop', self: { name: 'loop', self: TOO_DEEP } } },
    })
  })

  it('keeps at most maxItems of an array or object', () => {
    const out = redactDetails({ list: Array.from({ length: 5 }, (_, i) => i) }, { maxItems: 3 })
    assert.deepEqual(out, { list: [0, 1, 2, '[2 more items]'] })
    assert.equal(Object.keys(redactDetails({ a: 1, b: 2, c: 3, d: 4 }, { maxItems: 3 })).length, 3)
  })

  it('always returns details the chain can encode', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string({ unit: 'binary' }), fc.anything()), (input) => {
        canonicalJson(redactDetails(input, { personalKeys: ['email'] }))
      }),
    )
  })

  it('never lets a secret under a secret key through, wherever it is planted', () => {
    const planted = fc.letrec((tie) => ({
      node: fc.oneof(
        { depthSize: 'small' },
        fc.constant({ Api_Token: 'SECRET-VALUE' }),
        fc.array(tie('node'), { minLength: 1, maxLength: 3 }),
        fc.dictionary(fc.string(), tie('node'), { minKeys: 1, maxKeys: 3 }),
      ),
    })).node
    fc.assert(
      fc.property(planted, (node) => {
        assert.equal(canonicalJson(redactDetails({ node }, { maxDepth: 50 })).includes('SECRET-VALUE'), false)
      }),
    )
  })
})
