// Webhook signatures per Standard Webhooks (https://www.standardwebhooks.com): the secret is
// `whsec_` + base64 of random bytes; a message is signed as HMAC-SHA256(secret bytes,
// `${id}.${timestamp}.${body}`) and sent as `webhook-signature: v1,<base64>`, next to
// `webhook-id` and `webhook-timestamp` (unix seconds). `verifyWebhook` is what a receiver
// runs; jitgate ships it for its own tests and for receivers written in TypeScript.
import { createHmac, timingSafeEqual } from 'node:crypto'
import { NotifyError } from './notify-errors.ts'

const PREFIX = 'whsec_'
/** The spec asks for 24 to 64 bytes; 32 is what jitgate generates. */
export const SECRET_BYTES = 32
const MIN_SECRET_BYTES = 24
const MAX_SECRET_BYTES = 64
/** How far a timestamp may be from the receiver's clock, either way. */
export const DEFAULT_TOLERANCE_SECONDS = 5 * 60

/** A new secret from `randomBytes` (crypto-strong, injected). */
export function newWebhookSecret(randomBytes: (size: number) => Uint8Array): string {
  return PREFIX + Buffer.from(randomBytes(SECRET_BYTES)).toString('base64')
}

/** The HMAC key a secret stands for; a bare base64 secret (no prefix) is accepted as the spec's libraries do. */
export function secretKey(secret: string): Buffer {
  const text = secret.startsWith(PREFIX) ? secret.slice(PREFIX.length) : secret
  const key = /^[A-Za-z0-9+/]+={0,2}$/.test(text) ? Buffer.from(text, 'base64') : Buffer.alloc(0)
  if (key.length < MIN_SECRET_BYTES || key.length > MAX_SECRET_BYTES) {
    const rule = `must be whsec_ and the base64 of ${MIN_SECRET_BYTES} to ${MAX_SECRET_BYTES} bytes`
    throw new NotifyError('webhook_signature_invalid', `the webhook secret ${rule}`, [
      { path: 'secret', message: rule },
    ])
  }
  return key
}

/** The headers of one message: sign the exact bytes sent. */
export function signWebhook(
  secret: string,
  id: string,
  timestampSeconds: number,
  body: string,
): Record<'webhook-id' | 'webhook-timestamp' | 'webhook-signature', string> {
  return {
    'webhook-id': id,
    'webhook-timestamp': String(timestampSeconds),
    'webhook-signature': `v1,${signature(secretKey(secret), id, String(timestampSeconds), body)}`,
  }
}

function signature(key: Buffer, id: string, timestamp: string, body: string): string {
  return createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64')
}

export interface VerifyWebhookOptions {
  readonly now: Date
  readonly toleranceSeconds?: number
}

/**
 * Checks a received message: the three headers present, the timestamp within tolerance of
 * `now`, and one of the space-separated `v1,` signatures matching (constant-time). Throws
 * `webhook_signature_invalid` (401) saying which check failed; returns the message id.
 */
export function verifyWebhook(
  secret: string,
  headers: Readonly<Record<string, string | undefined>>,
  body: string,
  options: VerifyWebhookOptions,
): string {
  const id = headers['webhook-id']
  const timestamp = headers['webhook-timestamp']
  const signatures = headers['webhook-signature']
  if (id === undefined || id === '' || timestamp === undefined || signatures === undefined)
    throw refused('a webhook-id, webhook-timestamp or webhook-signature header is missing')
  if (!/^\d{1,12}$/.test(timestamp)) throw refused('webhook-timestamp is not unix seconds')
  const tolerance = options.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS
  const age = Math.floor(options.now.getTime() / 1000) - Number(timestamp)
  if (age > tolerance) throw refused('webhook-timestamp is too old')
  if (age < -tolerance) throw refused('webhook-timestamp is too far in the future')
  const expected = Buffer.from(signature(secretKey(secret), id, timestamp, body), 'base64')
  for (const entry of signatures.split(' ')) {
    const [version, value] = entry.split(',', 2)
    if (version !== 'v1' || value === undefined) continue
    const given = Buffer.from(value, 'base64')
    if (given.length === expected.length && timingSafeEqual(given, expected)) return id
  }
  throw refused('no v1 signature matches')
}

function refused(why: string): NotifyError {
  return new NotifyError('webhook_signature_invalid', `the webhook is not authentic: ${why}`)
}
