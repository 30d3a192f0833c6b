// The reads let through are audited in batches: one `db.statements` event per connection with
// every statement in it, what repeats written once as a shape, and nothing lost or merged
// that differs. The log writes a batch when its time is up, when it is full, when the policy
// version changes, and on flush.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { type AuditDraft, checkDraft, createRedactor, DEFAULT_MAX_ITEMS } from '../../../src/audit/index.ts'
import {
  type MessageOrigin,
  type StatementRecord,
  statementDraft,
  statementsDraft,
  statementsOf,
} from '../../../src/gateway/policy-gate/index.ts'
import { StatementLog } from '../../../src/gateway/policy-gate/statement-log.ts'

const ORIGIN: MessageOrigin = {
  actorId: 'bob',
  connection: '0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b',
  database: 'prod',
  client: { ip: '10.0.0.7', port: 51234, tls: false, application: 'pgbench' },
  protocol: 'extended',
  policyVersion: 'v7',
}

const RECORD: StatementRecord = {
  id: 'st_1',
  position: 0,
  of: 1,
  text: 'SELECT abalance FROM pgbench_accounts WHERE aid = $1',
  fingerprint: '0a1b2c3d4e5f6789',
  kind: 'read',
  writes: false,
  resources: ['pg://prod/public.pgbench_accounts'],
  decision: 'allow',
  rules: ['reads'],
  requests: [],
  grants: [],
  enforced: { masked: false },
}

const AT = new Date('2026-11-23T22:00:00.000Z')
const ran = { outcome: 'ran' as const, command: 'SELECT 1', rows: 1, durationMs: 0.1 }

describe('the db.statements event', () => {
  it('holds every statement, with what repeats written once', () => {
    const other = { ...RECORD, id: 'st_3', text: 'SELECT 1', resources: ['pg://prod/'], fingerprint: 'ff' }
    const draft = statementsDraft({
      origin: ORIGIN,
      statements: [
        { record: RECORD, result: ran, protocol: 'extended', at: AT },
        { record: { ...RECORD, id: 'st_2' }, result: ran, protocol: 'simple', at: AT },
        { record: other, result: { outcome: 'failed', sqlstate: '57014' }, protocol: 'simple', at: AT },
      ],
    })
    checkDraft(draft)
    assert.deepEqual(
      [draft.type, draft.subject, draft.actor, draft.policyVersion],
      ['db.statements', { type: 'connection', id: ORIGIN.connection }, { type: 'user', id: 'bob' }, 'v7'],
    )
    const details = draft.details as { count: number; shapes: unknown[] }
    assert.equal(details.count, 3)
    assert.equal(details.shapes.length, 2)
  })

  it('reads back as the db.statement details each statement would have had', () => {
    const records = [RECORD, { ...RECORD, id: 'st_2', position: 1, of: 2, rules: ['reads', 'other'] }]
    const draft = statementsDraft({
      origin: ORIGIN,
      statements: records.map((record) => ({ record, result: ran, protocol: 'extended' as const, at: AT })),
    })
    const read = statementsOf(draft.type, JSON.parse(JSON.stringify(draft.details)))
    const one = records.map((record) => {
      const { details } = statementDraft(ORIGIN, record, ran)
      return { ...details, id: record.id, at: AT.toISOString() }
    })
    assert.deepEqual(read, one)
    assert.deepEqual(statementsOf('db.statement', { statement: 'x' }), [{ statement: 'x' }])
    assert.deepEqual(statementsOf('request.created', { statement: 'x' }), [])
  })

  it('keeps every statement of a full batch through the redactor, and no batch is fuller', () => {
    const { statements, written } = log({ maxStatements: 10_000 })
    for (let i = 0; i < 3 * DEFAULT_MAX_ITEMS; i++)
      statements.add(ORIGIN, { ...RECORD, id: `st_${i}`, text: `SELECT ${i}` }, ran)
    statements.flush()
    const drafts = written.flat()
    assert.deepEqual(
      drafts.map((d) => (d.details as { count: number }).count),
      [DEFAULT_MAX_ITEMS, DEFAULT_MAX_ITEMS, DEFAULT_MAX_ITEMS],
    )
    const redact = createRedactor()
    // As the log keeps it: redacted, then JSON.
    const read = drafts.flatMap((d) =>
      statementsOf(d.type, JSON.parse(JSON.stringify(redact(d.details ?? {})))),
    )
    assert.equal(read.length, 3 * DEFAULT_MAX_ITEMS)
    assert.deepEqual(
      read.map((r) => [r.id, r.statement]),
      read.map((_, i) => [`st_${i}`, `SELECT ${i}`]),
    )
  })

  it('keeps each time to the millisecond as an offset from the batch start', () => {
    const later = new Date(AT.getTime() + 1234)
    const draft = statementsDraft({
      origin: ORIGIN,
      statements: [
        { record: RECORD, result: ran, protocol: 'extended', at: AT },
        {
          record: { ...RECORD, id: 'st_2' },
          result: { outcome: 'failed', sqlstate: '57014' },
          protocol: 'simple',
          at: later,
        },
      ],
    })
    const read = statementsOf(draft.type, JSON.parse(JSON.stringify(draft.details)))
    assert.deepEqual(
      read.map((r) => [r.at, r.protocol, r.outcome, r.sqlstate, r.rows, r.command]),
      [
        [AT.toISOString(), 'extended', 'ran', undefined, 1, 'SELECT 1'],
        [later.toISOString(), 'simple', 'failed', '57014', undefined, undefined],
      ],
    )
    // Absent values are not there at all, as in a db.statement event.
    assert.equal('rows' in (read[1] ?? {}), false)
  })

  it('never merges statements that differ in any field it shows', () => {
    const variants: StatementRecord[] = [
      RECORD,
      { ...RECORD, decision: 'require_approval' },
      { ...RECORD, rules: ['reads', 'more'] },
      { ...RECORD, enforced: { masked: true } },
      { ...RECORD, enforced: { masked: false, rowLimit: 10 } },
      { ...RECORD, grants: ['g1'] },
      { ...RECORD, text: `${RECORD.text} ` },
      { ...RECORD, resources: ['pg://prod/public.pgbench_accounts', 'pg://prod/public.x'] },
    ]
    const draft = statementsDraft({
      origin: ORIGIN,
      statements: variants.map((record) => ({ record, result: ran, protocol: 'simple' as const, at: AT })),
    })
    assert.equal((draft.details as { shapes: unknown[] }).shapes.length, variants.length)
  })
})

