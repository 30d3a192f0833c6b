// node-postgres through the gateway to a real PostgreSQL (DATABASE_URL, else embedded), over
// TLS with SCRAM-SHA-256 and an API key as the password: simple and extended queries,
// prepared statements, transactions, errors and notices with their fields, the pool's reuse
// of connections with nothing of the last session left, and the refusals at the door.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import pg from 'pg'
import { failure } from '../../helpers/pg-failure.ts'
import { startTestPostgres } from '../../store/postgres-harness.ts'
import { type GatewayFixture, startGatewayFixture } from './gateway-fixture.ts'

const postgres = await startTestPostgres()
const upstreamUrl = await postgres.emptyDatabase()
const fixture = await startGatewayFixture({ upstreamUrl })
const admin = new pg.Client({ connectionString: upstreamUrl })
await admin.connect()
await admin.query('CREATE TABLE accounts (id int PRIMARY KEY, owner text NOT NULL)')
after(async () => {
  await admin.end()
  await fixture.close()
  await postgres.stop()
})

describe('node-postgres through the gateway', () => {
  it('runs simple queries, several statements in one string included', async (t) => {
    const client = await fixture.connect(t, 'alice')
    assert.deepEqual((await client.query('SELECT 1 AS one, current_database() AS db')).rows, [
      { one: 1, db: new URL(upstreamUrl).pathname.slice(1) },
    ])
    const results = (await client.query('SELECT 1 AS a; SELECT 2 AS b')) as unknown as pg.QueryResult[]
    assert.deepEqual(
      results.map((result) => result.rows),
      [[{ a: 1 }], [{ b: 2 }]],
    )
  })

  it('runs parameterized queries and named prepared statements (extended protocol)', async (t) => {
    const client = await fixture.connect(t, 'alice')
    assert.deepEqual((await client.query('SELECT $1::int + $2::int AS sum', [1, 2])).rows, [{ sum: 3 }])
    for (const value of ['x', 'y']) {
      const result = await client.query({ name: 'echo', text: 'SELECT $1::text AS v', values: [value] })
      assert.deepEqual(result.rows, [{ v: value }])
    }
    const prepared = await client.query("SELECT name FROM pg_prepared_statements WHERE name = 'echo'")
    assert.equal(prepared.rowCount, 1)
  })

  it('commits and rolls back transactions', async (t) => {
    const client = await fixture.connect(t, 'alice')
    await client.query('BEGIN')
    await client.query("INSERT INTO accounts VALUES (1, 'rolled back')")
    await client.query('ROLLBACK')
    await client.query('BEGIN')
    await client.query('INSERT INTO accounts VALUES ($1, $2)', [2, 'committed'])
    await client.query('COMMIT')
    assert.deepEqual((await admin.query('SELECT id, owner FROM accounts ORDER BY id')).rows, [
      { id: 2, owner: 'committed' },
    ])
  })

  it('puts a transaction in the failed state after an error, as PostgreSQL does', async (t) => {
    const client = await fixture.connect(t, 'alice')
    await client.query('BEGIN')
    await client.query("INSERT INTO accounts VALUES (3, 'lost')")
    assert.equal((await failure(client.query('SELECT 1 / 0'))).code, '22012')
    assert.equal((await failure(client.query('SELECT 1'))).code, '25P02')
    assert.equal((await client.query('COMMIT')).command, 'ROLLBACK')
    assert.equal((await admin.query('SELECT 1 FROM accounts WHERE id = 3')).rowCount, 0)
    assert.deepEqual((await client.query('SELECT 1 AS fine')).rows, [{ fine: 1 }])
  })

  it('forwards errors with their SQLSTATE, detail, hint and position', async (t) => {
    const client = await fixture.connect(t, 'alice')
    const raised = await failure(
      client.query(
        "DO $$ BEGIN RAISE EXCEPTION 'boom' USING ERRCODE = '22023', DETAIL = 'd', HINT = 'h'; END $$",
      ),
    )
    assert.deepEqual([raised.code, raised.message, raised.detail, raised.hint], ['22023', 'boom', 'd', 'h'])
    const syntax = await failure(client.query('SELECT FROM WHERE'))
    assert.deepEqual([syntax.code, syntax.position], ['42601', '13'])
    const duplicate = await failure(client.query('INSERT INTO accounts VALUES ($1, $2)', [2, 'again']))
    assert.equal(duplicate.code, '23505')
  })

  it('carries large values and results both ways', async (t) => {
    const client = await fixture.connect(t, 'alice')
    const big = 'é'.repeat(3_000_000)
    const { rows } = await client.query('SELECT length($1::text) AS sent, repeat($2, 20000000) AS back', [
      big,
      'y',
    ])
    assert.equal(rows[0]?.sent, big.length)
    assert.equal(rows[0]?.back.length, 20_000_000)
    const many = await client.query("SELECT i, repeat('x', 1000) AS pad FROM generate_series(1, 20000) AS i")
    assert.equal(many.rowCount, 20_000)
    assert.equal(many.rows.at(-1)?.i, 20_000)
  })

  it('forwards notices', async (t) => {
    const client = await fixture.connect(t, 'alice')
    const notices: string[] = []
    client.on('notice', (notice) => notices.push(`${notice.severity} ${notice.message}`))
    await client.query("DO $$ BEGIN RAISE NOTICE 'hello %', 'there'; RAISE WARNING 'careful'; END $$")
    assert.deepEqual(notices, ['NOTICE hello there', 'WARNING careful'])
  })

  it('hands out its own cancel key, not the upstream’s', async (t) => {
    const client = await fixture.connect(t, 'alice')
    const { rows } = await client.query('SELECT pg_backend_pid() AS pid')
    const withKey = client as pg.Client & { processID?: number }
    assert.notEqual(withKey.processID, rows[0]?.pid)
  })

  it('carries the client’s application_name upstream', async (t) => {
    const client = await fixture.connect(t, 'carol', { applicationName: 'reporting' })
    assert.deepEqual((await client.query('SHOW application_name')).rows, [{ application_name: 'reporting' }])
  })
})

