// Pseudonyms: `ps_` and 16 base32 characters of HMAC-SHA-256 under the purpose's key.
// Keyed, so nobody without the key can confirm a guess (a bare hash of an email can
// be reversed by hashing a list of emails); deterministic per purpose, so joins
// across tables work within a purpose and not across purposes.
//
// Length: 16 base32 characters carry 80 bits. Among n distinct values the chance of
// any two sharing a pseudonym is about n² / 2^81: 4·10⁻⁷ for a billion values, 50 %
// only near 10^12. Longer pseudonyms would cost width in every exported table for
// no practical gain; a purpose that needs more can be given its own column type.
import type { HmacSha256 } from '../cipher/hmac-sha256.ts'
import { valueText } from './value-text.ts'

export const PSEUDONYM_PREFIX = 'ps_'
const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567'

export function pseudonymizer(hmac: HmacSha256): (value: unknown) => string {
  const c = Array.from(BASE32, (ch) => ch.charCodeAt(0))
  const at = (i: number): number => c[i & 31] as number
  return (value) => {
    const w = hmac.macString(valueText(value, 'pseudonym'))
    const a = w[0] as number
    const b = w[1] as number
    const d = (w[2] as number) >>> 16
    // The first 80 bits of the MAC (32 + 32 + 16), five at a time.
    return (
      PSEUDONYM_PREFIX +
      String.fromCharCode(
        at(a >>> 27),
        at(a >>> 22),
        at(a >>> 17),
        at(a >>> 12),
        at(a >>> 7),
        at(a >>> 2),
        at(((a & 3) << 3) | (b >>> 29)),
        at(b >>> 24),
        at(b >>> 19),
        at(b >>> 14),
        at(b >>> 9),
        at(b >>> 4),
        at(((b & 15) << 1) | (d >>> 15)),
        at(d >>> 10),
        at(d >>> 5),
        at(d),
      )
    )
  }
}
