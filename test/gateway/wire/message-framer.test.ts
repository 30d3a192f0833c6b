// The framer: whole messages out of any chunking, views of the received bytes (no copy) for
// messages that arrived in one chunk, and lengths that break the protocol refused.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { serialize } from 'pg-protocol'
import { GatewayError } from '../../../src/gateway/index.ts'
import { MessageFramer } from '../../../src/gateway/wire/message-framer.ts'

const MESSAGES = [
  serialize.query('select 1'),
  serialize.parse({ name: 's1', text: 'select $1::int', types: [23] }),
  serialize.bind({ statement: 's1', values: ['42'] }),
  serialize.execute({}),
  serialize.sync(),
  serialize.query('x'.repeat(70_000)),
]
const STREAM = Buffer.concat(MESSAGES)

function frames(framer: MessageFramer, chunks: Buffer[]): string[] {
  const seen: string[] = []
  for (const chunk of chunks) {
    framer.push(chunk)
    while (framer.next()) seen.push(`${String.fromCharCode(framer.type)}${framer.end - framer.start}`)
  }
  return seen
}

const EXPECTED = MESSAGES.map((message) => `${String.fromCharCode(message[0] ?? 0)}${message.length}`)

describe('MessageFramer', () => {
  it('finds the same messages whether the stream comes whole, byte by byte or in odd chunks', () => {
    assert.deepEqual(frames(new MessageFramer(1 << 20), [STREAM]), EXPECTED)
    const bytes = [...STREAM].map((byte) => Buffer.from([byte]))
    assert.deepEqual(frames(new MessageFramer(1 << 20), bytes), EXPECTED)
    const odd: Buffer[] = []
    for (let at = 0; at < STREAM.length; at += 7919) odd.push(STREAM.subarray(at, at + 7919))
    assert.deepEqual(frames(new MessageFramer(1 << 20), odd), EXPECTED)
  })

  it('hands out messages that arrived in one chunk as views of that chunk', () => {
    const framer = new MessageFramer(1 << 20)
    const chunk = Buffer.from(STREAM)
    framer.push(chunk)
    assert.equal(framer.next(), true)
    assert.equal(framer.buffer, chunk)
    assert.equal(framer.start, 0)
    assert.equal(framer.next(), true)
    assert.equal(framer.buffer, chunk)
    assert.equal(framer.start, 14)
  })

  it('reads startup packets, which have no type byte', () => {
    const framer = new MessageFramer(10_000)
    framer.startup = true
    framer.push(Buffer.concat([serialize.requestSsl(), serialize.startup({ user: 'alice' })]))
    assert.equal(framer.next(), true)
    assert.deepEqual([framer.type, framer.end - framer.start], [0, 8])
    assert.equal(framer.next(), true)
    assert.equal(framer.next(), false)
    assert.equal(framer.pending, 0)
  })

  const refused: [string, Buffer, RegExp][] = [
    ['a length under 4', Buffer.from([0x51, 0, 0, 0, 3]), /invalid message length 3/],
    ['a negative length', Buffer.from([0x51, 0xff, 0xff, 0xff, 0xff]), /invalid message length -1/],
    [
      'a length over the limit',
      Buffer.from([0x51, 0, 0, 0x10, 0]),
      /4097 bytes is longer than the 4096 allowed/,
    ],
  ]
  for (const [name, bytes, message] of refused) {
    it(`refuses ${name} as a protocol violation`, () => {
      const framer = new MessageFramer(4096)
      framer.push(bytes)
      assert.throws(
        () => framer.next(),
        (error) => error instanceof GatewayError && error.sqlstate === '08P01' && message.test(error.message),
      )
    })
  }

  it('refuses an oversized message from its header, before its body arrives', () => {
    const framer = new MessageFramer(100)
    framer.push(Buffer.from([0x51, 0, 0x10, 0, 0]))
    assert.throws(() => framer.next(), /longer than the 100 allowed/)
  })

  it('gives back the bytes it has not handed out', () => {
    const framer = new MessageFramer(1 << 20)
    framer.push(STREAM.subarray(0, 20))
    assert.equal(framer.next(), true)
    assert.equal(framer.next(), false)
    assert.deepEqual(framer.takeRest(), STREAM.subarray(14, 20))
    assert.equal(framer.pending, 0)
    framer.push(STREAM.subarray(0, STREAM.length - 10))
    while (framer.next());
    assert.equal(framer.takeRest().length, 70_006 - 10)
  })
})
