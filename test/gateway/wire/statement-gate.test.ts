// The StatementGate and RowTransform hooks on a real PostgreSQL: every statement reaches the
// gate (simple, and each Parse, Bind and Execute) with its session; a refusal reads 42501 with
// the gate's words and leaves transactions as PostgreSQL would; asynchronous decisions keep
// pipelined statements in order; a gate that throws refuses; a transform rewrites a column.
import assert from 'node:assert/strict'
import { after, beforeEach, describe, it, type TestContext } from 'node:test'
import { setImmediate as nextTurn } from 'node:timers/promises'
import pg from 'pg'
import { serialize } from 'pg-protocol'
import type { GateDecision, GateSession, GateStatement, StatementGate } from '../../../src/gateway/index.ts'
import { failure } from '../../helpers/pg-failure.ts'
import { startTestPostgres } from '../../store/postgres-harness.ts'
import { startGatewayFixture } from './gateway-fixture.ts'
import { answerAt, fieldsOf, letters, RawClient, valuesOf } from './raw-client.ts'

const postgres = await startTestPostgres()
const upstreamUrl = await postgres.emptyDatabase()
const admin = new pg.Client({ connectionString: upstreamUrl })
await admin.connect()
await admin.query(`CREATE TABLE people (id int PRIMARY KEY, email text, name text);
  INSERT INTO people VALUES (1, 'ann@example.com', 'Ann'), (2, NULL, 'Bob');
  CREATE TABLE ledger (id int)`)
// Two tables alike (PostgreSQL fails a prepared statement whose result names or types change),
// for a prepared statement that a new search_path turns from one to the other: in sb.people the
// name is what is masked.
await admin.query(`CREATE SCHEMA sa; CREATE TABLE sa.people (id int, email text, name text);
  CREATE SCHEMA sb; CREATE TABLE sb.people (id int, email text, name text);
  INSERT INTO sa.people VALUES (1, 'ann@example.com', 'Ann'); INSERT INTO sb.people VALUES (1, 'ann@example.com', 'Ann')`)
const masked = await admin.query(`SELECT attrelid::int AS oid, attnum FROM pg_attribute
  WHERE (attname = 'email' AND attrelid IN ('people'::regclass, 'sa.people'::regclass))
     OR (attname = 'name' AND attrelid = 'sb.people'::regclass)`)
const MASKED = new Set(masked.rows.map((row) => `${row.oid}.${row.attnum}`))

interface Seen {
  readonly statement: GateStatement
  readonly status: string
  readonly user: string
}

// Decides by words in the SQL, as a policy would by its classification.
class WordGate implements StatementGate {
  readonly seen: Seen[] = []

  decide(session: GateSession, statement: GateStatement): GateDecision | Promise<GateDecision> {
    this.seen.push({ statement, status: session.transactionStatus, user: session.user })
    const sql = statement.sql ?? ''
    if (sql.includes('forbidden'))
      return {
        action: 'reject',
        message: 'policy no-forbidden denies this statement',
        detail: 'rule no-forbidden',
        hint: 'ask for approval',
      }
    if (sql.includes('throws')) throw new Error('the gate broke')
    if (sql.includes('rejects later'))
      return nextTurn().then(() => Promise.reject(new Error('the gate broke later')))
    // A decision that is not one, as a buggy gate written in plain JavaScript might return.
    if (sql.includes('garbled')) return JSON.parse('{"action":"allow"}')
    if (sql.includes('slowly')) return nextTurn().then(() => ({ action: 'forward' }) as const)
    if (sql.includes('announce')) {
      session.notice({ code: '01000', message: 'said at once' })
      return { action: 'forward', notices: [{ code: '01000', message: 'this statement is watched' }] }
    }
    if (sql.includes('people'))
      return {
        action: 'forward',
        rows: (description) => {
          const masked = description.map((column) => MASKED.has(`${column.tableOid}.${column.columnAttnum}`))
          if (!masked.includes(true)) return undefined
          // A binary value cannot be masked with text: it goes as NULL.
          const binary = description.map((column) => column.format === 1)
          return {
            transform: (values) =>
              values.map((value, i) =>
                masked[i] === true && value !== null ? (binary[i] === true ? null : '***') : value,
              ),
          }
        },
      }
    return { action: 'forward' }
  }
}

const gate = new WordGate()
const fixture = await startGatewayFixture({ upstreamUrl, gate, tls: 'optional' })
after(async () => {
  await admin.end()
  await fixture.close()
  await postgres.stop()
})
beforeEach(() => {
  gate.seen.length = 0
})

const seenAs = () =>
  gate.seen.map(({ statement }) =>
    statement.kind === 'simple'
      ? `simple ${statement.sql}`
      : `${statement.phase} ${statement.sql ?? '(unknown)'}`,
  )

