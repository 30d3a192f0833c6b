// Decoding client messages as node-postgres writes them, encoding the backend messages the
// gateway writes itself, and malformed input refused as a protocol violation (08P01).
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { serialize } from 'pg-protocol'
import { GatewayError } from '../../../src/gateway/index.ts'
import {
  dataRow,
  errorResponse,
  readDataRow,
  readFields,
  readRowDescription,
} from '../../../src/gateway/wire/backend-messages.ts'
import {
  readBind,
  readExecute,
  readParse,
  readQuery,
  readStartupPacket,
  readTarget,
} from '../../../src/gateway/wire/frontend-messages.ts'

const whole = (message: Buffer) => [message, 0, message.length] as const
const bytes = (text: string) => whole(Buffer.from(text, 'latin1'))

describe('client messages', () => {
  it('reads the startup packet, SSLRequest and CancelRequest', () => {
    assert.deepEqual(readStartupPacket(...whole(serialize.startup({ user: 'alice', database: 'prod' }))), {
      kind: 'startup',
      major: 3,
      minor: 0,
      parameters: new Map([
        ['user', 'alice'],
        ['database', 'prod'],
        ['client_encoding', 'UTF8'],
      ]),
    })
    assert.deepEqual(readStartupPacket(...whole(serialize.requestSsl())), { kind: 'ssl' })
    const cancel = readStartupPacket(...whole(serialize.cancel(1234, -5)))
    assert.equal(cancel.kind, 'cancel')
    assert.equal(cancel.kind === 'cancel' && cancel.processId, 1234)
    assert.equal(cancel.kind === 'cancel' && cancel.secret.readInt32BE(0), -5)
  })

  it('reads Query, Parse, Bind, Execute, Describe and Close', () => {
    assert.equal(readQuery(...whole(serialize.query('select 1; select 2'))), 'select 1; select 2')
    assert.deepEqual(readParse(...whole(serialize.parse({ name: 'q', text: 'select $1', types: [23] }))), {
      statement: 'q',
      sql: 'select $1',
      paramTypes: [23],
    })
    const bind = readBind(
      ...whole(serialize.bind({ portal: 'p', statement: 'q', values: ['1', null, 'été'] })),
    )
    assert.deepEqual(
      { ...bind, params: bind.params.map((p) => (p === null ? null : p.toString())) },
      {
        portal: 'p',
        statement: 'q',
        paramFormats: [0, 0, 0],
        params: ['1', null, 'été'],
        resultFormats: [0],
      },
    )
    assert.deepEqual(readExecute(...whole(serialize.execute({ portal: 'p', rows: 10 }))), {
      portal: 'p',
      maxRows: 10,
    })
    assert.deepEqual(readTarget(...whole(serialize.describe({ type: 'S', name: 'q' }))), {
      target: 'S',
      name: 'q',
    })
    assert.deepEqual(readTarget(...whole(serialize.close({ type: 'P', name: '' }))), {
      target: 'P',
      name: '',
    })
  })

  const malformed: [string, () => unknown, RegExp][] = [
    ['a Query without its NUL', () => readQuery(...bytes('Q\0\0\0\x06ab')), /without its terminating NUL/],
    ['a Query with bytes after it', () => readQuery(...bytes('Q\0\0\0\x07a\0b')), /1 unexpected trailing/],
    [
      'a Bind whose parameter runs past its end',
      () => readBind(...bytes('B\0\0\0\x12\0\0\0\0\0\x01\0\0\x10\0ab')),
      /ends too early/,
    ],
    [
      'a Bind with a negative parameter count',
      () => readBind(...bytes('B\0\0\0\x0a\0\0\0\0\xff\xff')),
      /a negative parameter count/,
    ],
    ['a Describe of neither S nor P', () => readTarget(...bytes('D\0\0\0\x06X\0')), /other than S or P/],
    [
      'a startup packet naming a parameter twice',
      () => readStartupPacket(...bytes('\0\0\0\x17\0\x03\0\0user\0a\0user\0b\0\0')),
      /the parameter user twice/,
    ],
    [
      'a cancel request with a 2-byte key',
      () => readStartupPacket(...bytes('\0\0\0\x0e\x04\xd2\x16\x2e\0\0\0\x01\0\0')),
      /cancel key of a wrong size/,
    ],
  ]
  for (const [name, read, message] of malformed) {
    it(`refuses ${name}`, () => {
      assert.throws(
        read,
        (error) =>
          error instanceof GatewayError &&
          error.code === 'wire_protocol_violation' &&
          message.test(error.message),
      )
    })
  }
})

describe('backend messages', () => {
  it('writes a DataRow that reads back, NULL and empty values included', () => {
    const row = dataRow([Buffer.from('a'), null, '', 'ü'])
    assert.deepEqual(
      readDataRow(...whole(row)).map((value) => value?.toString() ?? null),
      ['a', null, '', 'ü'],
    )
  })

  it('writes ErrorResponse fields, a NUL inside a text replaced so it cannot cut the field', () => {
    const fields = readFields(
      ...whole(
        errorResponse({ severity: 'ERROR', code: '42501', message: 'no\0way', detail: 'd', hint: 'h' }),
      ),
    )
    assert.deepEqual(Object.fromEntries(fields), {
      S: 'ERROR',
      V: 'ERROR',
      C: '42501',
      M: 'no\uFFFDway',
      D: 'd',
      H: 'h',
    })
  })

  it('reads a RowDescription with each column’s table OID and attribute number', () => {
    const body = Buffer.concat([
      Buffer.from([0, 1]),
      Buffer.from('ssn\0'),
      Buffer.from([0, 0, 0x40, 0, 0, 3, 0, 0, 0, 25, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0, 0]),
    ])
    const message = Buffer.concat([Buffer.from('T'), Buffer.from([0, 0, 0, body.length + 4]), body])
    assert.deepEqual(readRowDescription(...whole(message)), [
      {
        name: 'ssn',
        tableOid: 16384,
        columnAttnum: 3,
        typeOid: 25,
        typeSize: -1,
        typeModifier: -1,
        format: 0,
      },
    ])
  })
})
