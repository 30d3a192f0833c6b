// Consecutive messages forwarded untouched leave in one write: a run grows while each next
// message starts where the last one ended in the same buffer, and is written as one view
// when something else has to go out first, or at the end of the chunk.
import type { Socket } from 'node:net'

export class WriteRun {
  #buffer: Buffer | undefined
  #start = 0
  #end = 0

  constructor(private readonly write: (data: Buffer) => void) {}

  add(buffer: Buffer, start: number, end: number): void {
    if (this.#buffer === buffer && this.#end === start) {
      this.#end = end
      return
    }
    this.flush()
    this.#buffer = buffer
    this.#start = start
    this.#end = end
  }

  flush(): void {
    const buffer = this.#buffer
    if (buffer === undefined) return
    this.#buffer = undefined
    this.write(
      this.#start === 0 && this.#end === buffer.length ? buffer : buffer.subarray(this.#start, this.#end),
    )
  }
}

/**
 * The writes of one pass over received messages to one socket. The first write of a pass
 * waits; only a second one corks the socket, so that all of them go out as one. A pass that
 * writes once (most: a statement forwarded whole, its answer forwarded whole) writes straight
 * through: a corked socket queues each write as a request of the stream and replays it at
 * uncork, which cost more than the write itself on the gateway's hottest path. Passes nest
 * (a pass started inside another ends with it).
 */
export class PassWrites {
  #depth = 0
  #held: Buffer | undefined
  #corked = false

  constructor(
    private readonly socket: Socket,
    private readonly write: (data: Buffer) => void,
  ) {}

  begin(): void {
    this.#depth++
  }

  send(data: Buffer): void {
    if (this.#depth === 0) {
      this.write(data)
      return
    }
    if (!this.#corked) {
      const held = this.#held
      if (held === undefined) {
        this.#held = data
        return
      }
      this.#held = undefined
      this.socket.cork()
      this.#corked = true
      this.write(held)
    }
    this.write(data)
  }

  end(): void {
    if (--this.#depth > 0) return
    this.#depth = 0
    const held = this.#held
    this.#held = undefined
    if (held !== undefined && !this.socket.destroyed) this.write(held)
    if (this.#corked) {
      this.#corked = false
      this.socket.uncork()
    }
  }
}

/** Writes `data` and tells whether the socket wants the writer to wait for 'drain'. */
export function writeOrWait(socket: Socket, data: Buffer): boolean {
  return !socket.write(data) && !socket.destroyed
}
