// The response tracker on recorded request/answer sequences: which upstream message answers
// which request, refusals swapped in for the upstream's error (and only theirs), requests the
// upstream skips after an error, injected Describes hidden, and row transforms applied to
// their own result set only.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { dataRow, errorResponse, message, readDataRow } from '../../../src/gateway/wire/backend-messages.ts'
import {
  DROP,
  FORWARD,
  type PendingRequest,
  REPLACE,
  ResponseTracker,
  type Verdict,
} from '../../../src/gateway/wire/response-tracker.ts'
import type { RowTransformFactory } from '../../../src/gateway/wire/statement-gate.ts'

const M = {
  parseComplete: message('1', Buffer.alloc(0)),
  bindComplete: message('2', Buffer.alloc(0)),
  noData: message('n', Buffer.alloc(0)),
  suspended: message('s', Buffer.alloc(0)),
  complete: message('C', Buffer.from('SELECT 1\0')),
  row: dataRow(['secret', null]),
  error: errorResponse({ severity: 'ERROR', code: '42601', message: 'syntax error' }),
  notice: message('N', Buffer.from('SNOTICE\0\0')),
  description: message(
    'T',
    Buffer.concat([
      Buffer.from([0, 2]),
      Buffer.from('ssn\0'),
      Buffer.from([0, 0, 0x40, 0, 0, 1, 0, 0, 0, 25, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0, 0]),
      Buffer.from('note\0'),
      Buffer.from([0, 0, 0x40, 0, 0, 2, 0, 0, 0, 25, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0, 0]),
    ]),
  ),
  ready: (status: 'I' | 'T' | 'E') => message('Z', Buffer.from(status)),
}

const REFUSAL = errorResponse({ severity: 'ERROR', code: '42501', message: 'refused by policy' })
const NOTICES = Buffer.from('notices before the answer')
const masked: string[][] = []
const MASK: RowTransformFactory = (description) => {
  masked.push(description.map((column) => `${column.name}@${column.tableOid}.${column.columnAttnum}`))
  return { transform: (values) => values.map((value) => (value === null ? null : '***')) }
}

type Step = PendingRequest | readonly [Buffer, Verdict, Buffer?]

function replay(steps: readonly Step[], tracker = new ResponseTracker()): ResponseTracker {
  steps.forEach((step, i) => {
    if (!Array.isArray(step)) {
      tracker.push(step as PendingRequest)
      return
    }
    const [answer, verdict, prefix] = step as readonly [Buffer, Verdict, Buffer?]
    assert.equal(tracker.onMessage(answer[0] ?? 0, answer, 0, answer.length), verdict, `step ${i}`)
    assert.equal(tracker.prefix, prefix, `prefix at step ${i}`)
    if (verdict === REPLACE && answer[0] === 0x45) assert.equal(tracker.replacement, REFUSAL)
  })
  return tracker
}

const query: PendingRequest = { kind: 'query' }
const parse: PendingRequest = { kind: 'parse' }
const bind: PendingRequest = { kind: 'bind' }
const execute: PendingRequest = { kind: 'execute' }
const sync: PendingRequest = { kind: 'sync' }

