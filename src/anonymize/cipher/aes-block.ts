// One AES key schedule, expanded once and reused for every single-block encryption.
// FF1 rounds and AES-SIV's CMAC and CTR each need many lone blocks under one key;
// noble's ecb()/cbc() expand the key again on every call (~0.8 µs) while a block
// costs ~0.1 µs, so we keep the expanded key and call noble's block function.
import { unsafe } from '@noble/ciphers/aes.js'

/** The 16-byte AES block cipher under one fixed key (128, 192 or 256 bits). */
export class AesBlock {
  readonly #xk: Uint32Array

  constructor(key: Uint8Array) {
    if (key.length !== 16 && key.length !== 24 && key.length !== 32)
      throw new RangeError(`AES keys are 16, 24 or 32 bytes, not ${key.length}`)
    this.#xk = unsafe.expandKeyLE(key)
  }

  /**
   * Encrypts the block at `src[srcAt…srcAt+16]` into `dst[dstAt…]`; the two may be
   * the same place. Words are read little-endian by hand, which is what noble's
   * expanded key expects on every platform, and avoids its alignment rules.
   */
  encrypt(src: Uint8Array, srcAt: number, dst: Uint8Array, dstAt: number): void {
    const out = unsafe.encrypt(
      this.#xk,
      word(src, srcAt),
      word(src, srcAt + 4),
      word(src, srcAt + 8),
      word(src, srcAt + 12),
    )
    put(dst, dstAt, out.s0)
    put(dst, dstAt + 4, out.s1)
    put(dst, dstAt + 8, out.s2)
    put(dst, dstAt + 12, out.s3)
  }
}

function word(b: Uint8Array, at: number): number {
  return (
    ((b[at] as number) |
      ((b[at + 1] as number) << 8) |
      ((b[at + 2] as number) << 16) |
      ((b[at + 3] as number) << 24)) >>>
    0
  )
}

function put(b: Uint8Array, at: number, w: number): void {
  b[at] = w
  b[at + 1] = w >>> 8
  b[at + 2] = w >>> 16
  b[at + 3] = w >>> 24
}
