// The audit side of a statement: its text with every literal masked (the normalizer's output,
// and what it leaves in utility statements and comments), the `db.statement` and `db.result`
// drafts with the details the issue lists, and each statement's outcome from the results the
// wire server reported.
import assert from 'node:assert/strict'
import { before, describe, it } from 'node:test'
import { checkDraft } from '../../../src/audit/index.ts'
import { initClassifier } from '../../../src/gateway/classify/index.ts'
import { classifyMessage } from '../../../src/gateway/policy-gate/classified-message.ts'
import {
  type MessageOrigin,
  resultDraft,
  type StatementRecord,
  statementDraft,
} from '../../../src/gateway/policy-gate/index.ts'
import { statementResults } from '../../../src/gateway/policy-gate/statement-results.ts'
import { maskLiterals, WITHHELD_TEXT } from '../../../src/gateway/policy-gate/statement-text.ts'

before(() => initClassifier())

const textOf = (sql: string) => classifyMessage(sql, 'prod', undefined).statements.map((s) => s.text)

describe('the statement text', () => {
  const cases: [string, string][] = [
    [
      "SELECT * FROM customers WHERE email = 'ann@example.com' AND id > 41",
      'SELECT * FROM customers WHERE email = $1 AND id > $2',
    ],
    [
      "INSERT INTO notes VALUES (E'secret\\n', B'101', X'ff', U&'d\\0061t', 1.5e3)",
      'INSERT INTO notes VALUES ($1, $2, $3, $4, $5)',
    ],
    ['SELECT $$dollar secret$$, $t$tagged secret$t$', 'SELECT $1, $2'],
    ["COMMENT ON TABLE customers IS 'the secret plan'", 'COMMENT ON TABLE customers IS ?'],
    ["COPY customers FROM '/home/ann/leak.csv'", 'COPY customers FROM ?'],
    ["CREATE TABLE t (a text DEFAULT 'ann@example.com')", 'CREATE TABLE t (a text DEFAULT ?)'],
    ["ALTER SYSTEM SET log_line_prefix = 'secret'", 'ALTER SYSTEM SET log_line_prefix = ?'],
    ["ALTER ROLE ann PASSWORD 'hunter2'", 'ALTER ROLE ann PASSWORD $1'],
    ['SELECT 1 /* ssn 123-45-6789 */ FROM t -- email ann@example.com', 'SELECT $1  FROM t'],
    ['SELECT "it\'s a column" FROM t', 'SELECT "it\'s a column" FROM t'],
  ]
  for (const [sql, expected] of cases)
    it(`masks ${sql}`, () => {
      assert.deepEqual(textOf(sql), [expected])
    })

  it('masks each statement of a script', () => {
    assert.deepEqual(textOf("SET jitgate.reason = 'INC 7, ann@example.com'; SELECT 'x'"), [
      'SET jitgate.reason = $1',
      'SELECT $1',
    ])
  })

  it('withholds a text the lexer cannot read, and the texts of an unparseable message', () => {
    assert.equal(maskLiterals("SELECT 'unterminated"), WITHHELD_TEXT)
    const message = classifyMessage("SELECT 'ann@example.com'; SELEC 'bob@example.com'", 'prod', undefined)
    assert.deepEqual(message.unparseable?.texts, ['SELECT ?', 'SELEC ?'])
  })
})

const ORIGIN: MessageOrigin = {
  actorId: 'bob',
  connection: '0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b',
  database: 'prod',
  client: { ip: '10.0.0.7', port: 51234, tls: true, application: 'psql' },
  protocol: 'simple',
  policyVersion: 'v7',
}

const RECORD: StatementRecord = {
  id: 'st_1',
  position: 0,
  of: 1,
  text: 'SELECT email FROM customers WHERE id = $1',
  fingerprint: '0a1b2c3d4e5f6789',
  kind: 'read',
  writes: false,
  resources: ['pg://prod/public.customers'],
  decision: 'allow',
  rules: ['engineers-read-prod-masked'],
  requests: [],
  grants: [],
  enforced: { rowLimit: 1000, statementTimeoutSeconds: 30, masked: true },
}

describe('the drafts', () => {
  it('db.statement: actor, client, database, text, fingerprint, decision, rows, duration, requests and grants', () => {
    const draft = statementDraft(ORIGIN, RECORD, {
      outcome: 'ran',
      command: 'SELECT 1',
      rows: 1,
      durationMs: 0.12345,
    })
    checkDraft(draft)
    assert.deepEqual(draft, {
      actor: { type: 'user', id: 'bob' },
      type: 'db.statement',
      subject: { type: 'statement', id: 'st_1' },
      policyVersion: 'v7',
      details: {
        database: 'prod',
        connection: ORIGIN.connection,
        protocol: 'simple',
        client: { ip: '10.0.0.7', port: 51234, tls: true, application: 'psql' },
        position: 0,
        of: 1,
        statement: 'SELECT email FROM customers WHERE id = $1',
        fingerprint: '0a1b2c3d4e5f6789',
        kind: 'read',
        writes: false,
        resources: ['pg://prod/public.customers'],
        decision: 'allow',
        rules: ['engineers-read-prod-masked'],
        requests: [],
        grants: [],
        enforced: { rowLimit: 1000, statementTimeoutSeconds: 30, masked: true },
        outcome: 'ran',
        command: 'SELECT 1',
        rows: 1,
        durationMs: 0.123,
      },
    })
  })

  it('db.result: the outcome of a statement audited before it ran, under the same subject', () => {
    const draft = resultDraft(ORIGIN, 'st_1', { outcome: 'failed', sqlstate: '57014', durationMs: 30000 })
    checkDraft(draft)
    assert.deepEqual(draft.subject, { type: 'statement', id: 'st_1' })
    assert.deepEqual(draft.details, {
      database: 'prod',
      connection: ORIGIN.connection,
      outcome: 'failed',
      durationMs: 30000,
      sqlstate: '57014',
    })
  })
})

describe('statement outcomes', () => {
  const end = (how: 'answered' | 'skipped' | 'closed') => ({ results: 0, how, durationMs: 9 }) as const

  it('follow the results in order, durations per statement, none run after an error', () => {
    const outcomes = statementResults(
      4,
      [
        { index: 0, kind: 'complete', tag: 'BEGIN', durationMs: 1 },
        { index: 1, kind: 'complete', tag: 'UPDATE 2', rows: 2, durationMs: 4 },
        { index: 2, kind: 'error', sqlstate: '22012', durationMs: 4.5 },
      ],
      end('answered'),
    )
    assert.deepEqual(outcomes, [
      { outcome: 'ran', durationMs: 1, command: 'BEGIN' },
      { outcome: 'ran', durationMs: 3, command: 'UPDATE 2', rows: 2 },
      { outcome: 'failed', durationMs: 0.5, sqlstate: '22012' },
      { outcome: 'not_run' },
    ])
  })

  it('are interrupted when the session ended before their result, and not run when skipped', () => {
    assert.deepEqual(statementResults(2, [], end('closed')), [
      { outcome: 'interrupted' },
      { outcome: 'interrupted' },
    ])
    assert.deepEqual(statementResults(1, [], end('skipped')), [{ outcome: 'not_run' }])
    assert.deepEqual(
      statementResults(1, [{ index: 0, kind: 'suspended', rows: 5, durationMs: 2 }], end('answered')),
      [{ outcome: 'ran', durationMs: 2, rows: 5 }],
    )
  })
})
