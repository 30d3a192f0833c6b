// TOTP step-up: RFC 6238's test vectors, the ±1 step window, replay refusal, enrolment.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { Secret, TOTP } from 'otpauth'
import { ApprovalError } from './errors.ts'
import { enrollTotp, type TotpSettings, verifyTotp } from './step-up.ts'

/** RFC 6238 appendix B: the seeds are ASCII digits, 20/32/64 bytes for SHA-1/256/512. */
const SEEDS = {
  SHA1: '12345678901234567890',
  SHA256: '12345678901234567890123456789012',
  SHA512: '1234567890123456789012345678901234567890123456789012345678901234',
} as const

const VECTORS: [number, string, keyof typeof SEEDS][] = [
  [59, '94287082', 'SHA1'],
  [59, '46119246', 'SHA256'],
  [59, '90693936', 'SHA512'],
  [1111111109, '07081804', 'SHA1'],
  [1111111109, '68084774', 'SHA256'],
  [1111111109, '25091201', 'SHA512'],
  [1111111111, '14050471', 'SHA1'],
  [1111111111, '67062674', 'SHA256'],
  [1111111111, '99943326', 'SHA512'],
  [1234567890, '89005924', 'SHA1'],
  [1234567890, '91819424', 'SHA256'],
  [1234567890, '93441116', 'SHA512'],
  [2000000000, '69279037', 'SHA1'],
  [2000000000, '90698825', 'SHA256'],
  [2000000000, '38618901', 'SHA512'],
  [20000000000, '65353130', 'SHA1'],
  [20000000000, '77737706', 'SHA256'],
  [20000000000, '47863826', 'SHA512'],
]

const base32 = (ascii: string): string => Secret.fromLatin1(ascii).base32
const seconds = (s: number): Date => new Date(s * 1000)
const RFC_SHA1 = base32(SEEDS.SHA1)
const EIGHT: TotpSettings = { algorithm: 'SHA1', digits: 8, period: 30 }

function refuses(fn: () => unknown, code: string, message: string): void {
  assert.throws(
    fn,
    (err: unknown) => err instanceof ApprovalError && err.code === code && err.message === message,
  )
}

describe('verifyTotp: RFC 6238 test vectors', () => {
  for (const [time, code, algorithm] of VECTORS) {
    it(`${algorithm} at ${time}s: ${code}`, () => {
      const settings: TotpSettings = { algorithm, digits: 8, period: 30 }
      const result = verifyTotp({ secret: base32(SEEDS[algorithm]), code, now: seconds(time), settings })
      assert.deepEqual(result, { counter: Math.floor(time / 30) })
    })
  }
})

describe('verifyTotp: window and replay', () => {
  // 94287082 is the code of time step 1 (30 s to 59 s).
  const check = (code: string, time: number, lastUsedCounter?: number) =>
    verifyTotp({
      secret: RFC_SHA1,
      code,
      now: seconds(time),
      settings: EIGHT,
      ...(lastUsedCounter === undefined ? {} : { lastUsedCounter }),
    })

  it('accepts a code one step early or late, not two', () => {
    assert.deepEqual(check('94287082', 0), { counter: 1 })
    assert.deepEqual(check('94287082', 89), { counter: 1 })
    refuses(
      () => check('94287082', 90),
      'step_up_failed',
      "the TOTP code is not valid; enter the current code and check your device's clock",
    )
  })

  it('refuses a code already used, and older ones, but takes the next', () => {
    const { counter } = check('94287082', 45)
    refuses(
      () => check('94287082', 50, counter),
      'step_up_replayed',
      'this TOTP code was already used; wait for the next code',
    )
    const previous = TOTP.generate({ secret: Secret.fromBase32(RFC_SHA1), digits: 8, timestamp: 15_000 })
    refuses(
      () => check(previous, 45, counter),
      'step_up_replayed',
      'this TOTP code was already used; wait for the next code',
    )
    const next = TOTP.generate({ secret: Secret.fromBase32(RFC_SHA1), digits: 8, timestamp: 75_000 })
    assert.deepEqual(check(next, 75, counter), { counter: 2 })
  })

  it('ignores spaces and refuses anything but the right number of digits', () => {
    assert.deepEqual(check('9428 7082', 45), { counter: 1 })
    for (const bad of ['9428708', '942870823', '9428708a', '', '٩٤٢٨٧٠٨٢'])
      refuses(() => check(bad, 45), 'step_up_failed', 'a TOTP code is 8 digits')
  })

  it('refuses a secret that is not base32', () => {
    refuses(
      () => verifyTotp({ secret: 'not base32!', code: '123456', now: seconds(45) }),
      'invalid_totp_secret',
      'the enrolled TOTP secret is not valid base32; enrol again',
    )
  })
})

describe('enrollTotp', () => {
  it('gives an otpauth URI with issuer jitgate and the secret in base32', () => {
    const enrolment = enrollTotp('alice', new TextEncoder().encode(SEEDS.SHA1))
    assert.deepEqual(enrolment, {
      secret: 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ',
      uri: 'otpauth://totp/jitgate:alice?issuer=jitgate&secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&algorithm=SHA1&digits=6&period=30',
    })
  })

  it('round-trips: a code from the enrolled secret verifies', () => {
    const bytes = Uint8Array.from({ length: 20 }, (_, i) => (i * 37 + 11) % 256)
    const { secret } = enrollTotp('alice', bytes)
    const code = TOTP.generate({ secret: Secret.fromBase32(secret), timestamp: 1_700_000_000_000 })
    assert.deepEqual(verifyTotp({ secret, code, now: new Date(1_700_000_000_000) }), {
      counter: Math.floor(1_700_000_000 / 30),
    })
  })

  it('refuses a short secret and a blank account', () => {
    refuses(
      () => enrollTotp('alice', new Uint8Array(15)),
      'invalid_totp_secret',
      'a TOTP secret needs at least 16 bytes',
    )
    refuses(
      () => enrollTotp(' ', new Uint8Array(20)),
      'invalid_event',
      'a TOTP enrolment needs an account name',
    )
  })
})