describe('the statement gate', () => {
  it('sees every statement: a simple query once, an extended one at Parse, Bind and Execute', async (t) => {
    const client = await fixture.connect(t, 'alice')
    await client.query('SELECT 1')
    await client.query('SELECT $1::int AS n', [7])
    assert.deepEqual(seenAs(), [
      'simple SELECT 1',
      'parse SELECT $1::int AS n',
      'bind SELECT $1::int AS n',
      'execute SELECT $1::int AS n',
    ])
    const execute = gate.seen.at(-1)?.statement
    assert.ok(execute?.kind === 'extended' && execute.phase !== 'parse')
    assert.deepEqual(
      execute.params.map((p) => p?.toString()),
      ['7'],
    )
    assert.equal(gate.seen[0]?.user, 'alice')
  })

  it('refuses with 42501 and the gate’s words, and the session goes on', async (t) => {
    const client = await fixture.connect(t, 'alice')
    const refused = await failure(client.query('SELECT 1 AS forbidden'))
    assert.deepEqual(
      [refused.code, refused.message, refused.detail, refused.hint],
      ['42501', 'policy no-forbidden denies this statement', 'rule no-forbidden', 'ask for approval'],
    )
    assert.deepEqual((await client.query('SELECT 2 AS fine')).rows, [{ fine: 2 }])
    const extended = await failure(client.query('SELECT $1::text AS forbidden', ['x']))
    assert.equal(extended.code, '42501')
    assert.deepEqual((await client.query('SELECT $1::int AS fine', [3])).rows, [{ fine: 3 }])
  })

  it('fails an open transaction on a refusal, as PostgreSQL fails it on an error', async (t) => {
    const client = await fixture.connect(t, 'alice')
    await client.query('BEGIN')
    await client.query('INSERT INTO ledger VALUES (1)')
    assert.equal((await failure(client.query('DELETE FROM ledger /* forbidden */'))).code, '42501')
    assert.equal((await failure(client.query('SELECT 1'))).code, '25P02')
    assert.equal((await client.query('COMMIT')).command, 'ROLLBACK')
    assert.equal((await admin.query('SELECT * FROM ledger')).rowCount, 0)
    assert.deepEqual(
      gate.seen.map((seen) => seen.status),
      ['I', 'T', 'T', 'E', 'E'],
    )
  })

  it('answers a refusal in a pipeline in its place, between the batches before and after it', async (t) => {
    const client = await RawClient.login(fixture.port, 'alice', fixture.credentials.addKey('alice').token)
    t.after(() => client.end())
    const batch = (sql: string) => [
      serialize.parse({ text: sql, types: [] }),
      serialize.bind({}),
      serialize.execute({}),
      serialize.sync(),
    ]
    client.send(...batch('SELECT 1'), ...batch('SELECT 2 AS forbidden'), ...batch('SELECT 3'))
    const answers = [await client.untilReady(), await client.untilReady(), await client.untilReady()]
    assert.deepEqual(answers.map(letters), ['1 2 D C Z', 'E Z', '1 2 D C Z'])
    assert.equal(fieldsOf(answerAt(answers[1] ?? [], 0)).C, '42501')
    assert.deepEqual(valuesOf(answerAt(answers[2] ?? [], 2)), ['3'])
  })

  it('keeps pipelined statements in order while a decision is pending', async (t) => {
    const client = await RawClient.login(fixture.port, 'alice', fixture.credentials.addKey('alice').token)
    t.after(() => client.end())
    client.send(serialize.query("SELECT 'first, decided slowly'"), serialize.query("SELECT 'second'"))
    assert.deepEqual(valuesOf(answerAt(await client.untilReady(), 1)), ['first, decided slowly'])
    assert.deepEqual(valuesOf(answerAt(await client.untilReady(), 1)), ['second'])
  })

  it('reaches the gate with unknown SQL for a statement prepared in SQL', async (t) => {
    const client = await RawClient.login(fixture.port, 'alice', fixture.credentials.addKey('alice').token)
    t.after(() => client.end())
    client.send(serialize.query('PREPARE by_sql AS SELECT 42'))
    await client.untilReady()
    client.send(serialize.bind({ statement: 'by_sql' }), serialize.execute({}), serialize.sync())
    assert.equal(letters(await client.untilReady()), '2 D C Z')
    assert.deepEqual(seenAs().slice(1), ['bind (unknown)', 'execute (unknown)'])
  })

  it('refuses what a failing gate could not decide (fail safe)', async (t) => {
    const client = await fixture.connect(t, 'alice')
    for (const sql of ['SELECT 1 AS throws', "SELECT 'rejects later'", "SELECT 'garbled'"]) {
      const refused = await failure(client.query(sql))
      assert.deepEqual(
        [refused.code, refused.message],
        ['XX000', 'jitgate could not decide on this statement, so it did not run'],
        sql,
      )
    }
    assert.ok(
      fixture.log.some(
        (entry) => entry.level === 'error' && entry.message.startsWith('the statement gate failed'),
      ),
    )
    assert.deepEqual((await client.query('SELECT 1 AS fine')).rows, [{ fine: 1 }])
  })

  it('sends a decision’s notices before the statement’s answer, and session notices at once', async (t) => {
    const client = await fixture.connect(t, 'alice')
    const notices: string[] = []
    client.on('notice', (notice) => notices.push(notice.message ?? ''))
    await client.query("SELECT 'announce' AS word")
    assert.deepEqual(notices, ['said at once', 'this statement is watched'])
  })
})

