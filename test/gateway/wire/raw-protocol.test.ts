// The protocol message by message through the gateway (plain TCP, SCRAM): COPY in both
// directions, pipelined extended queries across an error, CancelRequest routed by the
// gateway's own key, FunctionCall refused, malformed messages ending only their connection,
// and jitgate's SCRAM verifiers computed as PostgreSQL computes them.
import assert from 'node:assert/strict'
import { after, describe, it } from 'node:test'
import { setImmediate as nextTurn } from 'node:timers/promises'
import pg from 'pg'
import { serialize } from 'pg-protocol'
import { parseScramVerifier, scramVerifier } from '../../../src/gateway/index.ts'
import { startTestPostgres } from '../../store/postgres-harness.ts'
import { startGatewayFixture } from './gateway-fixture.ts'
import { answerAt, fieldsOf, letters, RawClient, valuesOf } from './raw-client.ts'

const postgres = await startTestPostgres()
const upstreamUrl = await postgres.emptyDatabase()
const fixture = await startGatewayFixture({ upstreamUrl, tls: 'none' })
const admin = new pg.Client({ connectionString: upstreamUrl })
await admin.connect()
await admin.query('CREATE TABLE items (id int PRIMARY KEY, name text)')
after(async () => {
  await admin.end()
  await fixture.close()
  await postgres.stop()
})

async function login(user = 'alice'): Promise<RawClient> {
  return RawClient.login(fixture.port, user, fixture.credentials.addKey(user).token)
}

const query = (sql: string) => serialize.query(sql)
const extended = (sql: string, values: string[] = []) => [
  serialize.parse({ text: sql, types: [] }),
  serialize.bind({ values }),
  serialize.execute({}),
  serialize.sync(),
]

describe('COPY through the gateway', () => {
  it('copies rows in, and out again', async (t) => {
    const client = await login()
    t.after(() => client.end())
    client.send(query('COPY items FROM STDIN'))
    assert.equal((await client.next()).type, 'G')
    client.send(
      serialize.copyData(Buffer.from('1\tone\n2\t')),
      serialize.copyData(Buffer.from('two\n')),
      serialize.copyDone(),
    )
    const copied = await client.untilReady()
    assert.equal(letters(copied), 'C Z')
    assert.equal(copied[0]?.body.toString(), 'COPY 2\0')
    client.send(query('COPY (SELECT * FROM items ORDER BY id) TO STDOUT'))
    const out = await client.untilReady()
    assert.equal(letters(out), 'H d d c C Z')
    assert.deepEqual(
      out.filter((answer) => answer.type === 'd').map((answer) => answer.body.toString()),
      ['1\tone\n', '2\ttwo\n'],
    )
  })

  it('ends a COPY the client gives up on with the upstream’s error, the session still usable', async (t) => {
    const client = await login()
    t.after(() => client.end())
    client.send(query('COPY items FROM STDIN'))
    assert.equal((await client.next()).type, 'G')
    client.send(serialize.copyData(Buffer.from('3\tthree\n')), serialize.copyFail('changed my mind'))
    const failed = await client.untilReady()
    assert.equal(letters(failed), 'E Z')
    assert.equal(fieldsOf(answerAt(failed, 0)).C, '57014')
    client.send(query('SELECT count(*) FROM items'))
    assert.deepEqual(valuesOf(answerAt(await client.untilReady(), 1)), ['2'])
  })
})

describe('the extended protocol, pipelined', () => {
  it('skips to Sync after an error and answers the next batch', async (t) => {
    const client = await login()
    t.after(() => client.end())
    // random() keeps the planner from dividing by zero at Bind: the error comes at Execute.
    client.send(
      ...extended('SELECT 1 / (random() * $1::int)::int', ['0']),
      ...extended('SELECT $1::text', ['after']),
    )
    const first = await client.untilReady()
    const second = await client.untilReady()
    assert.equal(letters(first), '1 2 E Z')
    assert.equal(fieldsOf(answerAt(first, 2)).C, '22012')
    assert.equal(letters(second), '1 2 D C Z')
    assert.deepEqual(valuesOf(answerAt(second, 2)), ['after'])
  })

  it('keeps named statements and portals, with row limits, across Syncs', async (t) => {
    const client = await login()
    t.after(() => client.end())
    client.send(
      query('BEGIN'),
      serialize.parse({ name: 'series', text: 'SELECT generate_series(1, $1::int)', types: [] }),
      serialize.bind({ portal: 'cursor', statement: 'series', values: ['3'] }),
      serialize.execute({ portal: 'cursor', rows: 2 }),
      serialize.sync(),
      serialize.execute({ portal: 'cursor', rows: 2 }),
      serialize.sync(),
      query('COMMIT'),
    )
    assert.equal(letters(await client.untilReady()), 'C Z')
    assert.equal(letters(await client.untilReady()), '1 2 D D s Z')
    assert.equal(letters(await client.untilReady()), 'D C Z')
    assert.equal(letters(await client.untilReady()), 'C Z')
  })
})

