// A cursor over one message's body: the few field types of the protocol (Int16, Int32,
// String, Byte_n), each checked against the message's end, so a malformed message is a
// protocol violation and never a read past its bounds.
import { GatewayError } from './gateway-error.ts'

export class MessageReader {
  #pos: number

  constructor(
    private readonly buffer: Buffer,
    start: number,
    private readonly end: number,
    /** Names the message in errors ("Bind"). */
    private readonly what: string,
  ) {
    this.#pos = start
  }

  byte(): number {
    this.#need(1)
    return this.buffer.readUInt8(this.#pos++)
  }

  int16(): number {
    this.#need(2)
    const value = this.buffer.readInt16BE(this.#pos)
    this.#pos += 2
    return value
  }

  int32(): number {
    this.#need(4)
    const value = this.buffer.readInt32BE(this.#pos)
    this.#pos += 4
    return value
  }

  /** A NUL-terminated string, decoded as UTF-8. */
  cstring(): string {
    const nul = this.buffer.indexOf(0, this.#pos)
    if (nul < 0 || nul >= this.end) throw this.malformed('a string without its terminating NUL')
    const value = this.buffer.toString('utf8', this.#pos, nul)
    this.#pos = nul + 1
    return value
  }

  /** `length` bytes, as a view (no copy). */
  bytes(length: number): Buffer {
    if (length < 0) throw this.malformed(`a negative length ${length}`)
    this.#need(length)
    const value = this.buffer.subarray(this.#pos, this.#pos + length)
    this.#pos += length
    return value
  }

  /** Whatever is left of the message, as a view. */
  rest(): Buffer {
    const value = this.buffer.subarray(this.#pos, this.end)
    this.#pos = this.end
    return value
  }

  get remaining(): number {
    return this.end - this.#pos
  }

  /** Throws unless every byte of the message was read: trailing bytes mean a framing mistake. */
  done(): void {
    if (this.#pos !== this.end) throw this.malformed(`${this.end - this.#pos} unexpected trailing bytes`)
  }

  malformed(why: string): GatewayError {
    return new GatewayError('wire_protocol_violation', `malformed ${this.what} message: ${why}`)
  }

  #need(count: number): void {
    if (this.#pos + count > this.end) throw this.malformed('it ends too early')
  }
}
