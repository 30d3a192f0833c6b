// The writes of one pass go out in order, straight through when there is one, corked together
// when there are more, nested passes ending with the outer one; nothing is written to a socket
// destroyed meanwhile. On a real socket pair over 127.0.0.1.
import assert from 'node:assert/strict'
import { once } from 'node:events'
import { connect, createServer, type Socket } from 'node:net'
import { describe, it, type TestContext } from 'node:test'
import { PassWrites } from '../../../src/gateway/wire/write-run.ts'

async function pair(t: TestContext) {
  const received: Buffer[] = []
  const server = createServer((peer) => peer.on('data', (chunk) => received.push(chunk)))
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const address = server.address() as { port: number }
  const socket = connect({ host: '127.0.0.1', port: address.port, noDelay: true })
  await once(socket, 'connect')
  t.after(() => {
    socket.destroy()
    server.close()
  })
  const corks: string[] = []
  const cork = socket.cork.bind(socket)
  const uncork = socket.uncork.bind(socket)
  socket.cork = () => {
    corks.push('cork')
    cork()
  }
  socket.uncork = () => {
    corks.push('uncork')
    uncork()
  }
  const writes = new PassWrites(socket, (data) => socket.write(data))
  const all = async (length: number) => {
    while (Buffer.concat(received).length < length) await new Promise((resolve) => setTimeout(resolve, 5))
    return Buffer.concat(received).toString()
  }
  return { socket: socket as Socket, writes, corks, all }
}

describe('PassWrites', () => {
  it('writes a lone write of a pass without corking, at the end of the pass', async (t) => {
    const { writes, corks, all } = await pair(t)
    writes.begin()
    writes.send(Buffer.from('one'))
    writes.end()
    assert.equal(await all(3), 'one')
    assert.deepEqual(corks, [])
  })

  it('corks at the second write, keeps the order, and nests', async (t) => {
    const { writes, corks, all } = await pair(t)
    writes.begin()
    writes.send(Buffer.from('a'))
    writes.begin()
    writes.send(Buffer.from('b'))
    writes.end()
    assert.deepEqual(corks, ['cork'], 'the inner pass ends with the outer one')
    writes.send(Buffer.from('c'))
    writes.end()
    assert.deepEqual(corks, ['cork', 'uncork'])
    writes.send(Buffer.from('d'))
    assert.equal(await all(4), 'abcd')
  })

  it('writes nothing held to a socket destroyed during the pass', async (t) => {
    const { socket, writes } = await pair(t)
    const sent: string[] = []
    const tracked = new PassWrites(socket, (data) => sent.push(data.toString()))
    tracked.begin()
    tracked.send(Buffer.from('late'))
    socket.destroy()
    tracked.end()
    assert.deepEqual(sent, [])
    writes.begin()
    writes.end()
  })
})
