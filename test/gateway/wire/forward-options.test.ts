// A forward decision's row limit, timeout and result callbacks on a real PostgreSQL: rows past
// the limit dropped per result set (a SELECT's tag then counts what was sent, a NOTICE says
// so), an Execute limited across its portal's suspensions, a timeout that cancels upstream
// (57014, and jitgate's NOTICE), and each result and the end of a message reported in order.
import assert from 'node:assert/strict'
import { after, beforeEach, describe, it } from 'node:test'
import pg from 'pg'
import { serialize } from 'pg-protocol'
import type {
  ForwardedEnd,
  ForwardedResult,
  GateDecision,
  GateSession,
  GateStatement,
  StatementGate,
} from '../../../src/gateway/index.ts'
import { startTestPostgres } from '../../store/postgres-harness.ts'
import { startGatewayFixture } from './gateway-fixture.ts'
import { type Answer, answerAt, fieldsOf, letters, RawClient, valuesOf } from './raw-client.ts'

const postgres = await startTestPostgres()
const upstreamUrl = await postgres.emptyDatabase()
const admin = new pg.Client({ connectionString: upstreamUrl })
await admin.connect()
await admin.query(`CREATE TABLE numbers AS SELECT n FROM generate_series(1, 10) AS n;
  CREATE TABLE notes (id serial PRIMARY KEY, body text)`)

type Decide = (statement: GateStatement, session: GateSession) => GateDecision | Promise<GateDecision>

/** Forwards with whatever the test sets as `decide`, and records what the callbacks heard. */
class OptionsGate {
  decide: Decide = () => ({ action: 'forward' })
  readonly results: ForwardedResult[] = []
  readonly ends: ForwardedEnd[] = []

  /** Forwards everything with `options` and the recording callbacks. */
  forwardWith(options: { rowLimit?: number; timeoutMs?: number }): void {
    this.decide = () => ({
      action: 'forward',
      ...options,
      onResult: (result) => void this.results.push(result),
      onEnd: (end) => void this.ends.push(end),
    })
  }
}

const gate = new OptionsGate()
const forwarding: StatementGate = { decide: (session, statement) => gate.decide(statement, session) }
const fixture = await startGatewayFixture({ upstreamUrl, tls: 'none', gate: forwarding })
after(async () => {
  await admin.end()
  await fixture.close()
  await postgres.stop()
})
beforeEach(() => {
  gate.decide = () => ({ action: 'forward' })
  gate.results.length = 0
  gate.ends.length = 0
})

async function login(): Promise<RawClient> {
  return RawClient.login(fixture.port, 'alice', fixture.credentials.addKey('alice').token)
}

const tags = (answers: readonly Answer[]) =>
  answers.filter((a) => a.type === 'C').map((a) => a.body.toString('utf8', 0, a.body.length - 1))
const notices = (answers: readonly Answer[]) =>
  answers.filter((a) => a.type === 'N').map((a) => fieldsOf(a).M)
const rowValues = (answers: readonly Answer[]) =>
  answers.filter((a) => a.type === 'D').map((a) => valuesOf(a)[0])
/** The results heard, without their durations (which vary). */
const heard = () => gate.results.map(({ durationMs: _d, ...result }) => result)

