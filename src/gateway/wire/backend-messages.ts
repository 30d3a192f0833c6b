// The backend messages the gateway writes itself (authentication, session start, errors and
// notices it raises, rewritten data rows), and the decoding of the few upstream messages it
// reads: error and notice fields, row descriptions, data rows, parameter status, keys.
// Everything else from the upstream is forwarded as received.
import { MessageReader } from './message-reader.ts'

/** ErrorResponse and NoticeResponse fields; `severity` as PostgreSQL spells it. */
export interface ErrorFields {
  readonly severity: 'ERROR' | 'FATAL' | 'WARNING' | 'NOTICE' | 'INFO' | 'LOG' | 'DEBUG'
  /** SQLSTATE, five characters. */
  readonly code: string
  readonly message: string
  readonly detail?: string
  readonly hint?: string
}

export type TransactionStatus = 'I' | 'T' | 'E'

/** One column of a RowDescription: where it comes from and how its values are encoded. */
export interface RowColumn {
  readonly name: string
  /** The table's OID when the column is a plain table column, else 0. */
  readonly tableOid: number
  /** The column's attribute number in that table, else 0. */
  readonly columnAttnum: number
  readonly typeOid: number
  readonly typeSize: number
  readonly typeModifier: number
  /** 0 text, 1 binary (always 0 in the description of a statement, which has no formats yet). */
  readonly format: number
}

export type RowDescription = readonly RowColumn[]

/** A whole message: type byte, length, body. */
export function message(type: string, body: Buffer): Buffer {
  const out = Buffer.allocUnsafe(5 + body.length)
  out.write(type, 0, 'latin1')
  out.writeInt32BE(4 + body.length, 1)
  body.copy(out, 5)
  return out
}

function int32(value: number): Buffer {
  const out = Buffer.allocUnsafe(4)
  out.writeInt32BE(value, 0)
  return out
}

// NUL ends a field on the wire: one inside a text would cut it and desynchronise the client.
function cstring(text: string): Buffer {
  return Buffer.from(`${text.replaceAll('\0', '\uFFFD')}\0`, 'utf8')
}

export const AUTHENTICATION_OK = message('R', int32(0))
export const AUTHENTICATION_CLEARTEXT = message('R', int32(3))
export const SSL_ACCEPTED = Buffer.from('S', 'latin1')
export const SSL_REFUSED = Buffer.from('N', 'latin1')

export function authenticationSasl(mechanisms: readonly string[]): Buffer {
  return message('R', Buffer.concat([int32(10), ...mechanisms.map(cstring), Buffer.from([0])]))
}

export function authenticationSaslContinue(data: string): Buffer {
  return message('R', Buffer.concat([int32(11), Buffer.from(data, 'utf8')]))
}

export function authenticationSaslFinal(data: string): Buffer {
  return message('R', Buffer.concat([int32(12), Buffer.from(data, 'utf8')]))
}

export function parameterStatus(name: string, value: string): Buffer {
  return message('S', Buffer.concat([cstring(name), cstring(value)]))
}

export function backendKeyData(processId: number, secret: number): Buffer {
  return message('K', Buffer.concat([int32(processId), int32(secret)]))
}

const READY = {
  I: message('Z', Buffer.from('I')),
  T: message('Z', Buffer.from('T')),
  E: message('Z', Buffer.from('E')),
}

export function readyForQuery(status: TransactionStatus): Buffer {
  return READY[status]
}

function fieldsBody(fields: ErrorFields): Buffer {
  const parts = [
    Buffer.from('S'),
    cstring(fields.severity),
    Buffer.from('V'),
    cstring(fields.severity),
    Buffer.from('C'),
    cstring(fields.code),
    Buffer.from('M'),
    cstring(fields.message),
  ]
  if (fields.detail !== undefined) parts.push(Buffer.from('D'), cstring(fields.detail))
  if (fields.hint !== undefined) parts.push(Buffer.from('H'), cstring(fields.hint))
  parts.push(Buffer.from([0]))
  return Buffer.concat(parts)
}

export function errorResponse(fields: ErrorFields): Buffer {
  return message('E', fieldsBody(fields))
}

export function noticeResponse(fields: ErrorFields): Buffer {
  return message('N', fieldsBody(fields))
}

