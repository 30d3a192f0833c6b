// Decoding what clients send: the startup-phase packets (no type byte) and the messages
// of the simple and extended query protocols that the gateway reads to decide on
// statements. Pure functions over `buffer[start, end)`, header included.
import { GatewayError } from './gateway-error.ts'
import { MessageReader } from './message-reader.ts'

export const SSL_REQUEST_CODE = 80877103
export const GSSENC_REQUEST_CODE = 80877104
export const CANCEL_REQUEST_CODE = 80877102

export type StartupPacket =
  | { readonly kind: 'ssl' }
  | { readonly kind: 'gssenc' }
  /** The secret is 4 bytes in protocol 3.0, up to 256 in 3.2. */
  | { readonly kind: 'cancel'; readonly processId: number; readonly secret: Buffer }
  | {
      readonly kind: 'startup'
      readonly major: number
      readonly minor: number
      readonly parameters: ReadonlyMap<string, string>
    }

export function readStartupPacket(buffer: Buffer, start: number, end: number): StartupPacket {
  const reader = new MessageReader(buffer, start + 4, end, 'startup')
  const code = reader.int32()
  if (code === SSL_REQUEST_CODE || code === GSSENC_REQUEST_CODE) {
    reader.done()
    return { kind: code === SSL_REQUEST_CODE ? 'ssl' : 'gssenc' }
  }
  if (code === CANCEL_REQUEST_CODE) {
    const processId = reader.int32()
    const secret = reader.rest()
    if (secret.length < 4 || secret.length > 256) throw reader.malformed('a cancel key of a wrong size')
    return { kind: 'cancel', processId, secret }
  }
  const parameters = new Map<string, string>()
  const major = code >>> 16
  const minor = code & 0xffff
  if (major === 3) {
    for (;;) {
      const name = reader.cstring()
      if (name === '') break
      if (parameters.has(name)) throw reader.malformed(`the parameter ${name} twice`)
      parameters.set(name, reader.cstring())
    }
    reader.done()
  }
  return { kind: 'startup', major, minor, parameters }
}

export interface ParseMessage {
  readonly statement: string
  readonly sql: string
  readonly paramTypes: readonly number[]
}

export function readParse(buffer: Buffer, start: number, end: number): ParseMessage {
  const reader = new MessageReader(buffer, start + 5, end, 'Parse')
  const statement = reader.cstring()
  const sql = reader.cstring()
  const count = reader.int16()
  const paramTypes: number[] = []
  for (let i = 0; i < count; i++) paramTypes.push(reader.int32() >>> 0)
  reader.done()
  return { statement, sql, paramTypes }
}

export interface BindMessage {
  readonly portal: string
  readonly statement: string
  /** Empty: all text; one: for every parameter; else one per parameter (0 text, 1 binary). */
  readonly paramFormats: readonly number[]
  /** Each parameter's bytes as sent (a view), null for SQL NULL. */
  readonly params: readonly (Buffer | null)[]
  readonly resultFormats: readonly number[]
}

export function readBind(buffer: Buffer, start: number, end: number): BindMessage {
  const reader = new MessageReader(buffer, start + 5, end, 'Bind')
  const portal = reader.cstring()
  const statement = reader.cstring()
  const paramFormats = readInt16s(reader)
  const count = reader.int16()
  if (count < 0) throw reader.malformed('a negative parameter count')
  const params: (Buffer | null)[] = []
  for (let i = 0; i < count; i++) {
    const length = reader.int32()
    params.push(length === -1 ? null : reader.bytes(length))
  }
  const resultFormats = readInt16s(reader)
  reader.done()
  return { portal, statement, paramFormats, params, resultFormats }
}

function readInt16s(reader: MessageReader): number[] {
  const count = reader.int16()
  if (count < 0) throw reader.malformed('a negative count')
  const values: number[] = []
  for (let i = 0; i < count; i++) values.push(reader.int16())
  return values
}

/** Describe and Close: a statement (`S`) or a portal (`P`) by name. */
export interface TargetMessage {
  readonly target: 'S' | 'P'
  readonly name: string
}

export function readTarget(buffer: Buffer, start: number, end: number): TargetMessage {
  const reader = new MessageReader(buffer, start + 5, end, buffer[start] === 0x43 ? 'Close' : 'Describe')
  const target = reader.byte()
  if (target !== 0x53 && target !== 0x50) throw reader.malformed('a target other than S or P')
  const name = reader.cstring()
  reader.done()
  return { target: target === 0x53 ? 'S' : 'P', name }
}

export interface ExecuteMessage {
  readonly portal: string
  /** 0: no limit. */
  readonly maxRows: number
}

export function readExecute(buffer: Buffer, start: number, end: number): ExecuteMessage {
  const reader = new MessageReader(buffer, start + 5, end, 'Execute')
  const portal = reader.cstring()
  const maxRows = reader.int32()
  reader.done()
  return { portal, maxRows }
}

/** The text of a Query message. */
export function readQuery(buffer: Buffer, start: number, end: number): string {
  const reader = new MessageReader(buffer, start + 5, end, 'Query')
  const sql = reader.cstring()
  reader.done()
  return sql
}

/** A PasswordMessage answering AuthenticationCleartextPassword. */
export function readPassword(buffer: Buffer, start: number, end: number): string {
  const reader = new MessageReader(buffer, start + 5, end, 'PasswordMessage')
  const password = reader.cstring()
  reader.done()
  return password
}

export interface SaslInitialResponse {
  readonly mechanism: string
  readonly data: Buffer
}

export function readSaslInitialResponse(buffer: Buffer, start: number, end: number): SaslInitialResponse {
  const reader = new MessageReader(buffer, start + 5, end, 'SASLInitialResponse')
  const mechanism = reader.cstring()
  const length = reader.int32()
  const data = length === -1 ? Buffer.alloc(0) : reader.bytes(length)
  reader.done()
  return { mechanism, data }
}

/** The body of a SASLResponse. */
export function readSaslResponse(buffer: Buffer, start: number, end: number): Buffer {
  return buffer.subarray(start + 5, end)
}

/** Throws when a message of `type` is not what the phase allows. */
export function expectType(type: number, expected: number, phase: string): void {
  if (type !== expected) {
    throw new GatewayError(
      'wire_protocol_violation',
      `expected a ${String.fromCharCode(expected)} message during ${phase}, got ${describeType(type)}`,
    )
  }
}

export function describeType(type: number): string {
  return type >= 0x20 && type < 0x7f ? `'${String.fromCharCode(type)}'` : `byte ${type}`
}
