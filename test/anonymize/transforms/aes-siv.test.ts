// AES-SIV against RFC 5297's two vectors and against noble's aessiv on random input.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { aessiv } from '@noble/ciphers/aes.js'
import fc from 'fast-check'
import { AesSiv } from '../../../src/anonymize/cipher/aes-siv.ts'

const hex = (text: string): Uint8Array => Uint8Array.from(Buffer.from(text.replaceAll(' ', ''), 'hex'))
const toHex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex')

describe('AES-SIV', () => {
  it('RFC 5297 A.1, deterministic authenticated encryption', () => {
    const siv = new AesSiv(hex('fffefdfc fbfaf9f8 f7f6f5f4 f3f2f1f0 f0f1f2f3 f4f5f6f7 f8f9fafb fcfdfeff'))
    const ad = hex('10111213 14151617 18191a1b 1c1d1e1f 20212223 24252627')
    const sealed = siv.encrypt(hex('11223344 55667788 99aabbcc ddee'), ad)
    assert.equal(toHex(sealed), '85632d07c6e8f37f950acd320a2ecc9340c02b9690c4dc04daef7f6afe5c')
    assert.equal(toHex(siv.decrypt(sealed, ad) ?? new Uint8Array()), '112233445566778899aabbccddee')
  })

  it('RFC 5297 A.2, nonce-based with two associated data strings', () => {
    const siv = new AesSiv(hex('7f7e7d7c 7b7a7978 77767574 73727170 40414243 44454647 48494a4b 4c4d4e4f'))
    const ad = [
      hex('00112233 44556677 8899aabb ccddeeff deaddada deaddada ffeeddcc bbaa9988 77665544 33221100'),
      hex('10203040 50607080 90a0'),
      hex('09f91102 9d74e35b d84156c5 635688c0'),
    ]
    const plaintext = hex(
      '74686973 20697320 736f6d65 20706c61 696e7465 78742074 6f20656e 63727970 74207573 696e6720 5349562d 414553',
    )
    assert.equal(
      toHex(siv.encrypt(plaintext, ...ad)),
      '7bdb6e3b432667eb06f4d14bff2fbd0fcb900f2fddbe404326601965c889bf17dba77ceb094fa663b7a3f748ba8af829ea64ad544a272e9c485b62a3fd5c0d',
    )
  })

  it('detects a changed bit, a wrong key and wrong associated data', () => {
    const key = new Uint8Array(64).map((_, i) => i)
    const siv = new AesSiv(key)
    const sealed = siv.encrypt(new TextEncoder().encode('alice@example.com'))
    for (let bit = 0; bit < sealed.length * 8; bit += 7) {
      const changed = sealed.slice()
      changed[bit >> 3] = (changed[bit >> 3] as number) ^ (1 << (bit & 7))
      assert.equal(siv.decrypt(changed), undefined)
    }
    assert.equal(new AesSiv(key.map((b) => b ^ 1)).decrypt(sealed), undefined)
    assert.equal(siv.decrypt(sealed, new Uint8Array(1)), undefined)
    assert.equal(siv.decrypt(sealed.subarray(0, 15)), undefined)
  })

  it('gives what noble aessiv gives, and round-trips', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(32, 48, 64).chain((n) => fc.uint8Array({ minLength: n, maxLength: n })),
        fc.uint8Array({ maxLength: 100 }),
        fc.array(fc.uint8Array({ maxLength: 40 }), { maxLength: 3 }),
        (key, plaintext, ad) => {
          const siv = new AesSiv(key)
          const sealed = siv.encrypt(plaintext, ...ad)
          assert.equal(toHex(sealed), toHex(aessiv(key, ...ad).encrypt(plaintext)))
          assert.equal(toHex(siv.decrypt(sealed, ...ad) ?? hex('ff')), toHex(plaintext))
          if (ad.length > 0) return
          // sealInto: the same bytes, from a longer scratch buffer into another.
          const scratch = new Uint8Array(plaintext.length + 7)
          scratch.set(plaintext)
          const out = new Uint8Array(16 + scratch.length)
          assert.equal(siv.sealInto(scratch, plaintext.length, out), sealed.length)
          assert.equal(toHex(out.subarray(0, sealed.length)), toHex(sealed))
        },
      ),
      { numRuns: 300 },
    )
  })
})