describe('a row limit', () => {
  it('cuts each result set of a simple query, fixes SELECT tags and says so', async (t) => {
    const client = await login()
    t.after(() => client.end())
    gate.forwardWith({ rowLimit: 3 })
    client.send(
      serialize.query(
        'SELECT n FROM numbers ORDER BY n; SELECT n FROM numbers WHERE n > 8 ORDER BY n; INSERT INTO notes (body) SELECT n::text FROM numbers RETURNING id',
      ),
    )
    const answers = await client.untilReady()
    assert.deepEqual(rowValues(answers), ['1', '2', '3', '9', '10', '1', '2', '3'])
    // The INSERT's tag counts the rows written, which the cut does not change.
    assert.deepEqual(tags(answers), ['SELECT 3', 'SELECT 2', 'INSERT 0 10'])
    assert.deepEqual(notices(answers), [
      "jitgate cut this result at 3 rows: the policy's row limit",
      "jitgate cut this result at 3 rows: the policy's row limit",
    ])
    assert.equal((await admin.query('SELECT count(*)::int AS c FROM notes')).rows[0]?.c, 10)
    assert.deepEqual(heard(), [
      { index: 0, kind: 'complete', tag: 'SELECT 3', rows: 3 },
      { index: 1, kind: 'complete', tag: 'SELECT 2', rows: 2 },
      { index: 2, kind: 'complete', tag: 'INSERT 0 10', rows: 10 },
    ])
    assert.deepEqual(
      gate.ends.map((end) => [end.results, end.how]),
      [[3, 'answered']],
    )
  })

  it('limits node-postgres queries, extended protocol included', async (t) => {
    gate.forwardWith({ rowLimit: 4 })
    const client = await fixture.connect(t, 'alice')
    const simple = await client.query('SELECT n FROM numbers ORDER BY n')
    assert.deepEqual([simple.rowCount, simple.rows.length], [4, 4])
    const extended = await client.query('SELECT n FROM numbers WHERE n > $1 ORDER BY n', [0])
    assert.deepEqual(
      extended.rows.map((row) => row.n),
      [1, 2, 3, 4],
    )
    assert.equal(extended.rowCount, 4)
  })

  it('takes the client’s smaller maxRows, and keeps the portal suspended', async (t) => {
    const client = await login()
    t.after(() => client.end())
    gate.forwardWith({ rowLimit: 5 })
    client.send(
      serialize.parse({ text: 'SELECT n FROM numbers ORDER BY n', types: [] }),
      serialize.bind({ portal: 'p' }),
      serialize.execute({ portal: 'p', rows: 2 }),
      serialize.execute({ portal: 'p', rows: 2 }),
      serialize.execute({ portal: 'p', rows: 2 }),
      serialize.execute({ portal: 'p', rows: 2 }),
      serialize.sync(),
    )
    const answers = await client.untilReady()
    // 2 and 2 as asked, then the 1 left of the policy's 5, then nothing: the result is over.
    assert.equal(letters(answers), '1 2 D D s D D s D N C N C Z')
    assert.deepEqual(rowValues(answers), ['1', '2', '3', '4', '5'])
    assert.deepEqual(tags(answers), ['SELECT 1', 'SELECT 0'])
    assert.deepEqual(
      heard().map((r) => [r.kind, r.rows]),
      [
        ['suspended', 2],
        ['suspended', 2],
        ['complete', 1],
        ['complete', 0],
      ],
    )
  })

  it('ends the result of an unlimited Execute at the policy’s limit', async (t) => {
    const client = await login()
    t.after(() => client.end())
    gate.forwardWith({ rowLimit: 3 })
    client.send(
      serialize.parse({ text: 'SELECT n FROM numbers ORDER BY n', types: [] }),
      serialize.bind({}),
      serialize.execute({}),
      serialize.sync(),
    )
    const answers = await client.untilReady()
    assert.equal(letters(answers), '1 2 D D D N C Z')
    assert.deepEqual(tags(answers), ['SELECT 3'])
    // Fewer rows than the limit: untouched.
    client.send(
      serialize.parse({ text: 'SELECT n FROM numbers WHERE n < 3', types: [] }),
      serialize.bind({}),
      serialize.execute({}),
      serialize.sync(),
    )
    const few = await client.untilReady()
    assert.equal(letters(few), '1 2 D D C Z')
    assert.deepEqual(tags(few), ['SELECT 2'])
  })

  it('of 0 sends no rows at all', async (t) => {
    const client = await login()
    t.after(() => client.end())
    gate.forwardWith({ rowLimit: 0 })
    client.send(serialize.query('SELECT n FROM numbers'))
    const answers = await client.untilReady()
    assert.equal(letters(answers), 'T N C Z')
    assert.deepEqual(tags(answers), ['SELECT 0'])
  })
})

describe('a timeout', () => {
  it('cancels the statement upstream: PostgreSQL’s 57014, after jitgate’s NOTICE', async (t) => {
    const client = await fixture.connect(t, 'alice')
    const heardNotices: string[] = []
    client.on('notice', (notice) => heardNotices.push(notice.message ?? ''))
    gate.forwardWith({ timeoutMs: 150 })
    const started = Date.now()
    await assert.rejects(client.query('SELECT pg_sleep(10)'), (error: Error & { code?: string }) => {
      assert.equal(error.code, '57014')
      return true
    })
    assert.ok(Date.now() - started < 5000)
    assert.deepEqual(heardNotices, [
      "jitgate's statement timeout of 0.15s fired, so it cancelled the statement",
    ])
    assert.deepEqual(heard(), [{ index: 0, kind: 'error', sqlstate: '57014' }])
    // A quick statement is not cancelled later by a leftover timer.
    gate.forwardWith({ timeoutMs: 300 })
    await client.query('SELECT 1')
    await new Promise((resolve) => setTimeout(resolve, 400))
    assert.deepEqual((await client.query('SELECT 2 AS two')).rows, [{ two: 2 }])
  })
})