/** alice's session over the raw protocol; `rowsOf` sends messages and a Sync, and gives the rows. */
async function rawSession(t: TestContext) {
  const client = await RawClient.login(fixture.port, 'alice', fixture.credentials.addKey('alice').token)
  t.after(() => client.end())
  const rowsOf = async (...messages: Buffer[]) => {
    client.send(...messages, serialize.sync())
    return (await client.untilReady()).filter((a) => a.type === 'D').map(valuesOf)
  }
  return { client, rowsOf }
}

describe('row transforms', () => {
  it('rewrite a column’s values in simple queries, NULL kept and aliases followed', async (t) => {
    const client = await fixture.connect(t, 'alice')
    const { rows } = await client.query('SELECT id, email AS contact, name FROM people ORDER BY id')
    assert.deepEqual(rows, [
      { id: 1, contact: '***', name: 'Ann' },
      { id: 2, contact: null, name: 'Bob' },
    ])
  })

  it('rewrite rows of the extended protocol, named statements included', async (t) => {
    const client = await fixture.connect(t, 'alice')
    for (const id of [1, 2]) {
      const { rows } = await client.query({
        name: 'person',
        text: 'SELECT email, name FROM people WHERE id = $1',
        values: [id],
      })
      assert.deepEqual(rows, [id === 1 ? { email: '***', name: 'Ann' } : { email: null, name: 'Bob' }])
    }
  })

  it('keep a statement’s description for its next Executes, and ask again once it may have changed', async (t) => {
    const { client, rowsOf } = await rawSession(t)
    const run = () => rowsOf(serialize.bind({ statement: 's' }), serialize.execute({}))
    await rowsOf(
      serialize.parse({ text: 'SET search_path = sa', types: [] }),
      serialize.bind({}),
      serialize.execute({}),
    )
    await rowsOf(serialize.parse({ name: 's', text: 'SELECT * FROM people', types: [] }))
    for (let i = 0; i < 3; i++) assert.deepEqual(await run(), [['1', '***', 'Ann']])
    // The same statement now reads sb.people, where the name is masked: a simple query…
    client.send(serialize.query('SET search_path = sb'))
    await client.untilReady()
    assert.deepEqual(await run(), [['1', 'ann@example.com', '***']])
    // …or an Execute of a statement that is not a masked read.
    await rowsOf(serialize.parse({ name: 'to-sa', text: 'SET search_path = sa', types: [] }))
    await rowsOf(serialize.bind({ statement: 'to-sa' }), serialize.execute({}))
    assert.deepEqual(await run(), [['1', '***', 'Ann']])
    // Binary results are described apart from text ones.
    assert.deepEqual(await rowsOf(serialize.bind({ statement: 's', binary: true }), serialize.execute({})), [
      [String.fromCharCode(0, 0, 0, 1), null, 'Ann'],
    ])
    assert.deepEqual(await run(), [['1', '***', 'Ann']])
    // Pipelined: a description asked for before a change arrives after it, and is not kept.
    client.send(serialize.query('SET search_path = sa'))
    await client.untilReady()
    client.send(
      serialize.bind({ statement: 's' }),
      serialize.execute({}),
      serialize.sync(),
      serialize.query('SET search_path = sb'),
    )
    await client.untilReady()
    await client.untilReady()
    assert.deepEqual(await run(), [['1', 'ann@example.com', '***']])
  })

  it('never take the description of a portal of one unnamed statement for the next', async (t) => {
    const { client, rowsOf } = await rawSession(t)
    client.send(serialize.query('BEGIN'))
    await client.untilReady()
    // In two round trips, so that the first description is known before the second statement.
    const rows = await rowsOf(
      serialize.parse({ text: 'SELECT email, name FROM people ORDER BY id', types: [] }),
      serialize.bind({ portal: 'p' }),
      serialize.execute({ portal: 'p', rows: 1 }),
    )
    rows.push(
      // The unnamed statement is replaced while the portal bound from it lives on.
      ...(await rowsOf(
        serialize.parse({ text: 'SELECT name, email FROM people ORDER BY id', types: [] }),
        serialize.bind({}),
        serialize.execute({}),
        serialize.execute({ portal: 'p', rows: 1 }),
      )),
    )
    assert.deepEqual(rows, [
      ['***', 'Ann'],
      ['Ann', '***'],
      ['Bob', null],
      [null, 'Bob'],
    ])
  })

  it('rewrite rows of an Execute the client never described', async (t) => {
    const client = await RawClient.login(fixture.port, 'alice', fixture.credentials.addKey('alice').token)
    t.after(() => client.end())
    client.send(
      serialize.parse({ text: 'SELECT email FROM people WHERE id = 1', types: [] }),
      serialize.bind({}),
      serialize.execute({}),
      serialize.sync(),
    )
    const answers = await client.untilReady()
    assert.equal(letters(answers), '1 2 D C Z')
    assert.deepEqual(valuesOf(answerAt(answers, 2)), ['***'])
  })
})
