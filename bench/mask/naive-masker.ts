// The baseline the masker is compared with: the same profile written the obvious way,
// a keyed object made per value (createHmac for pseudonyms, noble's aessiv for tokens).
import { createHmac, hkdfSync } from 'node:crypto'
import { aessiv } from '@noble/ciphers/aes.js'
import type { Row } from './rows.ts'

export function naiveMasker(master: Uint8Array): (row: Row) => Record<string, unknown> {
  const derive = (info: string, n: number): Uint8Array =>
    new Uint8Array(hkdfSync('sha256', master, 'naive', info, n))
  const analytics = derive('pseudonym/analytics', 32)
  const billing = derive('pseudonym/billing', 32)
  const support = derive('token/support', 64)
  const pseudonym = (key: Uint8Array, value: unknown): string =>
    `ps_${createHmac('sha256', key).update(String(value)).digest('hex').slice(0, 20)}`
  const mask = (text: string, first: number, last: number): string =>
    text.slice(0, first) +
    '*'.repeat(Math.max(0, text.length - first - last)) +
    text.slice(text.length - last)
  const encoder = new TextEncoder()
  return (row) => ({
    customer_id: pseudonym(analytics, row.customer_id),
    email: pseudonym(analytics, row.email),
    account_no: pseudonym(billing, row.account_no),
    full_name: mask(String(row.full_name), 1, 0),
    phone: mask(String(row.phone), 0, 4),
    ssn: '[redacted]',
    notes: '[removed]',
    card: `tok_${Buffer.from(aessiv(support).encrypt(encoder.encode(String(row.card)))).toString('base64url')}`,
    birth_date: String(row.birth_date).slice(0, 4),
    status: row.status,
  })
}
