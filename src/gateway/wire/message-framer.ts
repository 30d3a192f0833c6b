// Splits a PostgreSQL byte stream (either direction) into whole messages without copying:
// a message that arrived in one chunk is handed out as a view of that chunk, so the proxy can
// forward runs of messages as the very bytes it received. Only a message split across chunks
// is assembled, once, when its last byte is in (never re-concatenated per chunk).
//
//   framer.push(chunk)
//   while (framer.next()) handle(framer.type, framer.buffer, framer.start, framer.end)
import { GatewayError } from './gateway-error.ts'

const EMPTY = Buffer.alloc(0)

export class MessageFramer {
  /** The current message's type byte (0 for a startup-phase message, which has none). */
  type = 0
  /** The current message is `buffer[start, end)`, header included. */
  buffer: Buffer = EMPTY
  start = 0
  end = 0
  /** True while messages have no type byte (the startup phase of the frontend side). */
  startup = false

  #data: Buffer = EMPTY
  #pos = 0
  // A message longer than what is at hand: its chunks, until `#need` bytes are in.
  #parts: Buffer[] = []
  #partsBytes = 0
  #need = 0

  constructor(
    /** The longest message accepted (header included); longer is a protocol violation. */
    public maxLength: number,
  ) {}

  push(chunk: Buffer): void {
    if (this.#need > 0) {
      this.#parts.push(chunk)
      this.#partsBytes += chunk.length
      if (this.#partsBytes < this.#need) return
      this.#data = Buffer.concat(this.#parts, this.#partsBytes)
      this.#pos = 0
      this.#parts = []
      this.#partsBytes = 0
      this.#need = 0
      return
    }
    if (this.#pos >= this.#data.length) this.#data = chunk
    else this.#data = Buffer.concat([this.#data.subarray(this.#pos), chunk])
    this.#pos = 0
  }

  /** Moves to the next whole message; false when none is complete yet. Throws on a bad length. */
  next(): boolean {
    if (this.#need > 0) return false
    const data = this.#data
    const pos = this.#pos
    const available = data.length - pos
    const header = this.startup ? 4 : 5
    if (available < header) return false
    const length = data.readInt32BE(this.startup ? pos : pos + 1)
    const total = this.startup ? length : length + 1
    if (length < 4 || total > this.maxLength) {
      throw new GatewayError(
        'wire_protocol_violation',
        length < 4
          ? `invalid message length ${length}`
          : `a message of ${total} bytes is longer than the ${this.maxLength} allowed here`,
      )
    }
    if (available < total) {
      this.#need = total
      this.#parts = [data.subarray(pos)]
      this.#partsBytes = available
      this.#data = EMPTY
      this.#pos = 0
      return false
    }
    this.type = this.startup ? 0 : (data[pos] ?? 0)
    this.buffer = data
    this.start = pos
    this.end = pos + total
    this.#pos = pos + total
    return true
  }

  /** Bytes received and not yet handed out as a message. */
  get pending(): number {
    return this.#need > 0 ? this.#partsBytes : this.#data.length - this.#pos
  }

  /** Takes the bytes not yet handed out (when the stream changes hands). */
  takeRest(): Buffer {
    const rest = this.#need > 0 ? Buffer.concat(this.#parts) : this.#data.subarray(this.#pos)
    this.#data = EMPTY
    this.#pos = 0
    this.#parts = []
    this.#partsBytes = 0
    this.#need = 0
    return rest
  }
}
