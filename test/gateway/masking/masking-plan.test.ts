// StatementMasking.plan against a real PostgreSQL catalog, without the wire: the catalog cache
// (refresh on an unknown relation, the TTL, failure), names (a table of the same name in any
// schema, schema-qualified mask keys, partitions, view columns), row transforms over row
// descriptions as PostgreSQL sends them (origins that disagree, result sets that cannot be tied
// to a statement, columns after a function of unknown width), and refusals of what cannot be
// parsed, compiled or seen into.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { normalizeSync } from 'libpg-query'
import {
  type CatalogQuery,
  type Mask,
  type MaskPlan,
  StatementMasking,
} from '../../../src/gateway/masking/index.ts'
import type { RowColumn, RowDescription } from '../../../src/gateway/wire/index.ts'
import type { FieldTransform } from '../../../src/policy/index.ts'
import { NOW } from '../../anonymize/transforms/fixtures.ts'
import { startMaskingFixture } from './masking-fixture.ts'

const fixture = await startMaskingFixture()
after(() => fixture.close())

const REDACT: FieldTransform = { transform: 'redact', params: {} }
const catalog: CatalogQuery = async (sql, params) =>
  (await fixture.admin.query(sql, params === undefined ? [] : [...params])).rows

/** A StatementMasking of its own (a fresh cache) on a clock the test moves. */
function masking(options: { clock?: { ms: number }; catalog?: CatalogQuery } = {}): StatementMasking {
  const clock = options.clock ?? { ms: Date.now() }
  return new StatementMasking({
    catalog: () => options.catalog ?? catalog,
    transforms: { keys: fixture.keys, now: NOW },
    now: () => new Date(clock.ms),
  })
}

async function plan(m: StatementMasking, sql: string, mask: Mask = fixture.mask): Promise<MaskPlan> {
  return m.plan({ upstream: 'app', sql, mask, classOf: fixture.classOf })
}

function refusal(result: MaskPlan): string {
  assert.equal(result.kind, 'refuse', 'expected a refusal')
  return result.kind === 'refuse' ? result.message : ''
}

async function field(table: string, column: string, format = 0): Promise<RowColumn> {
  const { rows } = await fixture.admin.query(
    'SELECT a.attrelid::int AS oid, a.attnum::int AS num FROM pg_attribute a WHERE a.attrelid = $1::regclass AND a.attname = $2',
    [table, column],
  )
  const row = rows[0] as { oid: number; num: number }
  return {
    name: column,
    tableOid: row.oid,
    columnAttnum: row.num,
    typeOid: 25,
    typeSize: -1,
    typeModifier: -1,
    format,
  }
}

function computed(name: string, format = 0): RowColumn {
  return { name, tableOid: 0, columnAttnum: 0, typeOid: 25, typeSize: -1, typeModifier: -1, format }
}

/** The values a plan's transform makes of one row (undefined: the rows pass untouched). */
function masked(result: MaskPlan, description: RowDescription, values: readonly (string | null)[]) {
  assert.ok(result.kind === 'forward' && result.rows !== undefined, 'expected row transforms')
  const transform = result.rows(description)
  const out = transform?.transform(values.map((v) => (v === null ? null : Buffer.from(v))))
  return out?.map((v) => (Buffer.isBuffer(v) ? v.toString() : v))
}

