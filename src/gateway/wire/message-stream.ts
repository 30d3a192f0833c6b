// Awaiting one whole message at a time on a socket, for the conversations that take turns
// (a client's startup and authentication, jitgate's own login upstream). The socket stays
// paused except while a message is awaited, so a peer cannot pile up bytes meanwhile.
// Once the turn-taking is over, `detach` hands the socket and any bytes read ahead to the
// proxy, which reads as fast as the data comes.
import type { Socket } from 'node:net'
import { GatewayError } from './gateway-error.ts'
import type { MessageFramer } from './message-framer.ts'

export class MessageStream {
  #waiter: { resolve: () => void; reject: (error: unknown) => void } | undefined
  #failure: unknown

  constructor(
    readonly socket: Socket,
    readonly framer: MessageFramer,
    /** Names the peer in errors: "the client", "the upstream prod". */
    private readonly peer: string,
  ) {
    socket.pause()
    socket.on('data', this.#onData)
    socket.on('end', this.#onEnd)
    socket.on('close', this.#onEnd)
    socket.on('error', this.#onError)
  }

  /** Resolves when `framer` holds the next whole message. */
  next(): Promise<void> {
    if (this.#failure !== undefined) return Promise.reject(this.#failure)
    try {
      if (this.framer.next()) return Promise.resolve()
    } catch (error) {
      return Promise.reject(error)
    }
    return new Promise((resolve, reject) => {
      this.#waiter = { resolve, reject }
      this.socket.resume()
    })
  }

  /** Stops listening; the socket stays paused, and unread bytes stay in the framer. */
  detach(): void {
    this.socket.off('data', this.#onData)
    this.socket.off('end', this.#onEnd)
    this.socket.off('close', this.#onEnd)
    this.socket.off('error', this.#onError)
    this.socket.pause()
  }

  readonly #onData = (chunk: Buffer): void => {
    this.framer.push(chunk)
    const waiter = this.#waiter
    if (waiter === undefined) {
      this.socket.pause()
      return
    }
    try {
      if (!this.framer.next()) return
      this.#waiter = undefined
      this.socket.pause()
      waiter.resolve()
    } catch (error) {
      this.#fail(error)
    }
  }

  readonly #onEnd = (): void => {
    this.#fail(new GatewayError('wire_protocol_violation', `${this.peer} closed the connection`))
  }

  readonly #onError = (error: Error): void => {
    this.#fail(
      new GatewayError('wire_protocol_violation', `${this.peer} connection failed: ${error.message}`),
    )
  }

  #fail(error: unknown): void {
    this.#failure ??= error
    const waiter = this.#waiter
    this.#waiter = undefined
    waiter?.reject(this.#failure)
  }
}