/** Tells a client asking for protocol 3.x (x > 0) or `_pq_.` options what the gateway speaks. */
export function negotiateProtocolVersion(minor: number, unrecognized: readonly string[]): Buffer {
  return message(
    'v',
    Buffer.concat([int32(minor), int32(unrecognized.length), ...unrecognized.map((name) => cstring(name))]),
  )
}

/** A DataRow of `values` (bytes or text as they go on the wire; null for SQL NULL). */
export function dataRow(values: readonly (Buffer | string | null)[]): Buffer {
  const encoded = values.map((value) => (typeof value === 'string' ? Buffer.from(value, 'utf8') : value))
  let length = 4 + 2
  for (const value of encoded) length += 4 + (value?.length ?? 0)
  const out = Buffer.allocUnsafe(1 + length)
  out.write('D', 0, 'latin1')
  out.writeInt32BE(length, 1)
  out.writeInt16BE(encoded.length, 5)
  let pos = 7
  for (const value of encoded) {
    if (value === null) {
      out.writeInt32BE(-1, pos)
      pos += 4
    } else {
      out.writeInt32BE(value.length, pos)
      value.copy(out, pos + 4)
      pos += 4 + value.length
    }
  }
  return out
}

/** A CommandComplete with `tag` (`SELECT 3`). */
export function commandComplete(tag: string): Buffer {
  return message('C', cstring(tag))
}

/** The tag of a CommandComplete. */
export function readCommandTag(buffer: Buffer, start: number, end: number): string {
  const reader = new MessageReader(buffer, start + 5, end, 'CommandComplete')
  const tag = reader.cstring()
  reader.done()
  return tag
}

/** The fields of an ErrorResponse or NoticeResponse, by their one-letter codes. */
export function readFields(buffer: Buffer, start: number, end: number): Map<string, string> {
  const reader = new MessageReader(buffer, start + 5, end, 'ErrorResponse')
  const fields = new Map<string, string>()
  for (let code = reader.byte(); code !== 0; code = reader.byte()) {
    fields.set(String.fromCharCode(code), reader.cstring())
  }
  return fields
}

export function readRowDescription(buffer: Buffer, start: number, end: number): RowDescription {
  const reader = new MessageReader(buffer, start + 5, end, 'RowDescription')
  const count = reader.int16()
  const columns: RowColumn[] = []
  for (let i = 0; i < count; i++) {
    columns.push({
      name: reader.cstring(),
      tableOid: reader.int32() >>> 0,
      columnAttnum: reader.int16(),
      typeOid: reader.int32() >>> 0,
      typeSize: reader.int16(),
      typeModifier: reader.int32(),
      format: reader.int16(),
    })
  }
  reader.done()
  return columns
}

/** A DataRow's values as views of the message (no copy); null for SQL NULL. */
export function readDataRow(buffer: Buffer, start: number, end: number): (Buffer | null)[] {
  const reader = new MessageReader(buffer, start + 5, end, 'DataRow')
  const count = reader.int16()
  const values: (Buffer | null)[] = []
  for (let i = 0; i < count; i++) {
    const length = reader.int32()
    values.push(length === -1 ? null : reader.bytes(length))
  }
  reader.done()
  return values
}

export function readParameterStatus(buffer: Buffer, start: number, end: number): [string, string] {
  const reader = new MessageReader(buffer, start + 5, end, 'ParameterStatus')
  const name = reader.cstring()
  return [name, reader.cstring()]
}

export function readBackendKeyData(buffer: Buffer, start: number, end: number) {
  const reader = new MessageReader(buffer, start + 5, end, 'BackendKeyData')
  return { processId: reader.int32(), secret: reader.rest() }
}

/** An Authentication request: its code (0 ok, 3 cleartext, 5 MD5, 10/11/12 SASL) and data. */
export function readAuthentication(buffer: Buffer, start: number, end: number) {
  const reader = new MessageReader(buffer, start + 5, end, 'Authentication')
  return { code: reader.int32(), data: reader.rest() }
}

export function readTransactionStatus(buffer: Buffer, start: number): TransactionStatus {
  const status = String.fromCharCode(buffer[start + 5] ?? 0)
  return status === 'T' || status === 'E' ? status : 'I'
}