describe('the catalog snapshot', () => {
  it('is read again for a relation created since, at most once a second', async () => {
    const clock = { ms: Date.now() }
    const m = masking({ clock })
    assert.equal((await plan(m, 'SELECT full_name FROM customers')).kind, 'forward')
    await fixture.admin.query('CREATE TABLE late (note text)')
    assert.match(
      refusal(await plan(m, 'SELECT note FROM late')),
      /^relation late does not exist or is not known yet$/,
    )
    clock.ms += 1_500
    assert.deepEqual(await plan(m, 'SELECT note FROM late'), { kind: 'forward' })
  })

  it('is read again after its TTL, and a column it does not know is refused until then', async () => {
    const clock = { ms: Date.now() }
    const m = masking({ clock })
    await fixture.admin.query('CREATE TABLE growing (a text)')
    const mask = { 'growing.b': REDACT }
    assert.equal((await plan(m, 'SELECT a FROM growing', mask)).kind, 'forward')
    await fixture.admin.query('ALTER TABLE growing ADD COLUMN b text')
    assert.match(
      refusal(await plan(m, "SELECT a FROM growing WHERE b = 'x'", mask)),
      /cannot tell which column b/,
    )
    clock.ms += 31_000
    assert.match(
      refusal(await plan(m, "SELECT a FROM growing WHERE b = 'x'", mask)),
      /growing\.b is masked .* in WHERE$/,
    )
  })

  it('refuses when it cannot be read', async () => {
    const m = masking({ catalog: () => Promise.reject(new Error('connection refused')) })
    assert.match(refusal(await plan(m, 'SELECT 1')), /could not read the catalog of upstream app/)
  })
})

describe('kept analyses', () => {
  it('reuse the analysis of a text for the same scope and mask, with a fresh row transform each time', async () => {
    const m = masking()
    const scope = {}
    const sql = 'SELECT email, ssn FROM customers'
    const at = (mask: Mask, s: object = scope) =>
      m.plan({ upstream: 'app', sql, mask, classOf: fixture.classOf, scope: s })
    const description = [await field('customers', 'email'), await field('customers', 'ssn')]
    const first = await at(fixture.mask)
    // The same mask by value (decisions build theirs afresh) and the same scope.
    const second = await at({ ...fixture.mask })
    const row = ['ann@example.com', '123-45-6789']
    assert.deepEqual(masked(second, description, row), masked(first, description, row))
    assert.ok(first.kind === 'forward' && second.kind === 'forward' && first.rows !== second.rows)
    // Transforms are kept by where each field comes from and its format: the same fields in
    // binary, or in another order, are not answered with the text ones.
    const binary = [description[0], await field('customers', 'ssn', 1)] as RowDescription
    assert.deepEqual(masked(await at(fixture.mask), binary, row)?.[1], null)
    // (Fields that disagree with the statement's columns are judged as a fresh plan judges them.)
    const swapped = [description[1], description[0]] as RowDescription
    const fresh = await plan(masking(), sql)
    assert.deepEqual(
      masked(await at(fixture.mask), swapped, [row[1], row[0]] as string[]),
      masked(fresh, swapped, [row[1], row[0]] as string[]),
    )

    // Another mask, or another scope, is analyzed on its own: here the ssn is kept.
    const revealing = {
      ...fixture.mask,
      'customers.ssn': { transform: 'keep', params: {} } as FieldTransform,
    }
    assert.deepEqual(masked(await at(revealing), description, row)?.[1], '123-45-6789')
    assert.notEqual(masked(await at(fixture.mask, {}), description, row)?.[1], '123-45-6789')

    // A refusal is kept too, and still refuses.
    const probe = 'SELECT email FROM customers WHERE ssn LIKE $1'
    const refuseOnce = await m.plan({
      upstream: 'app',
      sql: probe,
      mask: fixture.mask,
      classOf: fixture.classOf,
      scope,
    })
    const refuseAgain = await m.plan({
      upstream: 'app',
      sql: probe,
      mask: fixture.mask,
      classOf: fixture.classOf,
      scope,
    })
    assert.match(refusal(refuseOnce), /ssn/)
    assert.equal(refusal(refuseAgain), refusal(refuseOnce))
  })
})

