// Step-up for approvers: TOTP codes (RFC 6238) from an authenticator app, enrolled by an
// otpauth:// URI. The HMAC and the constant-time comparison are the `otpauth` library's;
// this file adds our rules: one time step of clock drift either way, and no code is
// accepted twice (the caller keeps the last accepted time step and passes it in).
import { Secret, TOTP } from 'otpauth'
import { ApprovalError } from './errors.ts'
import { isoOf } from './instant.ts'

export const TOTP_ISSUER = 'jitgate'

export interface TotpSettings {
  readonly algorithm: 'SHA1' | 'SHA256' | 'SHA512'
  readonly digits: 6 | 8
  /** Seconds per time step. */
  readonly period: number
}

/** What authenticator apps support everywhere. */
export const DEFAULT_TOTP_SETTINGS: TotpSettings = { algorithm: 'SHA1', digits: 6, period: 30 }

/** RFC 4226 requires at least 128 bits of secret (and recommends 160). */
export const MIN_SECRET_BYTES = 16

export interface TotpEnrolment {
  /** Base32, as stored (encrypted, by the caller) and as shown for manual entry. */
  readonly secret: string
  /** `otpauth://totp/jitgate:<account>?…`, for a QR code. */
  readonly uri: string
}

/**
 * Enrols `account` with `secretBytes`, which the caller draws from a secure random source
 * (the core has no randomness of its own).
 */
export function enrollTotp(
  account: string,
  secretBytes: Uint8Array,
  settings: TotpSettings = DEFAULT_TOTP_SETTINGS,
): TotpEnrolment {
  if (secretBytes.length < MIN_SECRET_BYTES)
    throw new ApprovalError('invalid_totp_secret', `a TOTP secret needs at least ${MIN_SECRET_BYTES} bytes`, [
      { path: 'secret', message: `has ${secretBytes.length} bytes`, hint: 'use 20 random bytes' },
    ])
  if (account.trim() === '')
    throw new ApprovalError('invalid_event', 'a TOTP enrolment needs an account name', [
      { path: 'account', message: 'is required and must not be blank' },
    ])
  const secret = new Secret({ buffer: secretBytes.slice().buffer })
  const totp = new TOTP({ issuer: TOTP_ISSUER, label: account, secret, ...settings })
  return { secret: secret.base32, uri: totp.toString() }
}

export interface TotpCheck {
  /** The enrolled secret, base32. */
  readonly secret: string
  /** What the approver typed; spaces are ignored (apps show `123 456`). */
  readonly code: string
  readonly now: Date
  /** The time step of the last code accepted for this secret, if any. */
  readonly lastUsedCounter?: number
  readonly settings?: TotpSettings
}

function parseSecret(base32: string): Secret {
  try {
    return Secret.fromBase32(base32)
  } catch {
    throw new ApprovalError(
      'invalid_totp_secret',
      'the enrolled TOTP secret is not valid base32; enrol again',
    )
  }
}

/**
 * Accepts a code for the current time step or the one before or after it, provided it is
 * newer than `lastUsedCounter`. Returns the accepted time step: store it as the new
 * `lastUsedCounter`, in the same transaction as the approval it confirms.
 */
export function verifyTotp(check: TotpCheck): { readonly counter: number } {
  const settings = check.settings ?? DEFAULT_TOTP_SETTINGS
  const timestamp = new Date(isoOf(check.now)).getTime()
  const code = check.code.replace(/\s/g, '')
  if (!/^[0-9]+$/.test(code) || code.length !== settings.digits)
    throw new ApprovalError('step_up_failed', `a TOTP code is ${settings.digits} digits`, [
      { path: 'code', message: `must be ${settings.digits} digits` },
    ])
  const secret = parseSecret(check.secret)
  const current = TOTP.counter({ period: settings.period, timestamp })
  // Check all three steps, not just the first match, so that a used code for one step
  // does not hide a fresh match for another (and the work done does not depend on the code).
  const matches = [-1, 0, 1].filter(
    (delta) =>
      TOTP.validate({
        token: code,
        secret,
        ...settings,
        timestamp: timestamp + delta * settings.period * 1000,
        window: 0,
      }) === 0,
  )
  const last = check.lastUsedCounter ?? Number.NEGATIVE_INFINITY
  const fresh = matches.map((delta) => current + delta).filter((counter) => counter > last)
  const counter = fresh[fresh.length - 1]
  if (counter !== undefined) return { counter }
  if (matches.length > 0)
    throw new ApprovalError('step_up_replayed', 'this TOTP code was already used; wait for the next code', [
      { path: 'code', message: 'was already used' },
    ])
  throw new ApprovalError(
    'step_up_failed',
    "the TOTP code is not valid; enter the current code and check your device's clock",
    [{ path: 'code', message: 'does not match' }],
  )
}