describe('ResponseTracker', () => {
  it('follows a simple query to its ReadyForQuery, and the transaction status with it', () => {
    const tracker = replay([
      query,
      [M.description, FORWARD],
      [M.row, FORWARD],
      [M.complete, FORWARD],
      [M.ready('T'), FORWARD],
    ])
    assert.equal(tracker.idle, true)
    assert.equal(tracker.transactionStatus, 'T')
  })

  it('follows a pipelined extended query, a portal suspended on its row limit included', () => {
    const tracker = replay([
      parse,
      bind,
      { kind: 'describe' },
      execute,
      sync,
      [M.parseComplete, FORWARD],
      [M.bindComplete, FORWARD],
      [M.description, FORWARD],
      [M.row, FORWARD],
      [M.suspended, FORWARD],
      [M.ready('I'), FORWARD],
    ])
    assert.equal(tracker.idle, true)
  })

  it('swaps the refusal in for the error of the failing statement sent in its place', () => {
    const tracker = replay([{ kind: 'query', refusal: REFUSAL }, [M.error, REPLACE], [M.ready('E'), FORWARD]])
    assert.equal(tracker.transactionStatus, 'E')
    assert.equal(tracker.idle, true)
  })

  it('skips to Sync after a refused Parse and reads the next batch as usual', () => {
    replay([
      { kind: 'parse', refusal: REFUSAL },
      bind,
      execute,
      sync,
      parse,
      bind,
      execute,
      sync,
      [M.error, REPLACE],
      [M.ready('I'), FORWARD],
      [M.parseComplete, FORWARD],
      [M.bindComplete, FORWARD],
      [M.complete, FORWARD],
      [M.ready('I'), FORWARD],
    ])
  })

  it('leaves the upstream’s own error alone when a refused statement after it was skipped', () => {
    const tracker = replay([
      parse,
      bind,
      execute,
      { kind: 'parse', refusal: REFUSAL },
      sync,
      [M.parseComplete, FORWARD],
      [M.bindComplete, FORWARD],
      [M.error, FORWARD],
      [M.ready('I'), FORWARD],
    ])
    assert.equal(tracker.idle, true)
  })

  it('drops requests the upstream will skip when the error comes before the client’s Sync', () => {
    const tracker = replay([parse, bind, [M.parseComplete, FORWARD], [M.error, FORWARD]])
    assert.equal(tracker.idle, false)
    replay([execute, sync, [M.ready('I'), FORWARD]], tracker)
    assert.equal(tracker.idle, true)
  })

  it('forwards an error at Sync (a failed commit) and ends at the ReadyForQuery after it', () => {
    const tracker = replay([
      bind,
      execute,
      sync,
      [M.bindComplete, FORWARD],
      [M.complete, FORWARD],
      [M.error, FORWARD],
      [M.ready('I'), FORWARD],
    ])
    assert.equal(tracker.idle, true)
  })

  it('hides the answer to an injected Describe and masks the Execute’s rows with it', () => {
    masked.length = 0
    replay([
      bind,
      { kind: 'describe', hidden: true },
      { kind: 'execute', rows: MASK },
      sync,
      [M.bindComplete, FORWARD],
      [M.description, DROP],
      [M.row, REPLACE],
      [M.row, REPLACE],
      [M.complete, FORWARD],
      [M.ready('I'), FORWARD],
    ])
    assert.deepEqual(masked, [['ssn@16384.1', 'note@16384.2']])
  })

  it('writes the transformed values as a DataRow, NULL kept', () => {
    const tracker = replay([{ kind: 'query', rows: MASK }, [M.description, FORWARD]])
    assert.equal(tracker.onMessage(0x44, M.row, 0, M.row.length), REPLACE)
    const values = readDataRow(tracker.replacement, 0, tracker.replacement.length)
    assert.deepEqual(
      values.map((value) => value?.toString() ?? null),
      ['***', null],
    )
  })

  it('hides NoData for an injected Describe of a portal that returns no rows', () => {
    replay([
      { kind: 'describe', hidden: true },
      { kind: 'execute', rows: MASK },
      sync,
      [M.noData, DROP],
      [M.complete, FORWARD],
      [M.ready('I'), FORWARD],
    ])
  })

  it('applies a query’s transform to each of its result sets', () => {
    masked.length = 0
    replay([
      { kind: 'query', rows: MASK },
      [M.description, FORWARD],
      [M.row, REPLACE],
      [M.complete, FORWARD],
      [M.description, FORWARD],
      [M.row, REPLACE],
      [M.complete, FORWARD],
      [M.ready('I'), FORWARD],
      query,
      [M.description, FORWARD],
      [M.row, FORWARD],
    ])
    assert.equal(masked.length, 2)
  })

  it('sends a decision’s notices just before the first answer of its request', () => {
    replay([
      query,
      { kind: 'query', before: NOTICES },
      [M.description, FORWARD],
      [M.complete, FORWARD],
      [M.ready('I'), FORWARD],
      [M.notice, FORWARD, NOTICES],
      [M.complete, FORWARD],
      [M.ready('I'), FORWARD],
    ])
  })

  it('refuses to pass rows of an Execute with a transform and no description (fail safe)', () => {
    const tracker = replay([{ kind: 'execute', rows: MASK }])
    assert.throws(() => tracker.onMessage(0x44, M.row, 0, M.row.length), /cannot attribute to columns/)
  })

  it('refuses a transform that changes the number of columns', () => {
    const tracker = replay([
      { kind: 'query', rows: () => ({ transform: () => ['only one'] }) },
      [M.description, FORWARD],
    ])
    assert.throws(() => tracker.onMessage(0x44, M.row, 0, M.row.length), /changed the number of columns/)
  })
})
