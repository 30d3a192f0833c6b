// FF1 format-preserving encryption (NIST SP 800-38G Rev. 1, §6.2) over numeral
// strings of any radix 2…65536, on one reused AES key schedule. Per length the
// constant parts are computed once: the byte counts b and d, and CIPH(P), the PRF
// state after the block P that only depends on radix, length and tweak length.
// While radix^v < 2^45 a round runs in plain numbers (y mod radix^m by Horner's
// rule stays below 2^53); longer inputs take the BigInt path.
import { AnonymizeError } from '../transforms/anonymize-error.ts'
import type { AesBlock } from './aes-block.ts'

/** SP 800-38G Rev. 1 requires radix^length ≥ 1,000,000. */
export const FF1_MIN_DOMAIN = 1_000_000
/** Our own bound: a longer value is not a format worth preserving, and would be slow. */
export const FF1_MAX_LENGTH = 1024
const FAST_LIMIT = 2 ** 45

interface Plan {
  readonly u: number
  readonly v: number
  readonly b: number
  readonly d: number
  /** Q = T ‖ 0^pad ‖ [i]1 ‖ [NUM(B)]b; only the last b + 1 bytes change per round. */
  readonly q: Uint8Array
  /** CIPH_K(P): the PRF's chaining state after its first block, the same for every value of this length. */
  readonly afterP: Uint8Array
  /** radix^v < 2^45: rounds in numbers; else in BigInt. */
  readonly fast: boolean
  readonly pow: readonly [number, number]
  readonly bigPow: readonly [bigint, bigint]
}

export class Ff1 {
  readonly radix: number
  readonly #aes: AesBlock
  readonly #tweak: Uint8Array
  readonly #plans = new Map<number, Plan>()
  readonly #r = new Uint8Array(16)
  #s = new Uint8Array(16)

  constructor(aes: AesBlock, radix: number, tweak: Uint8Array = new Uint8Array(0)) {
    if (!Number.isInteger(radix) || radix < 2 || radix > 65536)
      throw new RangeError(`FF1 radix must be an integer in 2…65536, not ${radix}`)
    this.#aes = aes
    this.radix = radix
    this.#tweak = tweak.slice()
  }

  /** Encrypts numerals (each in 0…radix-1); the result has the same length and radix. */
  encrypt(x: readonly number[]): number[] {
    return this.#run(x, false)
  }

  decrypt(y: readonly number[]): number[] {
    return this.#run(y, true)
  }

