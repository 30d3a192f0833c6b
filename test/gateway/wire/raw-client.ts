// A client that speaks the protocol message by message, for what drivers do not expose:
// pipelines with a refusal in the middle, COPY, FunctionCall, CancelRequest, malformed bytes.
// Plain TCP and SCRAM-SHA-256 (the client side jitgate uses upstream, checked against RFC 7677).
import { randomBytes } from 'node:crypto'
import { connect, type Socket } from 'node:net'
import { serialize } from 'pg-protocol'
import { readFields } from '../../../src/gateway/wire/backend-messages.ts'
import { MessageFramer } from '../../../src/gateway/wire/message-framer.ts'
import { MessageStream } from '../../../src/gateway/wire/message-stream.ts'
import { scramClientFinal, scramClientFirst } from '../../../src/gateway/wire/scram-client.ts'

export interface Answer {
  /** The type letter: 'T', 'D', 'C', 'E', 'Z'… */
  readonly type: string
  readonly body: Buffer
}

export class RawClient {
  private constructor(
    private readonly stream: MessageStream,
    /** The gateway's cancel key for this session. */
    readonly processId: number,
    readonly secret: number,
  ) {}

  static async open(port: number): Promise<Socket> {
    const socket = connect({ host: '127.0.0.1', port })
    socket.on('error', () => undefined)
    await new Promise((resolve) => socket.once('connect', resolve))
    return socket
  }

  /** Logs in over plain TCP with SCRAM-SHA-256; throws the server's error message if refused. */
  static async login(port: number, user: string, token: string, database = 'app'): Promise<RawClient> {
    const socket = await RawClient.open(port)
    const stream = new MessageStream(socket, new MessageFramer(1 << 30), 'the gateway')
    socket.write(serialize.startup({ user, database }))
    const nonce = randomBytes(18).toString('base64')
    const first = scramClientFirst(nonce)
    let key = { processId: 0, secret: 0 }
    for (;;) {
      const answer = await next(stream)
      if (answer.type === 'E') throw new Error(readFields(framed(answer), 0, answer.body.length + 5).get('M'))
      if (answer.type === 'K')
        key = { processId: answer.body.readInt32BE(0), secret: answer.body.readInt32BE(4) }
      if (answer.type === 'Z') return new RawClient(stream, key.processId, key.secret)
      if (answer.type !== 'R') continue
      const code = answer.body.readInt32BE(0)
      if (code === 10) socket.write(serialize.sendSASLInitialResponseMessage('SCRAM-SHA-256', first.message))
      if (code === 11) {
        const final = scramClientFinal(token, nonce, first.bare, answer.body.subarray(4).toString())
        if (!final.ok) throw new Error(final.error)
        socket.write(serialize.sendSCRAMClientFinalMessage(final.message))
      }
    }
  }

  send(...messages: Buffer[]): void {
    this.stream.socket.write(Buffer.concat(messages))
  }

  next(): Promise<Answer> {
    return next(this.stream)
  }

  /** Every answer up to and including the next ReadyForQuery. */
  async untilReady(): Promise<Answer[]> {
    const answers: Answer[] = []
    for (;;) {
      const answer = await this.next()
      answers.push(answer)
      if (answer.type === 'Z') return answers
    }
  }

  /** Resolves when the gateway closes the connection. */
  closed(): Promise<void> {
    return new Promise((resolve) => {
      if (this.stream.socket.destroyed) resolve()
      else this.stream.socket.once('close', () => resolve())
    })
  }

  end(): void {
    this.stream.socket.end(serialize.end())
  }
}

async function next(stream: MessageStream): Promise<Answer> {
  await stream.next()
  const { type, buffer, start, end } = stream.framer
  return { type: String.fromCharCode(type), body: Buffer.from(buffer.subarray(start + 5, end)) }
}

function framed(answer: Answer): Buffer {
  const head = Buffer.alloc(5)
  head.write(answer.type, 0, 'latin1')
  head.writeInt32BE(answer.body.length + 4, 1)
  return Buffer.concat([head, answer.body])
}

/** The fields of an 'E' or 'N' answer: C (SQLSTATE), M (message), D, H… */
export function fieldsOf(answer: Answer): Record<string, string> {
  return Object.fromEntries(readFields(framed(answer), 0, answer.body.length + 5))
}

/** The text of each value of a 'D' answer (null for SQL NULL). */
export function valuesOf(answer: Answer): (string | null)[] {
  const values: (string | null)[] = []
  let at = 2
  for (let i = 0; i < answer.body.readInt16BE(0); i++) {
    const length = answer.body.readInt32BE(at)
    values.push(length < 0 ? null : answer.body.toString('utf8', at + 4, at + 4 + length))
    at += 4 + Math.max(length, 0)
  }
  return values
}

/** The answer at `index`; fails the test when there is none. */
export function answerAt(answers: readonly Answer[], index: number): Answer {
  const answer = answers[index]
  if (answer === undefined) throw new Error(`no answer at ${index} in ${letters(answers)}`)
  return answer
}

/** The letters of the answers, for comparing sequences: 'T D C Z'. */
export function letters(answers: readonly Answer[]): string {
  return answers.map((answer) => answer.type).join(' ')
}