function log(options: { flushMs?: number; maxStatements?: number } = {}) {
  const written: AuditDraft[][] = []
  const statements = new StatementLog({
    write: (drafts) => void written.push([...drafts]),
    now: () => AT,
    flushMs: options.flushMs ?? 60_000,
    maxStatements: options.maxStatements ?? 500,
  })
  const counts = () => written.map((drafts) => drafts.map((d) => (d.details as { count: number }).count))
  return { statements, written, counts }
}

describe('the statement log', () => {
  it('writes one event per connection, all in one go, when flushed', () => {
    const { statements, counts, written } = log()
    const second = { ...ORIGIN, connection: 'c2', actorId: 'ann' }
    statements.add(ORIGIN, RECORD, ran)
    statements.add(second, RECORD, ran)
    statements.add(ORIGIN, { ...RECORD, id: 'st_2' }, ran)
    assert.equal(written.length, 0)
    statements.flush()
    assert.deepEqual(counts(), [[2, 1]])
    assert.deepEqual(
      written[0]?.map((d) => d.actor.id),
      ['bob', 'ann'],
    )
    statements.flush()
    assert.equal(written.length, 1, 'nothing held, nothing written')
  })

  it('writes a batch when it is full, and when the policy version changes', () => {
    const { statements, counts } = log({ maxStatements: 2 })
    statements.add(ORIGIN, RECORD, ran)
    statements.add(ORIGIN, RECORD, ran)
    assert.deepEqual(counts(), [[2]])
    statements.add(ORIGIN, RECORD, ran)
    statements.add({ ...ORIGIN, policyVersion: 'v8' }, RECORD, ran)
    assert.deepEqual(counts(), [[2], [1]])
    statements.flush()
    assert.deepEqual(counts(), [[2], [1], [1]])
  })

  it('writes what it holds once its time is up', async () => {
    const { statements, counts } = log({ flushMs: 5 })
    statements.add(ORIGIN, RECORD, ran)
    statements.add(ORIGIN, RECORD, ran)
    assert.deepEqual(counts(), [])
    await new Promise((resolve) => setTimeout(resolve, 30))
    assert.deepEqual(counts(), [[2]])
  })
})
