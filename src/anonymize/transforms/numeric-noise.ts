// Deterministic noise: a number moved by up to ±percent of itself, by an amount keyed
// on the number (HMAC of its decimal text). The same value always gets the same
// noise, so averaging many releases of it does not remove the noise; a different
// value gets an unrelated amount. Results keep the input's decimal places, so a
// small integer can round back to itself: noise hides magnitude, not identity.
import type { HmacSha256 } from '../cipher/hmac-sha256.ts'
import { decimalsOf, numberOf } from './value-text.ts'

/** The noise function for one key and percentage; numbers stay numbers, numeric text stays text. */
export function numericNoise(hmac: HmacSha256, percent: number): (value: unknown) => number | string {
  const scale = percent / 100
  return (value) => {
    const x = numberOf(value, 'noise')
    const words = hmac.macString(String(x))
    // 53 bits of the MAC as a uniform fraction in [0, 1), then stretched to [-1, 1).
    const unit = (((words[0] as number) >>> 0) * 2 ** 21 + ((words[1] as number) >>> 11)) / 2 ** 53
    const decimals = decimalsOf(value)
    const factor = 10 ** decimals
    const noisy = Math.round((x + x * scale * (2 * unit - 1)) * factor) / factor
    return typeof value === 'string' ? noisy.toFixed(decimals) : noisy
  }
}
