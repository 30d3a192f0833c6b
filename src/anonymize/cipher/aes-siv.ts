// AES-SIV (RFC 5297): deterministic authenticated encryption, so the same value
// always gives the same token (joins keep working) and a changed token is detected.
// noble's aessiv() expands its two keys on every call (~14 µs a value here); this
// one keeps both key schedules and the CMAC subkeys, and costs a few blocks a value.
// It is checked against RFC 5297's vectors and against noble's aessiv in the tests.
import { timingSafeEqual } from 'node:crypto'
import { AesBlock } from './aes-block.ts'

const ZERO = new Uint8Array(16)
const NO_AD: readonly Uint8Array[] = []

export class AesSiv {
  readonly #mac: AesBlock
  readonly #ctr: AesBlock
  /** CMAC subkeys K1 (complete last block) and K2 (padded last block). */
  readonly #k1 = new Uint8Array(16)
  readonly #k2 = new Uint8Array(16)
  /** S2V's starting D = CMAC(0^128), the same for every message. */
  readonly #d0 = new Uint8Array(16)
  /** Scratch blocks, reused: one call runs at a time. */
  readonly #d = new Uint8Array(16)
  readonly #x = new Uint8Array(16)
  readonly #y = new Uint8Array(16)
  readonly #counter = new Uint8Array(16)
  readonly #stream = new Uint8Array(16)

  /** `key` is K1 ‖ K2 (MAC key, then CTR key): 32, 48 or 64 bytes for AES-128/192/256. */
  constructor(key: Uint8Array) {
    if (key.length !== 32 && key.length !== 48 && key.length !== 64)
      throw new RangeError(`AES-SIV keys are 32, 48 or 64 bytes, not ${key.length}`)
    const half = key.length / 2
    this.#mac = new AesBlock(key.subarray(0, half))
    this.#ctr = new AesBlock(key.subarray(half))
    this.#mac.encrypt(ZERO, 0, this.#k1, 0)
    dbl(this.#k1)
    this.#k2.set(this.#k1)
    dbl(this.#k2)
    this.#cmac(ZERO, 16, undefined, this.#d0)
  }

  /** V ‖ C: the 16-byte synthetic IV, then the ciphertext (as long as the plaintext). */
  encrypt(plaintext: Uint8Array, ...ad: readonly Uint8Array[]): Uint8Array {
    const out = new Uint8Array(16 + plaintext.length)
    this.#s2v(ad, plaintext, plaintext.length, out)
    this.#ctrXor(out, plaintext, 0, plaintext.length, out, 16)
    return out
  }

  /**
   * encrypt() without associated data and without allocating: seals plaintext[0…length]
   * into out[0…16 + length] and returns 16 + length. For the per-value hot path.
   */
  sealInto(plaintext: Uint8Array, length: number, out: Uint8Array): number {
    this.#s2v(NO_AD, plaintext, length, out)
    this.#ctrXor(out, plaintext, 0, length, out, 16)
    return 16 + length
  }

  /** The plaintext, or undefined when `sealed` was not made by this key with this `ad`. */
  decrypt(sealed: Uint8Array, ...ad: readonly Uint8Array[]): Uint8Array | undefined {
    if (sealed.length < 16) return undefined
    const plaintext = new Uint8Array(sealed.length - 16)
    this.#ctrXor(sealed, sealed, 16, plaintext.length, plaintext, 0)
    const check = new Uint8Array(16)
    this.#s2v(ad, plaintext, plaintext.length, check)
    return timingSafeEqual(check, sealed.subarray(0, 16)) ? plaintext : undefined
  }

  /** S2V(K1, AD1…ADk, P) with P = last[0…n], written into out[0…16]. */
  #s2v(ad: readonly Uint8Array[], last: Uint8Array, n: number, out: Uint8Array): void {
    const d = this.#d
    d.set(this.#d0)
    for (const part of ad) {
      dbl(d)
      this.#cmac(part, part.length, undefined, this.#x)
      xorInto(d, 0, this.#x, 0, 16)
    }
    // T = Sn xorend D (D onto the last 16 bytes) for a long Sn, else dbl(D) xor pad(Sn).
    if (n >= 16) {
      this.#cmac(last, n, d, out)
      return
    }
    dbl(d)
    xorInto(d, 0, last, 0, n)
    d[n] = (d[n] as number) ^ 0x80
    this.#cmac(d, 16, undefined, out)
  }

  /** AES-CMAC (RFC 4493) of message[0…n] under the MAC key, with `tail` xored onto its last 16 bytes. */
  #cmac(message: Uint8Array, n: number, tail: Uint8Array | undefined, out: Uint8Array): void {
    const x = this.#x === out ? out : this.#y
    x.fill(0)
    const from = tail === undefined ? n : n - 16
    const blocks = Math.max(1, Math.ceil(n / 16))
    for (let b = 0; b < blocks; b++) {
      const at = b * 16
      const end = Math.min(16, n - at)
      for (let j = 0; j < end; j++) {
        const i = at + j
        const m = (message[i] as number) ^ (i >= from ? ((tail as Uint8Array)[i - from] as number) : 0)
        x[j] = (x[j] as number) ^ m
      }
      if (b < blocks - 1) this.#mac.encrypt(x, 0, x, 0)
      else if (end === 16) xorInto(x, 0, this.#k1, 0, 16)
      else {
        x[end] = (x[end] as number) ^ 0x80
        xorInto(x, 0, this.#k2, 0, 16)
      }
    }
    this.#mac.encrypt(x, 0, out, 0)
  }

  /** CTR under the second key from Q = iv[0…16] with bits 63 and 31 cleared: out[outAt…] = input[at…at+n] xor keystream. */
  #ctrXor(iv: Uint8Array, input: Uint8Array, at: number, n: number, out: Uint8Array, outAt: number): void {
    const counter = this.#counter
    for (let j = 0; j < 16; j++) counter[j] = iv[j] as number
    counter[8] = (counter[8] as number) & 0x7f
    counter[12] = (counter[12] as number) & 0x7f
    const stream = this.#stream
    for (let done = 0; done < n; done += 16) {
      this.#ctr.encrypt(counter, 0, stream, 0)
      const len = Math.min(16, n - done)
      for (let j = 0; j < len; j++)
        out[outAt + done + j] = (input[at + done + j] as number) ^ (stream[j] as number)
      for (let j = 15; j >= 0; j--) {
        counter[j] = ((counter[j] as number) + 1) & 255
        if (counter[j] !== 0) break
      }
    }
  }
}

/** Doubling in GF(2^128), in place: shift left one bit, fold the carry back with 0x87. */
function dbl(block: Uint8Array): void {
  const carry = (block[0] as number) >>> 7
  for (let i = 0; i < 15; i++)
    block[i] = (((block[i] as number) << 1) | ((block[i + 1] as number) >>> 7)) & 255
  block[15] = (((block[15] as number) << 1) & 255) ^ (carry * 0x87)
}

function xorInto(dst: Uint8Array, dstAt: number, src: Uint8Array, srcAt: number, n: number): void {
  for (let i = 0; i < n; i++) dst[dstAt + i] = (dst[dstAt + i] as number) ^ (src[srcAt + i] as number)
}
