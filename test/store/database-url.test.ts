// Reading the database URL: every accepted form, every refusal, and no password ever
// repeated in what comes back or in an error.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { parseDatabaseUrl, redactDatabaseUrl } from '../../src/store/index.ts'

describe('parseDatabaseUrl', () => {
  const accepted: [string, Record<string, unknown>][] = [
    ['sqlite:data/jitgate.db', { dialect: 'sqlite', path: 'data/jitgate.db' }],
    ['sqlite:/var/lib/jitgate.db', { dialect: 'sqlite', path: '/var/lib/jitgate.db' }],
    ['sqlite:///var/lib/jitgate.db', { dialect: 'sqlite', path: '/var/lib/jitgate.db' }],
    ['SQLITE:./x.db', { dialect: 'sqlite', path: './x.db' }],
    ['./data/jitgate.db', { dialect: 'sqlite', path: './data/jitgate.db' }],
    ['  /tmp/j.db  ', { dialect: 'sqlite', path: '/tmp/j.db' }],
    ['C:\\data\\jitgate.db', { dialect: 'sqlite', path: 'C:\\data\\jitgate.db' }],
    ['sqlite::memory:', { dialect: 'sqlite', path: ':memory:' }],
    [
      'postgres://jit:s3cret@db.internal:5432/jitgate',
      { dialect: 'postgres', display: 'postgres://jit:***@db.internal:5432/jitgate', secrets: ['s3cret'] },
    ],
    [
      'postgresql://jit:p%40ss%2Fword@db/jitgate?sslmode=require',
      {
        dialect: 'postgres',
        display: 'postgresql://jit:***@db/jitgate?sslmode=require',
        secrets: ['p%40ss%2Fword', 'p@ss/word'],
      },
    ],
    [
      'postgres://jit@db/jitgate?password=hunter2&application_name=x',
      {
        dialect: 'postgres',
        display: 'postgres://jit@db/jitgate?password=***&application_name=x',
        secrets: ['hunter2'],
      },
    ],
    ['postgres:///jitgate', { dialect: 'postgres', display: 'postgres:///jitgate', secrets: [] }],
  ]
  for (const [input, expected] of accepted) {
    it(`reads ${JSON.stringify(input)}`, () => {
      const location: Record<string, unknown> = { ...parseDatabaseUrl(input) }
      for (const [key, value] of Object.entries(expected)) assert.deepEqual(location[key], value, key)
    })
  }

  const refused: [string, string][] = [
    ['', 'the database URL is empty'],
    ['   ', 'the database URL is empty'],
    ['sqlite:', 'the SQLite database URL has no file path'],
    ['mysql://root:pw@db/x', "the database URL has the unsupported scheme 'mysql:'"],
    ['https://example.com/db', "the database URL has the unsupported scheme 'https:'"],
    ['postgres://jit:top secret@[db/x', 'the PostgreSQL database URL is not a valid URL'],
    ['postgres://jit:pw@db/x#frag', 'the PostgreSQL database URL must not have a #fragment'],
  ]
  for (const [input, message] of refused) {
    it(`refuses ${JSON.stringify(input)}`, () => {
      assert.throws(
        () => parseDatabaseUrl(input),
        (error: Error & { code?: string; details?: unknown[] }) => {
          assert.equal(error.code, 'store_url_invalid')
          assert.equal(error.message, message)
          assert.equal(JSON.stringify(error).includes('top secret'), false)
          assert.match(JSON.stringify(error.details), /sqlite:PATH, a file path, or postgres:/)
          return true
        },
      )
    })
  }
})

describe('redactDatabaseUrl', () => {
  it('hides the password wherever it is and keeps the rest', () => {
    assert.equal(
      redactDatabaseUrl('postgres://a:b@h:1/d?password=c&x=y'),
      'postgres://a:***@h:1/d?password=***&x=y',
    )
    assert.equal(redactDatabaseUrl('postgres://a@h/d'), 'postgres://a@h/d')
    assert.equal(redactDatabaseUrl('not a url :pw@'), '(unparseable URL)')
  })
})
