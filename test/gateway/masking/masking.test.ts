// Masking through the real gateway to a real PostgreSQL, as a masked actor (the example support
// profile): results come back with each column's transform by origin (aliases, *, joins,
// subqueries, CTEs, views, UNION ALL), expressions over masked columns redacted, and every
// statement that could probe a masked value (filters, joins, sorts, groups, copies, EXPLAIN,
// COPY TO) refused with 42501 naming the column. Also the extended protocol, binary results,
// several statements in one message, psql, and an unmasked user for contrast.
import assert from 'node:assert/strict'
import { after, describe, it } from 'node:test'
import type pg from 'pg'
import { failure as failureOf } from '../../helpers/pg-failure.ts'
import { missing, runClient } from '../client-programs.ts'
import { type MaskingCase, READ_CASES, type Row } from './masking-cases.ts'
import { MASKED_USER, startMaskingFixture } from './masking-fixture.ts'
import { REFUSED_CASES } from './refused-cases.ts'

const fixture = await startMaskingFixture()
after(() => fixture.close())

/** Every value as the text PostgreSQL sent, so masked values of typed columns compare as sent. */
const AS_TEXT = { getTypeParser: () => (value: string) => value }

const failure = (promise: Promise<unknown>) => failureOf(promise, 'expected the statement to be refused')

function sorted(rows: readonly Row[]): Row[] {
  return [...rows].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)))
}

async function expectRows(client: pg.Client, c: MaskingCase): Promise<void> {
  const result = await client.query({ text: c.sql, types: AS_TEXT })
  const expected = c.rows?.(fixture.expected) ?? []
  const rows = result.rows as Row[]
  assert.deepEqual(
    c.unordered === true ? sorted(rows) : rows,
    c.unordered === true ? sorted(expected) : expected,
  )
}

describe('masked reads through the gateway', () => {
  for (const c of READ_CASES) {
    it(c.name, async (t) => {
      const client = await fixture.gateway.connect(t, MASKED_USER)
      await expectRows(client, c)
    })
  }
})

describe('refused statements of a masked actor', () => {
  for (const c of REFUSED_CASES) {
    it(c.name, async (t) => {
      const client = await fixture.gateway.connect(t, MASKED_USER)
      const error = await failure(client.query(c.sql))
      assert.equal(error.code, '42501', error.message)
      assert.match(error.message, c.refused ?? /./)
      assert.match(error.hint ?? '', /SET jitgate\.unmask = on asks for approval/)
      assert.doesNotMatch(`${error.message} ${error.detail ?? ''}`, /123-45-6789|cus_1/)
    })
  }

  it('leaves the data as it was', async () => {
    const { rows } = await fixture.admin.query('SELECT count(*)::int AS n FROM scratch')
    assert.deepEqual(rows, [{ n: 0 }])
    const tables = await fixture.admin.query("SELECT 1 FROM pg_class WHERE relname = 'copied'")
    assert.equal(tables.rowCount, 0)
  })
})

describe('protocols and clients', () => {
  it('masks the rows of the extended protocol, named statements included', async (t) => {
    const client = await fixture.gateway.connect(t, MASKED_USER)
    for (let i = 0; i < 2; i++) {
      const result = await client.query({
        name: 'by-name',
        text: 'SELECT email, ssn FROM customers WHERE full_name = $1',
        values: ['Ada Lovelace'],
      })
      assert.deepEqual(result.rows, [{ email: '***@example.com', ssn: '[redacted]' }])
    }
  })

  it('refuses a probe at Parse, with a parameter as the probe', async (t) => {
    const client = await fixture.gateway.connect(t, MASKED_USER)
    const error = await failure(client.query('SELECT full_name FROM customers WHERE ssn LIKE $1', ['1%']))
    assert.equal(error.code, '42501')
    assert.match(error.message, /customers\.ssn .* in WHERE$/)
  })

  it('returns NULL for masked columns in binary format, unmasked ones as they are', async (t) => {
    const client = await fixture.gateway.connect(t, MASKED_USER)
    // node-postgres asks for binary results with `binary`, which its types do not declare.
    const config = {
      text: 'SELECT full_name, ssn, email, date_of_birth FROM customers WHERE full_name = $1',
      values: ['Ada Lovelace'],
      binary: true,
    }
    const result = await client.query(config)
    assert.deepEqual(result.rows, [
      { full_name: 'Ada Lovelace', ssn: null, email: null, date_of_birth: null },
    ])
  })

  it('ties each result of a multi-statement query to its statement', async (t) => {
    const client = await fixture.gateway.connect(t, MASKED_USER)
    const results = (await client.query({
      text: "SET application_name = 'm'; SELECT full_name FROM customers WHERE full_name = 'Ada Lovelace'; SELECT ssn, email FROM customers WHERE full_name = 'Ada Lovelace'; SHOW application_name",
      types: AS_TEXT,
    })) as unknown as pg.QueryResult[]
    assert.deepEqual(
      results.map((r) => r.rows),
      [
        [],
        [{ full_name: 'Ada Lovelace' }],
        [{ ssn: '[redacted]', email: '***@example.com' }],
        [{ application_name: 'm' }],
      ],
    )
  })

  it('leaves an unmasked user’s results alone', async (t) => {
    const client = await fixture.gateway.connect(t, 'dba')
    const { rows } = await client.query("SELECT email, ssn FROM customers WHERE ssn LIKE '123%'")
    assert.deepEqual(rows, [{ email: 'ada@example.com', ssn: '123-45-6789' }])
  })
})

describe('psql as a masked actor', { skip: missing('psql') }, () => {
  it('prints masked values and the refusal of a probe', async () => {
    const { token } = fixture.gateway.credentials.addKey(MASKED_USER)
    const target = {
      port: fixture.gateway.port,
      user: MASKED_USER,
      password: token,
      sslmode: 'require',
    } as const
    const sql =
      'SELECT full_name, email, ssn, date_of_birth FROM customers WHERE country <> $$FR$$ ORDER BY full_name'
    const { stdout } = await runClient('psql', ['-X', '-At', '-c', sql], target)
    assert.equal(
      stdout,
      'Ada Lovelace|***@example.com|[redacted]|1985\nGrace Hopper|***@navy.example|[redacted]|1960\n',
    )
    const probe = await runClient(
      'psql',
      ['-X', '-At', '-c', 'SELECT full_name FROM customers ORDER BY ssn'],
      target,
    ).catch((error: { stderr: string }) => error)
    assert.match(
      probe.stderr,
      /ERROR: {2}column customers\.ssn is masked for you and cannot be used in ORDER BY/,
    )
    // psql's own catalog queries (\d) read pg_catalog, which is never masked.
    const described = await runClient('psql', ['-X', '-c', '\\d customers'], target)
    assert.match(described.stdout, /Table "public\.customers"[\s\S]* ssn +\| text/)
  })
})
