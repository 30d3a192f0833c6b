// HMAC-SHA-256 (RFC 2104) with the key's two pads hashed once, as RFC 2104 §4
// suggests. Node's createHmac() builds a new keyed object per value (~2.5 µs here)
// and hash.copy() costs as much; with the inner and outer states kept, a short
// value is two SHA-256 compressions (~0.8 µs). The tests check it against
// node:crypto on random keys and messages, and against RFC 4231's vectors.
import { createHash } from 'node:crypto'

const K = Int32Array.from(
  [
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
  ].map((k) => k | 0),
)
const IV = Int32Array.from(
  [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19].map(
    (k) => k | 0,
  ),
)
const BLOCK = 64

export class HmacSha256 {
  readonly #inner = new Int32Array(8)
  readonly #outer = new Int32Array(8)
  readonly #state = new Int32Array(8)
  readonly #w = new Int32Array(64)
  #buf = new Uint8Array(4 * BLOCK)
  readonly #encoder = new TextEncoder()

  constructor(key: Uint8Array) {
    const k = key.length > BLOCK ? new Uint8Array(createHash('sha256').update(key).digest()) : key
    const pad = new Uint8Array(BLOCK)
    for (const [state, byte] of [
      [this.#inner, 0x36],
      [this.#outer, 0x5c],
    ] as const) {
      pad.fill(byte)
      for (let i = 0; i < k.length; i++) pad[i] = (k[i] as number) ^ byte
      state.set(IV)
      this.#compress(state, pad, 0)
    }
    pad.fill(0)
  }

  /** The MAC of a string's UTF-8 bytes, as eight big-endian 32-bit words (valid until the next call). */
  macString(text: string): Int32Array {
    let n = 0
    const buf = this.#room(text.length * 3)
    for (; n < text.length; n++) {
      const c = text.charCodeAt(n)
      if (c > 0x7f) return this.#mac(this.#encoder.encodeInto(text, buf).written)
      buf[n] = c
    }
    return this.#mac(n)
  }

  /** The MAC of bytes, as eight big-endian 32-bit words (valid until the next call). */
  macBytes(message: Uint8Array): Int32Array {
    this.#room(message.length).set(message)
    return this.#mac(message.length)
  }

  /** The 32-byte MAC of bytes. */
  digest(message: Uint8Array): Uint8Array {
    const words = this.macBytes(message)
    const out = new Uint8Array(32)
    for (let i = 0; i < 8; i++) writeWord(out, i * 4, words[i] as number)
    return out
  }

  /** The scratch buffer, grown so `n` message bytes plus padding fit. */
  #room(n: number): Uint8Array {
    if (this.#buf.length < n + BLOCK + 9)
      this.#buf = new Uint8Array(Math.ceil((n + BLOCK + 9) / BLOCK) * BLOCK)
    return this.#buf
  }

  /** inner = H((K ⊕ ipad) ‖ m) continued from the ipad state; then H((K ⊕ opad) ‖ inner). */
  #mac(n: number): Int32Array {
    const buf = this.#buf
    const state = this.#state
    state.set(this.#inner)
    const total = Math.ceil((n + 9) / BLOCK) * BLOCK
    buf[n] = 0x80
    buf.fill(0, n + 1, total - 8)
    const bits = (BLOCK + n) * 8
    writeWord(buf, total - 8, Math.floor(bits / 2 ** 32))
    writeWord(buf, total - 4, bits >>> 0)
    for (let at = 0; at < total; at += BLOCK) this.#compress(state, buf, at)
    return this.#outerOf(state)
  }

  /** H((K ⊕ opad) ‖ inner) into `state`, which holds the inner digest. */
  #outerOf(state: Int32Array): Int32Array {
    // The outer block is the inner digest, padded: its words go in directly.
    const w = this.#w
    w.set(state)
    w[8] = 0x80000000 | 0
    w.fill(0, 9, 15)
    w[15] = (BLOCK + 32) * 8
    state.set(this.#outer)
    this.#rounds(state)
    return state
  }

  /** The SHA-256 compression function (FIPS 180-4 §6.2.2) on one 64-byte block. */
  #compress(s: Int32Array, block: Uint8Array, at: number): void {
    const w = this.#w
    for (let i = 0; i < 16; i++, at += 4)
      w[i] =
        ((block[at] as number) << 24) |
        ((block[at + 1] as number) << 16) |
        ((block[at + 2] as number) << 8) |
        (block[at + 3] as number)
    this.#rounds(s)
  }

  /** The message schedule from w[0…16] and the 64 rounds, added into the state. */
  #rounds(s: Int32Array): void {
    const w = this.#w
    for (let i = 16; i < 64; i++) {
      const w15 = w[i - 15] as number
      const w2 = w[i - 2] as number
      const s0 = ((w15 >>> 7) | (w15 << 25)) ^ ((w15 >>> 18) | (w15 << 14)) ^ (w15 >>> 3)
      const s1 = ((w2 >>> 17) | (w2 << 15)) ^ ((w2 >>> 19) | (w2 << 13)) ^ (w2 >>> 10)
      w[i] = (s1 + (w[i - 7] as number) + s0 + (w[i - 16] as number)) | 0
    }
    let a = s[0] as number
    let b = s[1] as number
    let c = s[2] as number
    let d = s[3] as number
    let e = s[4] as number
    let f = s[5] as number
    let g = s[6] as number
    let h = s[7] as number
    for (let i = 0; i < 64; i++) {
      const s1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7))
      const t1 = (h + s1 + ((e & f) ^ (~e & g)) + (K[i] as number) + (w[i] as number)) | 0
      const s0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10))
      const t2 = (s0 + ((a & b) ^ (a & c) ^ (b & c))) | 0
      h = g
      g = f
      f = e
      e = (d + t1) | 0
      d = c
      c = b
      b = a
      a = (t1 + t2) | 0
    }
    s[0] = ((s[0] as number) + a) | 0
    s[1] = ((s[1] as number) + b) | 0
    s[2] = ((s[2] as number) + c) | 0
    s[3] = ((s[3] as number) + d) | 0
    s[4] = ((s[4] as number) + e) | 0
    s[5] = ((s[5] as number) + f) | 0
    s[6] = ((s[6] as number) + g) | 0
    s[7] = ((s[7] as number) + h) | 0
  }
}

function writeWord(b: Uint8Array, at: number, w: number): void {
  b[at] = w >>> 24
  b[at + 1] = w >>> 16
  b[at + 2] = w >>> 8
  b[at + 3] = w
}
