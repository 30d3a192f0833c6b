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

/** Writes `data` and tells whether the socket wants the writer to wait for 'drain'. */
export function writeOrWait(socket: Socket, data: Buffer): boolean {
  return !socket.write(data) && !socket.destroyed
}