describe('analyses kept by shape', () => {
  const at = (m: StatementMasking, sql: string, scope: object) =>
    m.plan({
      upstream: 'app',
      sql,
      mask: fixture.mask,
      classOf: fixture.classOf,
      scope,
      shape: normalizeSync(sql),
    })

  it('serve texts that differ in constants only, at once and with a row transform of their own', async () => {
    const m = masking()
    const scope = {}
    const first = await at(m, "SELECT email, ssn FROM customers WHERE country = 'FR'", scope)
    const second = at(m, "SELECT email, ssn FROM customers WHERE country = 'DE'", scope)
    assert.ok(!(second instanceof Promise), 'the kept analysis answers without a promise')
    const description = [await field('customers', 'email'), await field('customers', 'ssn')]
    const row = ['ann@example.com', '123-45-6789']
    assert.deepEqual(masked(second as MaskPlan, description, row), masked(first, description, row))
    const probes = [
      "SELECT email FROM customers WHERE ssn LIKE '1%'",
      "SELECT email FROM customers WHERE ssn LIKE '2%'",
    ]
    assert.match(refusal(await at(m, probes[0] as string, scope)), /ssn is masked/)
    const again = at(m, probes[1] as string, scope)
    assert.ok(!(again instanceof Promise))
    assert.match(refusal(again as MaskPlan), /ssn is masked/)
  })

  it('are not shared when the analysis turned on a constant: ORDER BY a position, substring’s arguments', async () => {
    // (libpg-query's normalize keeps ORDER BY and GROUP BY positions; the analyzer does not rely on it.)
    const allowed = 'SELECT country, ssn FROM customers ORDER BY 1'
    const refused = 'SELECT country, ssn FROM customers ORDER BY 2'
    for (const order of [
      [allowed, refused],
      [refused, allowed],
    ]) {
      const m = masking()
      const scope = {}
      for (const sql of order) {
        const result = await at(m, sql, scope)
        if (sql === refused) assert.match(refusal(result), /ssn is masked .* ORDER BY$/, sql)
        else assert.equal(result.kind, 'forward', sql)
      }
    }
    const m = masking()
    const scope = {}
    await at(m, 'SELECT substring(ssn, 1) FROM customers', scope)
    const regex = "SELECT substring(ssn, '1') FROM customers"
    assert.ok(at(m, regex, scope) instanceof Promise, 'analyzed on its own')
  })
})

describe('names', () => {
  before(async () => {
    await fixture.admin.query(`CREATE SCHEMA archive;
      CREATE TABLE archive.customers (id text, ssn text);
      CREATE TABLE events (customer_id text, at date) PARTITION BY RANGE (at);
      CREATE TABLE events_2026 PARTITION OF events FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
      CREATE VIEW with_ssn AS SELECT full_name FROM customers WHERE ssn IS NOT NULL;
      CREATE FUNCTION txt_eq(text, text) RETURNS boolean LANGUAGE sql AS 'SELECT $1 = $2';
      CREATE OPERATOR === (leftarg = text, rightarg = text, function = txt_eq);`)
  })

  it('masks a table of the same name in any schema', async () => {
    const message = refusal(await plan(masking(), "SELECT id FROM archive.customers WHERE ssn = '1'"))
    assert.match(message, /^column archive\.customers\.ssn is masked for you and cannot be used in WHERE$/)
  })

  it('applies a schema-qualified mask key to that schema only', async () => {
    const mask = { 'archive.customers.id': REDACT }
    assert.match(
      refusal(await plan(masking(), "SELECT 1 FROM archive.customers WHERE id = 'x'", mask)),
      /archive\.customers\.id/,
    )
    assert.deepEqual(await plan(masking(), "SELECT 1 FROM public.customers WHERE id = 'x'", mask), {
      kind: 'forward',
    })
  })

  it('gives a partition the masks of its parent', async () => {
    const mask = { 'events.customer_id': REDACT }
    const message = refusal(await plan(masking(), "SELECT at FROM events_2026 WHERE customer_id = 'x'", mask))
    assert.match(message, /events_2026\.customer_id is masked .* in WHERE$/)
  })

  it('lets a mask name a view’s column', async () => {
    const mask = { 'customer_contacts.full_name': REDACT }
    const result = await plan(masking(), 'SELECT full_name FROM customer_contacts', mask)
    assert.deepEqual(masked(result, [await field('customer_contacts', 'full_name')], ['Ada Lovelace']), [
      '[redacted]',
    ])
    assert.deepEqual(await plan(masking(), 'SELECT full_name FROM customers', mask), { kind: 'forward' })
  })

  it('refuses to read a view whose definition filters on a masked column', async () => {
    const message = refusal(await plan(masking(), 'SELECT * FROM with_ssn'))
    assert.match(message, /customers\.ssn .* in WHERE \(in the definition of view public\.with_ssn\)$/)
  })

  it('refuses an operator defined in the database', async () => {
    const message = refusal(await plan(masking(), "SELECT full_name FROM customers WHERE full_name === 'x'"))
    assert.match(message, /^function behind the operator === is not allowed for masked access$/)
  })
})

