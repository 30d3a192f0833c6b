// How error details read on a terminal, and what a client may see of an error.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { type ErrorDetail, formatErrorDetail, JitgateError } from './jitgate-error.ts'

describe('formatErrorDetail', () => {
  const cases: [ErrorDetail, string][] = [
    [{ file: 'p.yaml', line: 3, column: 7, message: 'bad' }, 'p.yaml:3:7: bad'],
    [{ file: 'p.yaml', line: 3, message: 'bad' }, 'p.yaml:3:1: bad'],
    [{ file: 'jitgate.db', message: 'cannot open' }, 'jitgate.db: cannot open'],
    [{ path: '/actor/id', message: 'is required' }, '/actor/id: is required'],
    [{ message: 'plain', hint: 'do this' }, 'plain\n    hint: do this'],
  ]
  for (const [detail, text] of cases)
    it(text.split('\n')[0] ?? text, () => assert.equal(formatErrorDetail(detail), text))
})

describe('JitgateError', () => {
  it('shows a client its code, message and details, never the cause or stack', () => {
    const error = new JitgateError('store_unreachable', 'cannot reach the database', {
      status: 503,
      details: [{ path: 'JITGATE_DATABASE_URL', message: 'no answer' }],
      cause: new Error('password=hunter2'),
    })
    assert.deepEqual(JSON.parse(JSON.stringify(error)), {
      code: 'store_unreachable',
      message: 'cannot reach the database',
      details: [{ path: 'JITGATE_DATABASE_URL', message: 'no answer' }],
    })
    assert.equal(error.status, 503)
    assert.equal(error.name, 'JitgateError')
  })
})
