// PostgreSQL's own clients through the gateway, over TLS with SCRAM and an API key as the
// password: psql (-c, a script of several statements with \copy in and out, errors with their
// SQLSTATE) and pgbench (-S in simple and prepared modes, no failed transaction). Skipped with
// the reason when the binaries are missing (Debian: apt-get install postgresql-client).
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { promisify } from 'node:util'
import pg from 'pg'
import { tempDir } from '../../helpers/temp-dir.ts'
import { startTestPostgres } from '../../store/postgres-harness.ts'
import { missing, runClient } from '../client-programs.ts'
import { startGatewayFixture } from './gateway-fixture.ts'

const run = promisify(execFile)

const postgres = await startTestPostgres()
const upstreamUrl = await postgres.emptyDatabase()
const fixture = await startGatewayFixture({ upstreamUrl, poolSize: 8 })
after(async () => {
  await fixture.close()
  await postgres.stop()
})

/** Runs a client against the gateway as `user`, the API key in PGPASSWORD (not on the command line). */
function through(binary: string, args: readonly string[], user = 'alice') {
  const { token } = fixture.credentials.addKey(user)
  return runClient(binary, args, { port: fixture.port, user, password: token, sslmode: 'require' })
}

describe('psql through the gateway', { skip: missing('psql') }, () => {
  it('runs -c', async () => {
    const { stdout } = await through('psql', [
      '-X',
      '-At',
      '-c',
      "SELECT 'hello ' || current_setting('application_name')",
    ])
    assert.equal(stdout, 'hello psql\n')
  })

  it('runs a script of several statements, with \\copy in and out', async (t) => {
    const dir = await tempDir(t, { 'in.tsv': '1\tann\n2\tbob\n' })
    const script = [
      'CREATE TABLE people (id int PRIMARY KEY, name text);',
      `\\copy people FROM '${join(dir, 'in.tsv')}'`,
      'BEGIN;',
      'UPDATE people SET name = upper(name) WHERE id = 2;',
      'COMMIT;',
      `\\copy (SELECT * FROM people ORDER BY id) TO '${join(dir, 'out.tsv')}'`,
      'SELECT count(*) FROM people;',
    ].join('\n')
    await writeFile(join(dir, 'script.sql'), script)
    const { stdout } = await through('psql', [
      '-X',
      '-At',
      '-v',
      'ON_ERROR_STOP=1',
      '-f',
      join(dir, 'script.sql'),
    ])
    assert.equal(stdout, 'CREATE TABLE\nCOPY 2\nBEGIN\nUPDATE 1\nCOMMIT\nCOPY 2\n2\n')
    assert.equal(await readFile(join(dir, 'out.tsv'), 'utf8'), '1\tann\n2\tBOB\n')
  })

  it('reports an error with its SQLSTATE and exits with 1 under ON_ERROR_STOP', async () => {
    const failed = await through('psql', [
      '-X',
      '-v',
      'ON_ERROR_STOP=1',
      '-v',
      'VERBOSITY=verbose',
      '-c',
      'SELECT 1/0',
    ]).then(
      () => assert.fail('psql succeeded'),
      (error: { code: number; stderr: string }) => error,
    )
    assert.equal(failed.code, 1)
    assert.match(failed.stderr, /ERROR: {2}22012: division by zero/)
  })

  it('tells a client with a wrong key that the credentials are not valid', async () => {
    const target = `host=127.0.0.1 port=${fixture.port} dbname=app user=alice sslmode=require`
    const failed = await run('psql', ['-X', '-c', 'SELECT 1', target], {
      env: { ...process.env, PGPASSWORD: 'jg_0000000000000000_wrong', PSQLRC: '/dev/null' },
    }).then(
      () => assert.fail('psql succeeded'),
      (error: { code: number; stderr: string }) => error,
    )
    assert.equal(failed.code, 2)
    assert.match(failed.stderr, /FATAL: {2}the credentials are not valid/)
  })
})

describe('pgbench through the gateway', { skip: missing('pgbench') }, () => {
  for (const mode of ['simple', 'prepared']) {
    it(`runs -S -M ${mode} with no failed transaction`, async () => {
      const direct = new pg.Client({ connectionString: upstreamUrl })
      await direct.connect()
      const initialised = await direct.query("SELECT to_regclass('pgbench_accounts') IS NOT NULL AS done")
      await direct.end()
      if (initialised.rows[0]?.done !== true) await run('pgbench', ['-i', '-s', '1', '-q', upstreamUrl])
      const { stdout } = await through('pgbench', ['-n', '-S', '-T', '3', '-M', mode, '-c', '2'])
      assert.match(stdout, /number of failed transactions: 0 /)
      const processed = Number(/number of transactions actually processed: (\d+)/.exec(stdout)?.[1])
      assert.ok(processed > 0, stdout)
    })
  }
})