describe('result callbacks', () => {
  it('hear each result in order, an error’s SQLSTATE, and the end', async (t) => {
    const client = await login()
    t.after(() => client.end())
    gate.forwardWith({})
    client.send(serialize.query('BEGIN; UPDATE numbers SET n = n WHERE n <= 2; ; SELECT 1/0; SELECT 2'))
    await client.untilReady()
    assert.deepEqual(heard(), [
      { index: 0, kind: 'complete', tag: 'BEGIN' },
      { index: 1, kind: 'complete', tag: 'UPDATE 2', rows: 2 },
      { index: 2, kind: 'error', sqlstate: '22012' },
    ])
    assert.ok(gate.results.every((result) => result.durationMs >= 0))
    assert.deepEqual(
      gate.ends.map((end) => end.how),
      ['answered'],
    )
    client.send(serialize.query('ROLLBACK'))
    await client.untilReady()
  })

  it('hear an empty query, and Executes the upstream skipped after an error', async (t) => {
    const client = await login()
    t.after(() => client.end())
    gate.forwardWith({})
    client.send(serialize.query(''))
    await client.untilReady()
    assert.deepEqual(heard(), [{ index: 0, kind: 'empty' }])
    gate.results.length = 0
    gate.ends.length = 0
    client.send(
      serialize.parse({ text: 'SELECT 1/(n - 1) FROM numbers WHERE n = 1', types: [] }),
      serialize.bind({}),
      serialize.execute({}),
      serialize.parse({ name: 'later', text: 'SELECT 1', types: [] }),
      serialize.bind({ statement: 'later' }),
      serialize.execute({}),
      serialize.sync(),
    )
    await client.untilReady()
    // Parse and Bind of the first statement, its Execute, then the three skipped requests.
    assert.deepEqual(
      gate.ends.map((end) => end.how),
      ['answered', 'answered', 'answered', 'skipped', 'skipped', 'skipped'],
    )
    assert.deepEqual(heard(), [{ index: 0, kind: 'error', sqlstate: '22012' }])
  })

  it('hear a statement end with its session', async () => {
    const client = await login()
    gate.forwardWith({})
    client.send(serialize.query('SELECT pg_sleep(10)'))
    await new Promise((resolve) => setTimeout(resolve, 100))
    client.end()
    await client.closed()
    for (let i = 0; i < 50 && gate.ends.length === 0; i++) await new Promise((r) => setTimeout(r, 10))
    assert.deepEqual(
      gate.ends.map((end) => [end.how, end.results]),
      [['closed', 0]],
    )
  })

  it('that throw are logged, and the session goes on', async (t) => {
    const client = await fixture.connect(t, 'alice')
    gate.decide = () => ({
      action: 'forward',
      onResult: () => {
        throw new Error('the callback broke')
      },
    })
    assert.deepEqual((await client.query('SELECT 5 AS five')).rows, [{ five: 5 }])
    assert.ok(fixture.log.some((entry) => entry.message === 'a statement gate callback failed'))
  })
})

describe('a pending decision', () => {
  it('ends with a client that leaves: the statement it held never runs', async () => {
    const client = await login()
    let aborted = false
    // As an approval that arrives after the client left.
    gate.decide = (_statement, session) =>
      new Promise((resolve) =>
        session.signal.addEventListener('abort', () => {
          aborted = true
          resolve({ action: 'forward' })
        }),
      )
    client.send(serialize.query("INSERT INTO notes (body) VALUES ('late')"))
    await new Promise((resolve) => setTimeout(resolve, 50))
    client.end()
    await client.closed()
    assert.equal(aborted, true)
    await new Promise((resolve) => setTimeout(resolve, 100))
    assert.equal(
      (await admin.query("SELECT count(*)::int AS n FROM notes WHERE body = 'late'")).rows[0]?.n,
      0,
    )
  })
})

describe('a CancelRequest while a decision is pending', () => {
  it('aborts the decision’s signal as the client’s, and the session goes on', async (t) => {
    const client = await login()
    t.after(() => client.end())
    let reason: unknown
    gate.decide = (_statement, session) =>
      new Promise((resolve) => {
        const { signal } = session
        signal.addEventListener('abort', () => {
          reason = signal.reason
          resolve({ action: 'reject', sqlstate: '57014', message: 'stopped waiting' })
        })
      })
    client.send(serialize.query('SELECT 1'))
    await new Promise((resolve) => setTimeout(resolve, 50))
    const canceller = await RawClient.open(fixture.port)
    canceller.end(serialize.cancel(client.processId, client.secret))
    const answers = await client.untilReady()
    assert.deepEqual(
      [letters(answers), fieldsOf(answerAt(answers, 0)).C, reason],
      ['E Z', '57014', 'client_cancelled'],
    )
    gate.decide = () => ({ action: 'forward' })
    client.send(serialize.query('SELECT 2'))
    assert.equal(letters(await client.untilReady()), 'T D C Z')
  })
})

describe('malformed options', () => {
  const malformed: [string, () => GateDecision][] = [
    ['a negative row limit', () => ({ action: 'forward', rowLimit: -1 })],
    ['a fractional row limit', () => ({ action: 'forward', rowLimit: 1.5 })],
    ['a zero timeout', () => ({ action: 'forward', timeoutMs: 0 })],
    // As a gate written in plain JavaScript might answer.
    ['a callback that is not a function', () => JSON.parse('{"action":"forward","onResult":"yes"}')],
  ]
  for (const [name, decide] of malformed) {
    it(`refuse the statement: ${name}`, async (t) => {
      const client = await fixture.connect(t, 'alice')
      gate.decide = decide
      await assert.rejects(client.query('SELECT 1'), (error: Error & { code?: string }) => {
        assert.equal(error.code, 'XX000')
        return true
      })
    })
  }
})