  #run(x: readonly number[], inverse: boolean): number[] {
    const p = this.#plan(x.length)
    for (const digit of x) {
      if (!Number.isInteger(digit) || digit < 0 || digit >= this.radix)
        throw new AnonymizeError('fpe_value_invalid', `an FF1 numeral is outside 0…${this.radix - 1}`)
    }
    return p.fast ? this.#fast(p, x, inverse) : this.#big(p, x, inverse)
  }

  /** Steps 3–7 of FF1.Encrypt / FF1.Decrypt in numbers: A and B held as NUM_radix values. */
  #fast(p: Plan, x: readonly number[], inverse: boolean): number[] {
    const { u, b, q } = p
    let a = this.#num(x, 0, u)
    let c = this.#num(x, u, x.length)
    for (let k = 0; k < 10; k++) {
      const i = inverse ? 9 - k : k
      const m = p.pow[i & 1] as number
      // Encrypting, B feeds the PRF and A absorbs it; decrypting, the other way round.
      let feed = inverse ? a : c
      for (let j = q.length - 1; j >= q.length - b; j--) {
        q[j] = feed % 256
        feed = Math.floor(feed / 256)
      }
      q[q.length - b - 1] = i
      const s = this.#prf(p)
      let y = 0
      for (let j = 0; j < p.d; j++) y = (y * 256 + (s[j] as number)) % m
      if (inverse) {
        const next = (((c - y) % m) + m) % m
        c = a
        a = next
      } else {
        const next = (a + y) % m
        a = c
        c = next
      }
    }
    const out = new Array<number>(x.length)
    this.#str(a, 0, u, out)
    this.#str(c, u, x.length, out)
    return out
  }

  #big(p: Plan, x: readonly number[], inverse: boolean): number[] {
    const { u, v, b, q } = p
    const radix = BigInt(this.radix)
    const num = (from: number, to: number): bigint => {
      let n = 0n
      for (let j = from; j < to; j++) n = n * radix + BigInt(x[j] as number)
      return n
    }
    let a = num(0, u)
    let c = num(u, x.length)
    for (let k = 0; k < 10; k++) {
      const i = inverse ? 9 - k : k
      const m = p.bigPow[i & 1] as bigint
      let feed = inverse ? a : c
      for (let j = q.length - 1; j >= q.length - b; j--) {
        q[j] = Number(feed & 255n)
        feed >>= 8n
      }
      q[q.length - b - 1] = i
      const s = this.#prf(p)
      let y = 0n
      for (let j = 0; j < p.d; j++) y = (y << 8n) | BigInt(s[j] as number)
      if (inverse) [a, c] = [(((c - y) % m) + m) % m, a]
      else [a, c] = [c, (a + y) % m]
    }
    const str = (n: bigint, len: number): number[] => {
      const out = new Array<number>(len)
      for (let j = len - 1; j >= 0; j--, n /= radix) out[j] = Number(n % radix)
      return out
    }
    return [...str(a, u), ...str(c, v)]
  }

  /** PRF(P ‖ Q) continued into S: its first d bytes, from R ‖ CIPH(R ⊕ [1]16) ‖ … */
  #prf(p: Plan): Uint8Array {
    const r = this.#r
    r.set(p.afterP)
    for (let at = 0; at < p.q.length; at += 16) {
      for (let j = 0; j < 16; j++) r[j] = (r[j] as number) ^ (p.q[at + j] as number)
      this.#aes.encrypt(r, 0, r, 0)
    }
    if (p.d <= 16) return r
    const s = this.#s
    s.set(r)
    for (let block = 1; block * 16 < p.d; block++) {
      const at = block * 16
      s.set(r, at)
      for (let j = 0; j < 4; j++) s[at + 15 - j] = (s[at + 15 - j] as number) ^ ((block >>> (8 * j)) & 255)
      this.#aes.encrypt(s, at, s, at)
    }
    return s
  }

  #num(x: readonly number[], from: number, to: number): number {
    let n = 0
    for (let j = from; j < to; j++) n = n * this.radix + (x[j] as number)
    return n
  }

  /** STR_radix of n into out[from…to]. */
  #str(n: number, from: number, to: number, out: number[]): void {
    for (let j = to - 1; j >= from; j--) {
      out[j] = n % this.radix
      n = Math.floor(n / this.radix)
    }
  }

  #plan(n: number): Plan {
    const cached = this.#plans.get(n)
    if (cached !== undefined) return cached
    checkLength(this.radix, n)
    const radix = this.radix
    const t = this.#tweak.length
    const u = Math.floor(n / 2)
    const v = n - u
    const bigPow = [BigInt(radix) ** BigInt(u), BigInt(radix) ** BigInt(v)] as const
    // b = ⌈⌈v·log2(radix)⌉ / 8⌉, exactly: the bit length of radix^v, less one for a power of two.
    const powerOfTwo = (radix & (radix - 1)) === 0
    const bits = powerOfTwo ? v * Math.log2(radix) : bigPow[1].toString(2).length
    const b = Math.ceil(bits / 8)
    const d = 4 * Math.ceil(b / 4) + 4
    const pad = (((-t - b - 1) % 16) + 16) % 16
    const q = new Uint8Array(t + pad + 1 + b)
    q.set(this.#tweak)
    // P = [1]1 ‖ [2]1 ‖ [1]1 ‖ [radix]3 ‖ [10]1 ‖ [u mod 256]1 ‖ [n]4 ‖ [t]4, encrypted in place.
    const afterP = Uint8Array.of(
      1,
      2,
      1,
      radix >>> 16,
      (radix >>> 8) & 255,
      radix & 255,
      10,
      u & 255,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
    )
    new DataView(afterP.buffer).setUint32(8, n)
    new DataView(afterP.buffer).setUint32(12, t)
    this.#aes.encrypt(afterP, 0, afterP, 0)
    if (16 * Math.ceil(d / 16) > this.#s.length) this.#s = new Uint8Array(16 * Math.ceil(d / 16))
    const fast = bigPow[1] < BigInt(FAST_LIMIT)
    const plan: Plan = {
      u,
      v,
      b,
      d,
      q,
      afterP,
      fast,
      pow: [Number(bigPow[0]), Number(bigPow[1])],
      bigPow,
    }
    this.#plans.set(n, plan)
    return plan
  }
}

function checkLength(radix: number, n: number): void {
  let domain = 1
  for (let k = 0; k < n && domain < FF1_MIN_DOMAIN; k++) domain *= radix
  if (domain < FF1_MIN_DOMAIN)
    throw new AnonymizeError(
      'fpe_domain_too_small',
      `FF1 over ${n} numeral${n === 1 ? '' : 's'} of radix ${radix} has fewer than 1,000,000 values`,
      [{ message: 'SP 800-38G Rev. 1 requires radix^length ≥ 1,000,000', hint: 'use a longer value' }],
    )
  if (n > FF1_MAX_LENGTH)
    throw new AnonymizeError('fpe_value_invalid', `FF1 takes at most ${FF1_MAX_LENGTH} numerals, not ${n}`)
}