describe('pooled upstream connections', () => {
  let fresh: GatewayFixture
  before(async () => {
    fresh = await startGatewayFixture({ upstreamUrl, poolSize: 1 })
  })
  after(() => fresh.close())

  it('serves the next client on the same connection, with nothing of the last session left', async (t) => {
    const first = await fresh.connect(t, 'alice')
    const { rows } = await first.query('SELECT pg_backend_pid() AS pid')
    await first.query('CREATE TEMP TABLE scratch (x int)')
    await first.query("SET work_mem = '7MB'")
    await first.query('PREPARE leftover AS SELECT 1')
    await first.query('BEGIN')
    const idle = fresh.gateway.poolStats('app')?.idle ?? 0
    await first.end()
    // The connection comes back once it is reset.
    while ((fresh.gateway.poolStats('app')?.idle ?? 0) <= idle)
      await new Promise((resolve) => setImmediate(resolve))
    const second = await fresh.connect(t, 'bob')
    const state = await second.query(
      "SELECT pg_backend_pid() AS pid, to_regclass('pg_temp.scratch') AS scratch, current_setting('work_mem') AS work_mem, (SELECT count(*)::int FROM pg_prepared_statements) AS prepared",
    )
    assert.deepEqual(state.rows, [{ pid: rows[0]?.pid, scratch: null, work_mem: '4MB', prepared: 0 }])
    assert.equal(fresh.gateway.poolStats('app')?.open, 1)
  })
})

describe('refusals at the door', () => {
  it('refuses a wrong key with 28P01 and reports the failure', async (t) => {
    const { keyId } = fixture.credentials.addKey('dave')
    const wrong = await failure(fixture.connect(t, 'dave', { password: `jg_${keyId}_${'A'.repeat(43)}` }))
    assert.deepEqual([wrong.code, wrong.message], ['28P01', 'the credentials are not valid'])
    const reported = fixture.authFailures.at(-1)
    assert.equal(reported?.reason, 'key_mismatch')
    assert.equal(reported?.address, '127.0.0.1')
  })

  it('refuses a user without keys and another user’s key alike', async (t) => {
    const nobody = await failure(fixture.connect(t, 'nobody', { password: 'jg_0000000000000000_x' }))
    assert.deepEqual([nobody.code, fixture.authFailures.at(-1)?.reason], ['28P01', 'no_scram_verifier'])
    const bobs = fixture.credentials.addKey('bob').token
    assert.equal((await failure(fixture.connect(t, 'erin', { password: bobs }))).code, '28P01')
  })

  it('refuses a revoked key', async (t) => {
    const { token, keyId } = fixture.credentials.addKey('frank')
    fixture.credentials.revoke(keyId)
    assert.equal((await failure(fixture.connect(t, 'frank', { password: token }))).code, '28P01')
  })

  it('refuses an unknown upstream with 3D000', async (t) => {
    const unknown = await failure(fixture.connect(t, 'alice', { database: 'nope' }))
    assert.deepEqual([unknown.code, unknown.message], ['3D000', 'no upstream is configured as "nope"'])
  })

  it('refuses a client without TLS when TLS is required', async (t) => {
    const plain = await failure(fixture.connect(t, 'alice', { plain: true }))
    assert.deepEqual(
      [plain.code, plain.message],
      ['28000', 'jitgate requires TLS: connect with sslmode=require'],
    )
  })

  it('refuses startup parameters that would bypass the gate', async (t) => {
    const refused = await failure(
      fixture.connect(t, 'alice', { options: '-c default_transaction_read_only=off' }),
    )
    assert.equal(refused.code, '08004')
    assert.match(refused.message, /does not pass the startup parameter options/)
  })

  it('says the upstream is unavailable without telling how jitgate logs in', async (t) => {
    const down = await startGatewayFixture({ upstreamUrl: 'postgres://jitgate:topsecret@127.0.0.1:1/app' })
    try {
      const error = await failure(down.connect(t, 'alice'))
      assert.deepEqual(
        [error.code, error.message],
        ['08006', 'the upstream database is unavailable; try again later'],
      )
      assert.ok(down.log.some((entry) => entry.message.startsWith('the upstream app is unavailable')))
      assert.ok(!down.log.some((entry) => JSON.stringify(entry).includes('topsecret')))
    } finally {
      await down.close()
    }
  })
})

describe('password authentication', () => {
  it('takes a token in cleartext over TLS, and refuses it without TLS', async (t) => {
    const tls = await startGatewayFixture({ upstreamUrl, method: 'password' })
    const plain = await startGatewayFixture({ upstreamUrl, method: 'password', tls: 'none' })
    try {
      const client = await tls.connect(t, 'alice')
      assert.deepEqual((await client.query('SELECT 1 AS ok')).rows, [{ ok: 1 }])
      const refused = await failure(plain.connect(t, 'alice'))
      assert.deepEqual(
        [refused.code, refused.message],
        ['28000', 'password authentication needs TLS: connect with sslmode=require'],
      )
    } finally {
      await tls.close()
      await plain.close()
    }
  })
})