describe('cancel requests', () => {
  it('cancels the running statement through the gateway’s own key', async (t) => {
    const client = await login()
    t.after(() => client.end())
    client.send(query('SELECT pg_sleep(60) /* cancel me */'))
    const running = "SELECT 1 FROM pg_stat_activity WHERE state = 'active' AND query LIKE '%cancel me */'"
    while ((await admin.query(running)).rowCount === 0) await nextTurn()
    const canceller = await RawClient.open(fixture.port)
    canceller.end(serialize.cancel(client.processId, client.secret))
    const answers = await client.untilReady()
    assert.equal(letters(answers), 'T E Z')
    assert.equal(fieldsOf(answerAt(answers, 1)).C, '57014')
  })
})

describe('messages the gateway refuses', () => {
  it('refuses FunctionCall, which would call a function past the gate', async (t) => {
    const client = await login()
    t.after(() => client.end())
    // FunctionCall of pg_sleep (OID 2626) with no arguments, text result.
    client.send(Buffer.from([0x46, 0, 0, 0, 14, 0, 0, 0x0a, 0x42, 0, 0, 0, 0, 0, 0]))
    const refused = await client.untilReady()
    assert.equal(letters(refused), 'E Z')
    const { C, M } = fieldsOf(answerAt(refused, 0))
    assert.deepEqual(
      [C, M],
      ['0A000', 'jitgate does not pass FunctionCall messages: call the function in SQL'],
    )
    client.send(query('SELECT 1'))
    assert.equal(letters(await client.untilReady()), 'T D C Z')
  })

  const malformed: [string, Buffer, RegExp][] = [
    ['an unknown message type', Buffer.from([0x79, 0, 0, 0, 4]), /unexpected message type 'y'/],
    ['a Query without its NUL', Buffer.from([0x51, 0, 0, 0, 6, 0x41, 0x42]), /without its terminating NUL/],
    ['a length under 4', Buffer.from([0x51, 0, 0, 0, 1]), /invalid message length 1/],
  ]
  for (const [name, bytes, message] of malformed) {
    it(`ends the connection on ${name} with 08P01, and only that connection`, async (t) => {
      const client = await login()
      const bystander = await login('bob')
      t.after(() => bystander.end())
      client.send(bytes)
      const fatal = await client.next()
      assert.equal(fatal.type, 'E')
      assert.equal(fieldsOf(fatal).C, '08P01')
      assert.equal(fieldsOf(fatal).S, 'FATAL')
      assert.match(fieldsOf(fatal).M ?? '', message)
      await client.closed()
      bystander.send(query('SELECT 1'))
      assert.equal(letters(await bystander.untilReady()), 'T D C Z')
    })
  }
})

describe('SCRAM verifiers', () => {
  it('are what PostgreSQL itself stores for the same password and salt', async (t) => {
    const { rows } = await admin.query('SELECT rolsuper FROM pg_roles WHERE rolname = current_user')
    if (rows[0]?.rolsuper !== true) return t.skip('reading pg_authid needs a superuser')
    await admin.query("SET password_encryption = 'scram-sha-256'")
    await admin.query(`CREATE ROLE scram_probe_${process.pid} PASSWORD 'pencil'`)
    t.after(() => admin.query(`DROP ROLE scram_probe_${process.pid}`))
    const stored = await admin.query('SELECT rolpassword FROM pg_authid WHERE rolname = $1', [
      `scram_probe_${process.pid}`,
    ])
    const theirs = parseScramVerifier(stored.rows[0]?.rolpassword ?? '')
    assert.ok(theirs !== undefined)
    assert.deepEqual(scramVerifier('pencil', theirs.salt, theirs.iterations), theirs)
  })
})
