// Standard Webhooks signatures: the spec's own published vector, and every way verification
// must refuse a message (missing headers, bad or stale timestamps, wrong or partial signatures).
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { newWebhookSecret, signWebhook, verifyWebhook } from '../../src/notify/index.ts'

// From the spec's reference library (standard-webhooks, libraries/javascript/src/webhook.test.ts).
const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'
const ID = 'msg_p5jXN8AQM9LWM0D4loKWxJek'
const TIMESTAMP = 1614265330
const BODY = '{"test": 2432232314}'
const SIGNATURE = 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE='
const AT = new Date(TIMESTAMP * 1000)

describe('Standard Webhooks signatures', () => {
  it("signs the spec's example exactly as the reference library does", () => {
    assert.deepEqual(signWebhook(SECRET, ID, TIMESTAMP, BODY), {
      'webhook-id': ID,
      'webhook-timestamp': String(TIMESTAMP),
      'webhook-signature': SIGNATURE,
    })
  })

  it('verifies it, with or without the whsec_ prefix, among other signatures', () => {
    const headers = signWebhook(SECRET, ID, TIMESTAMP, BODY)
    assert.equal(verifyWebhook(SECRET, headers, BODY, { now: AT }), ID)
    assert.equal(verifyWebhook(SECRET.slice('whsec_'.length), headers, BODY, { now: AT }), ID)
    const several = `v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc= v2,x ${SIGNATURE}`
    assert.equal(verifyWebhook(SECRET, { ...headers, 'webhook-signature': several }, BODY, { now: AT }), ID)
  })

  const headers = signWebhook(SECRET, ID, TIMESTAMP, BODY)
  const refusals: [string, Record<string, string | undefined>, string, Date, string][] = [
    [
      'no id',
      { ...headers, 'webhook-id': undefined },
      BODY,
      AT,
      'a webhook-id, webhook-timestamp or webhook-signature header is missing',
    ],
    [
      'no timestamp',
      { ...headers, 'webhook-timestamp': undefined },
      BODY,
      AT,
      'a webhook-id, webhook-timestamp or webhook-signature header is missing',
    ],
    [
      'no signature',
      { ...headers, 'webhook-signature': undefined },
      BODY,
      AT,
      'a webhook-id, webhook-timestamp or webhook-signature header is missing',
    ],
    [
      'a timestamp that is not a number',
      { ...headers, 'webhook-timestamp': 'hello' },
      BODY,
      AT,
      'webhook-timestamp is not unix seconds',
    ],
    [
      'a message older than 5 minutes',
      headers,
      BODY,
      new Date(AT.getTime() + 301_000),
      'webhook-timestamp is too old',
    ],
    [
      'a message from the future',
      headers,
      BODY,
      new Date(AT.getTime() - 301_000),
      'webhook-timestamp is too far in the future',
    ],
    ['a changed body', headers, '{"test": 2432232315}', AT, 'no v1 signature matches'],
    ['a changed id', { ...headers, 'webhook-id': 'msg_other' }, BODY, AT, 'no v1 signature matches'],
    [
      'a garbage signature',
      { ...headers, 'webhook-signature': 'v1,dawfeoifkpqwoekfpqoekf' },
      BODY,
      AT,
      'no v1 signature matches',
    ],
    [
      'a partial signature',
      { ...headers, 'webhook-signature': SIGNATURE.slice(0, 8) },
      BODY,
      AT,
      'no v1 signature matches',
    ],
    ['an empty signature', { ...headers, 'webhook-signature': 'v1,' }, BODY, AT, 'no v1 signature matches'],
    [
      'the right value under another version',
      { ...headers, 'webhook-signature': SIGNATURE.replace('v1', 'v2') },
      BODY,
      AT,
      'no v1 signature matches',
    ],
  ]
  for (const [name, given, body, now, why] of refusals) {
    it(`refuses ${name}`, () => {
      assert.throws(
        () => verifyWebhook(SECRET, given, body, { now }),
        (error: Error & { code?: string; status?: number }) => {
          assert.equal(error.code, 'webhook_signature_invalid')
          assert.equal(error.status, 401)
          assert.equal(error.message, `the webhook is not authentic: ${why}`)
          return true
        },
      )
    })
  }

  it('accepts a message just inside the tolerance', () => {
    assert.equal(verifyWebhook(SECRET, headers, BODY, { now: new Date(AT.getTime() + 300_000) }), ID)
  })

  it('makes whsec_ secrets of 32 random bytes, and refuses short ones', () => {
    const secret = newWebhookSecret(() => new Uint8Array(32).fill(7))
    assert.equal(secret, `whsec_${Buffer.alloc(32, 7).toString('base64')}`)
    assert.throws(() => signWebhook('whsec_c2hvcnQ=', ID, TIMESTAMP, BODY), {
      code: 'webhook_signature_invalid',
      message: 'the webhook secret must be whsec_ and the base64 of 24 to 64 bytes',
    })
  })
})
