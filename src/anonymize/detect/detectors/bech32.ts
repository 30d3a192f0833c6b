// Bech32 (BIP 173) and bech32m (BIP 350) checksums for Bitcoin segwit addresses, with
// the witness-version rules: v0 programs are 20 or 32 bytes and use bech32, v1+ use bech32m.

const CHARSET = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l'
const GENERATORS = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3]
const BECH32 = 1
const BECH32M = 0x2bc830a3

function polymod(values: readonly number[]): number {
  let chk = 1
  for (const v of values) {
    const top = chk >>> 25
    chk = ((chk & 0x1ffffff) << 5) ^ v
    for (let i = 0; i < 5; i++) if ((top >>> i) & 1) chk ^= GENERATORS[i] ?? 0
  }
  return chk >>> 0
}

/** True for a valid mainnet or testnet segwit address (`bc1…`, `tb1…`) in one case. */
export function bech32Valid(address: string): boolean {
  if (address.length > 90 || (address !== address.toLowerCase() && address !== address.toUpperCase()))
    return false
  const lower = address.toLowerCase()
  const sep = lower.lastIndexOf('1')
  const hrp = lower.slice(0, sep)
  if (hrp !== 'bc' && hrp !== 'tb') return false
  const data: number[] = []
  for (const ch of lower.slice(sep + 1)) {
    const v = CHARSET.indexOf(ch)
    if (v < 0) return false
    data.push(v)
  }
  if (data.length < 7) return false
  const expanded = [
    ...[...hrp].map((c) => c.charCodeAt(0) >> 5),
    0,
    ...[...hrp].map((c) => c.charCodeAt(0) & 31),
  ]
  const check = polymod([...expanded, ...data])
  const version = data[0] ?? -1
  if (version > 16 || check !== (version === 0 ? BECH32 : BECH32M)) return false
  // The witness program, regrouped from 5-bit words into bytes.
  const bits = (data.length - 7) * 5
  const bytes = Math.floor(bits / 8)
  if (bits % 8 >= 5) return false
  if (version === 0) return bytes === 20 || bytes === 32
  return bytes >= 2 && bytes <= 40
}
