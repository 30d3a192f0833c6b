// Crypto wallet addresses: Bitcoin base58check (P2PKH `1…`, P2SH `3…`, double SHA-256
// checksum), Bitcoin bech32/bech32m (`bc1…`, BIP 173/350 checksum) and Ethereum (`0x` and
// 40 hex digits; mixed case must pass the EIP-55 checksum, single case has none to pass).
import { createHash } from 'node:crypto'
import { keccak_256 } from '@noble/hashes/sha3.js'
import type { PiiFinding } from '../entity-types.ts'
import { touchesWord } from '../text-scan.ts'
import { bech32Valid } from './bech32.ts'
import type { Detector, ScanInput } from './detector.ts'
import { matches } from './detector.ts'

const BASE58 = /(?<![A-Za-z0-9_])[13][1-9A-HJ-NP-Za-km-z]{25,34}(?![A-Za-z0-9_])/g
const BECH32 = /(?<![A-Za-z0-9_])(?:bc1[ac-hj-np-z02-9]{8,87}|BC1[AC-HJ-NP-Z02-9]{8,87})(?![A-Za-z0-9_])/g
const ETHEREUM = /(?<![A-Za-z0-9_])0x[0-9a-fA-F]{40}(?![A-Za-z0-9_])/g

const ALPHABET = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz'

/** Base58 decoding into exactly 25 bytes (version, 20-byte hash, 4-byte checksum), or undefined. */
function decode25(text: string): Uint8Array | undefined {
  const bytes = new Uint8Array(25)
  for (let i = 0; i < text.length; i++) {
    let carry = ALPHABET.indexOf(text[i] ?? '')
    if (carry < 0) return undefined
    for (let j = 24; j >= 0; j--) {
      carry += 58 * (bytes[j] ?? 0)
      bytes[j] = carry & 0xff
      carry >>= 8
    }
    if (carry !== 0) return undefined
  }
  return bytes
}

const sha256 = (data: Uint8Array): Buffer => createHash('sha256').update(data).digest()

export function base58checkValid(address: string): boolean {
  const bytes = decode25(address)
  if (bytes === undefined || (bytes[0] !== 0x00 && bytes[0] !== 0x05)) return false
  const check = sha256(sha256(bytes.subarray(0, 21)))
  for (let i = 0; i < 4; i++) if (check[i] !== bytes[21 + i]) return false
  return true
}

/** EIP-55: each letter is upper-case when its nibble of keccak256(lower-case hex) is ≥ 8. */
export function eip55Valid(hex40: string): boolean {
  const lower = hex40.toLowerCase()
  const hash = keccak_256(new TextEncoder().encode(lower))
  for (let i = 0; i < 40; i++) {
    const c = hex40.charCodeAt(i)
    if (c < 65) continue
    const nibble = ((hash[i >> 1] ?? 0) >> (i % 2 === 0 ? 4 : 0)) & 0xf
    const upper = c <= 70
    if (upper !== nibble >= 8) return false
  }
  return true
}

function push(out: PiiFinding[], start: number, length: number, score: number): void {
  out.push({ type: 'CRYPTO', start, end: start + length, score, detector: 'crypto' })
}

export const cryptoDetector: Detector = {
  name: 'crypto',
  types: ['CRYPTO'],
  scan({ text }: ScanInput, out: PiiFinding[]): void {
    const clear = (m: RegExpExecArray): boolean => !touchesWord(text, m.index, m.index + m[0].length)
    for (const m of matches(BASE58, text))
      if (clear(m) && base58checkValid(m[0])) push(out, m.index, m[0].length, 1)
    if (text.includes('bc1') || text.includes('BC1'))
      for (const m of matches(BECH32, text))
        if (clear(m) && bech32Valid(m[0])) push(out, m.index, m[0].length, 1)
    if (!text.includes('0x')) return
    for (const m of matches(ETHEREUM, text)) {
      if (touchesWord(text, m.index, m.index + m[0].length)) continue
      const hex = m[0].slice(2)
      const mixed = hex !== hex.toLowerCase() && hex !== hex.toUpperCase()
      if (mixed && !eip55Valid(hex)) continue
      // Single-case hex could be any 160-bit hash; a valid mixed-case checksum could not.
      push(out, m.index, m[0].length, mixed ? 1 : 0.6)
    }
  },
}