describe('row transforms', () => {
  it('counts both where PostgreSQL’s origin of a field disagrees with the statement', async () => {
    const result = await plan(masking(), 'SELECT full_name FROM customers')
    assert.equal(masked(result, [await field('customers', 'full_name')], ['Ada Lovelace']), undefined)
    const claimed = { ...(await field('customers', 'ssn')), name: 'full_name' }
    assert.deepEqual(masked(result, [claimed], ['123-45-6789']), ['[redacted]'])
  })

  it('masks by default a result set it cannot tie to a statement', async () => {
    const result = await plan(masking(), 'SELECT full_name FROM customers; SHOW application_name')
    assert.ok(result.kind === 'forward' && result.rows !== undefined)
    assert.equal(result.rows([await field('customers', 'full_name')]), undefined)
    assert.equal(result.rows([computed('application_name')]), undefined)
    assert.deepEqual(result.rows([computed('x')])?.transform([Buffer.from('123-45-6789')]), ['[redacted]'])
  })

  it('ties every result set of a one-statement message to it (a portal run in parts)', async () => {
    const result = await plan(masking(), 'SELECT full_name, ssn FROM customers')
    assert.ok(result.kind === 'forward' && result.rows !== undefined)
    const description = [await field('customers', 'full_name'), computed('ssn')]
    for (let part = 0; part < 2; part++)
      assert.deepEqual(masked(result, description, ['Ada', '123-45-6789']), ['Ada', '[redacted]'])
  })

  it('lines columns up around a function of unknown width, from both ends', async () => {
    const result = await plan(masking(), 'SELECT * FROM generate_series(1, 2) g, customer_contacts c')
    const contacts: RowColumn[] = []
    for (const c of ['id', 'full_name', 'email', 'phone']) contacts.push(await field('customer_contacts', c))
    const values = masked(
      result,
      [computed('g'), ...contacts],
      ['1', 'cus_1', 'Ada', 'ada@example.com', null],
    )
    assert.deepEqual(values, [
      '1',
      fixture.expected('pii.customer_id', 'cus_1'),
      'Ada',
      '***@example.com',
      null,
    ])
  })

  it('returns NULL for a masked value in binary format', async () => {
    const result = await plan(masking(), 'SELECT ssn, full_name FROM customers')
    const description = [await field('customers', 'ssn', 1), await field('customers', 'full_name', 1)]
    assert.deepEqual(masked(result, description, ['123-45-6789', 'Ada']), [null, 'Ada'])
  })
})

describe('refusals before anything runs', () => {
  it('refuses a statement it cannot parse', async () => {
    assert.match(
      refusal(await plan(masking(), 'SELEC full_name FROM customers')),
      /could not parse this statement/,
    )
  })

  it('refuses when the mask cannot be compiled', async () => {
    const mask = { 'pii.ssn': { transform: 'partial', params: {} } satisfies FieldTransform }
    assert.match(
      refusal(await plan(masking(), 'SELECT 1', mask)),
      /^the mask of this decision cannot be applied: .*keep_first/,
    )
  })

  it('analyzes PREPARE as its query would run, and refuses a bare EXECUTE', async () => {
    const probe = await plan(
      masking(),
      'PREPARE probe (text) AS SELECT full_name FROM customers WHERE ssn LIKE $1',
    )
    assert.match(refusal(probe), /customers\.ssn .* in WHERE$/)
    assert.equal((await plan(masking(), 'PREPARE fine AS SELECT email FROM customers')).kind, 'forward')
    assert.match(
      refusal(await plan(masking(), 'SELECT 1; EXECUTE fine')),
      /^statement 2: EXECUTE \(here\) is not run/,
    )
  })

  it('forwards an empty query untouched', async () => {
    assert.deepEqual(await plan(masking(), ' ; '), { kind: 'forward' })
  })
})
