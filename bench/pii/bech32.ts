// Bech32 (BIP 173) encoding of random version-0 witness programs: valid `bc1q…`
// addresses for the evaluation set, written apart from the detector's checker.
import type { Prng } from '../policy/prng.ts'

const CHARSET = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l'

function polymod(values: readonly number[]): number {
  const gen = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3]
  let chk = 1
  for (const v of values) {
    const b = chk >>> 25
    chk = ((chk & 0x1ffffff) << 5) ^ v
    for (let i = 0; i < 5; i++) if ((b >>> i) & 1) chk ^= gen[i] ?? 0
  }
  return chk >>> 0
}

export function bech32Address(rng: Prng): string {
  const program = Array.from({ length: rng.chance(0.8) ? 20 : 32 }, () => rng.int(256))
  // Regroup 8-bit bytes into 5-bit words, padding the last one with zeros.
  const words = [0]
  let acc = 0
  let bits = 0
  for (const byte of program) {
    acc = (acc << 8) | byte
    bits += 8
    while (bits >= 5) {
      bits -= 5
      words.push((acc >>> bits) & 31)
    }
  }
  if (bits > 0) words.push((acc << (5 - bits)) & 31)
  const hrp = [...'bc'].map((c) => c.charCodeAt(0))
  const values = [...hrp.map((c) => c >> 5), 0, ...hrp.map((c) => c & 31), ...words, 0, 0, 0, 0, 0, 0]
  const mod = polymod(values) ^ 1
  const checksum = Array.from({ length: 6 }, (_, i) => (mod >>> (5 * (5 - i))) & 31)
  return `bc1${[...words, ...checksum].map((w) => CHARSET[w]).join('')}`
}
