// A forwarded request's ResultWatch in the response tracker, on recorded answers: rows past the
// limit dropped and the SELECT tag fixed with a NOTICE before it, an Execute's suspension ended
// when the policy cut it, results reported in order with their SQLSTATE, and the end told once,
// whether answered, skipped after an error, or abandoned with the session.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  commandComplete,
  dataRow,
  errorResponse,
  message,
  readCommandTag,
  readFields,
} from '../../../src/gateway/wire/backend-messages.ts'
import { DROP, FORWARD, REPLACE, ResponseTracker } from '../../../src/gateway/wire/response-tracker.ts'
import { executeMaxRows, ResultWatch, tagCount } from '../../../src/gateway/wire/result-watch.ts'
import type { ForwardedEnd, ForwardedResult } from '../../../src/gateway/wire/statement-gate.ts'

const ROW = dataRow(['1'])
const DESCRIPTION = message('T', Buffer.from([0, 0]))
const SUSPENDED = message('s', Buffer.alloc(0))
const READY = message('Z', Buffer.from('I'))
const ERROR = errorResponse({ severity: 'ERROR', code: '22012', message: 'division by zero' })

function watched(options: { rowLimit?: number; portal?: { rows: number } } = {}) {
  const results: ForwardedResult[] = []
  const ends: ForwardedEnd[] = []
  const watch = new ResultWatch({
    ...options,
    onResult: (result) => void results.push(result),
    onEnd: (end) => void ends.push(end),
    callbackFailed: (error) => assert.fail(String(error)),
  })
  return { watch, results, ends }
}

const verdictOf = (tracker: ResponseTracker, buffer: Buffer) =>
  tracker.onMessage(buffer[0] ?? 0, buffer, 0, buffer.length)
const heard = (results: readonly ForwardedResult[]) => results.map(({ durationMs: _d, ...rest }) => rest)

describe('pure helpers', () => {
  it('read the count of a command tag', () => {
    assert.deepEqual(['SELECT 3', 'INSERT 0 12', 'BEGIN', 'COPY 0', 'SELECT x'].map(tagCount), [
      3,
      12,
      undefined,
      0,
      undefined,
    ])
  })

  it('ask an Execute for one row more than the policy allows, unless the client asks for fewer', () => {
    assert.deepEqual(
      [
        executeMaxRows(5, 0),
        executeMaxRows(5, 2),
        executeMaxRows(5, 5),
        executeMaxRows(5, 9),
        executeMaxRows(0, 0),
      ],
      [6, 2, 5, 6, 1],
    )
  })
})

describe('a watched simple query', () => {
  it('drops rows past the limit in each result set, fixes the tag and says so', () => {
    const tracker = new ResponseTracker()
    const { watch, results, ends } = watched({ rowLimit: 2 })
    tracker.push({ kind: 'query', watch })
    assert.equal(verdictOf(tracker, DESCRIPTION), FORWARD)
    assert.deepEqual(
      [ROW, ROW, ROW].map((row) => verdictOf(tracker, row)),
      [FORWARD, FORWARD, DROP],
    )
    const complete = commandComplete('SELECT 3')
    assert.equal(verdictOf(tracker, complete), REPLACE)
    assert.equal(readCommandTag(tracker.replacement, 0, tracker.replacement.length), 'SELECT 2')
    const notice = tracker.prefix ?? assert.fail('no notice')
    assert.equal(
      readFields(notice, 0, notice.length).get('M'),
      "jitgate cut this result at 2 rows: the policy's row limit",
    )
    assert.equal(verdictOf(tracker, DESCRIPTION), FORWARD)
    assert.equal(verdictOf(tracker, ROW), FORWARD)
    assert.equal(verdictOf(tracker, commandComplete('SELECT 1')), FORWARD)
    assert.equal(tracker.prefix, undefined)
    assert.equal(verdictOf(tracker, ERROR), FORWARD)
    assert.equal(verdictOf(tracker, READY), FORWARD)
    assert.deepEqual(heard(results), [
      { index: 0, kind: 'complete', tag: 'SELECT 2', rows: 2 },
      { index: 1, kind: 'complete', tag: 'SELECT 1', rows: 1 },
      { index: 2, kind: 'error', sqlstate: '22012' },
    ])
    assert.deepEqual(
      ends.map((end) => [end.how, end.results]),
      [['answered', 3]],
    )
  })
})

describe('a watched Execute', () => {
  it('counts rows across its portal and ends a suspension the policy caused', () => {
    const tracker = new ResponseTracker()
    const portal = { rows: 0 }
    const first = watched({ rowLimit: 3, portal })
    const second = watched({ rowLimit: 3, portal })
    tracker.push({ kind: 'execute', watch: first.watch })
    tracker.push({ kind: 'execute', watch: second.watch })
    assert.deepEqual(
      [ROW, ROW].map((row) => verdictOf(tracker, row)),
      [FORWARD, FORWARD],
    )
    assert.equal(verdictOf(tracker, SUSPENDED), FORWARD)
    assert.deepEqual(
      [ROW, ROW].map((row) => verdictOf(tracker, row)),
      [FORWARD, DROP],
    )
    assert.equal(verdictOf(tracker, SUSPENDED), REPLACE)
    assert.equal(readCommandTag(tracker.replacement, 0, tracker.replacement.length), 'SELECT 1')
    assert.deepEqual(heard(first.results), [{ index: 0, kind: 'suspended', rows: 2 }])
    assert.deepEqual(heard(second.results), [{ index: 0, kind: 'complete', tag: 'SELECT 1', rows: 1 }])
    assert.deepEqual([first.ends[0]?.how, second.ends[0]?.how], ['answered', 'answered'])
  })

  it('is told it was skipped after an earlier error, or abandoned with the session', () => {
    const tracker = new ResponseTracker()
    const skipped = watched()
    const abandoned = watched()
    tracker.push({ kind: 'bind' })
    tracker.push({ kind: 'execute', watch: skipped.watch })
    tracker.push({ kind: 'sync' })
    verdictOf(tracker, ERROR)
    assert.deepEqual([skipped.ends[0]?.how, skipped.results.length], ['skipped', 0])
    verdictOf(tracker, READY)
    tracker.push({ kind: 'execute', watch: abandoned.watch })
    tracker.abandon()
    tracker.abandon()
    assert.deepEqual(
      abandoned.ends.map((end) => end.how),
      ['closed'],
    )
  })
})
