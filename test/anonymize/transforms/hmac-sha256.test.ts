// The precomputed-pad HMAC-SHA-256 against RFC 4231 and against node:crypto.
import assert from 'node:assert/strict'
import { createHmac } from 'node:crypto'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { HmacSha256 } from '../../../src/anonymize/cipher/hmac-sha256.ts'

const toHex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex')
const wordsHex = (words: Int32Array): string =>
  [...words].map((w) => (w >>> 0).toString(16).padStart(8, '0')).join('')

describe('HMAC-SHA-256', () => {
  it('RFC 4231 test cases 1, 2 and 6 (a key longer than a block)', () => {
    const enc = new TextEncoder()
    assert.equal(
      toHex(new HmacSha256(new Uint8Array(20).fill(0x0b)).digest(enc.encode('Hi There'))),
      'b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7',
    )
    assert.equal(
      wordsHex(new HmacSha256(enc.encode('Jefe')).macString('what do ya want for nothing?')),
      '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
    )
    assert.equal(
      toHex(
        new HmacSha256(new Uint8Array(131).fill(0xaa)).digest(
          enc.encode('Test Using Larger Than Block-Size Key - Hash Key First'),
        ),
      ),
      '60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54',
    )
  })

  it('agrees with node:crypto for any key, bytes and text, across block boundaries', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 150 }),
        fc.uint8Array({ maxLength: 300 }),
        fc.string({ unit: 'binary', maxLength: 120 }),
        (key, bytes, text) => {
          const mac = new HmacSha256(key)
          assert.equal(toHex(mac.digest(bytes)), createHmac('sha256', key).update(bytes).digest('hex'))
          assert.equal(wordsHex(mac.macString(text)), createHmac('sha256', key).update(text).digest('hex'))
        },
      ),
      { numRuns: 500 },
    )
  })
})
