// The bare Node TCP pipe: each client socket piped to its own upstream socket and back,
// nothing parsed. It is the ceiling for any proxy written in Node on this machine, so
// jitgate's throughput is judged against it. Its sockets get the options jitgate's get
// (TCP_NODELAY both ways) so that the comparison is like for like; nothing else is added.
import { connect, createServer, type Socket } from 'node:net'

export interface BarePipe {
  readonly port: number
  close(): Promise<void>
}

export async function startBarePipe(upstream: { host: string; port: number }): Promise<BarePipe> {
  const sockets = new Set<Socket>()
  const track = (socket: Socket) => {
    sockets.add(socket)
    socket.once('close', () => sockets.delete(socket))
  }
  const server = createServer({ noDelay: true }, (client) => {
    const database = connect({ host: upstream.host, port: upstream.port, noDelay: true })
    track(client)
    track(database)
    // One side failing ends the other, as a dropped connection would; pipe() passes on a close.
    client.on('error', () => database.destroy())
    database.on('error', () => client.destroy())
    client.pipe(database)
    database.pipe(client)
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve())
  })
  const address = server.address()
  if (address === null || typeof address === 'string') throw new Error('the bare pipe is not listening')
  return {
    port: address.port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve())
        for (const socket of sockets) socket.destroy()
      }),
  }
}
