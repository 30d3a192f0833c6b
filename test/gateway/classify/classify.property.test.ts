// Properties over generated input: classify never throws and always places its statements in
// order within the input; a statement is classified the same alone as inside a script; and a
// data-modifying statement or side effect, wherever it hides, never makes a read.
import assert from 'node:assert/strict'
import { before, describe, it } from 'node:test'
import fc from 'fast-check'
import { classify, initClassifier, type StatementResult } from '../../../src/gateway/index.ts'

/** Any UTF-16 code unit, lone surrogates and NUL included. */
const codeUnit = fc.integer({ min: 0, max: 0xffff }).map((n) => String.fromCharCode(n))

/** Pieces that matter to a SQL lexer, to build scripts that are almost SQL. */
const FRAGMENTS = [
  ...[
    'select',
    'delete',
    'from',
    'with',
    'as',
    'begin',
    'atomic',
    'end',
    'case',
    'create',
    'function',
    'rule',
  ],
  ...[' ', '\n', ';', ';', "'", "''", '"', '$$', '$t$', '--', '/*', '*/', '(', ')', ',', '*', '\\', 'e', 'E'],
  ...['1', '1abc', 't', 'users', 'ü', '東京', '😀', '\u0000', '\u0001', 'nextval(1)', '=', '::', '$1'],
]
const almostSql = fc.array(fc.constantFrom(...FRAGMENTS), { maxLength: 40 }).map((parts) => parts.join(''))

const anyText = fc.oneof(
  fc.string({ maxLength: 80 }),
  fc.string({ unit: 'binary', maxLength: 80 }),
  fc.string({ unit: codeUnit, maxLength: 80 }),
  almostSql,
)

function checkPlacement(sql: string, results: readonly StatementResult[]): void {
  let previous = 0
  for (const r of results) {
    const { start, end } = r.location
    assert.ok(
      previous <= start && start < end && end <= sql.length,
      `${JSON.stringify(r.location)} in ${sql.length}`,
    )
    if (r.kind === 'error') assert.ok(r.error.position >= 0 && r.error.position <= sql.length)
    else assert.equal(r.writes, r.reasons.length > 0)
    previous = end
  }
}

describe('classify on any input', () => {
  before(() => initClassifier())

  it('never throws and places statements in order within the input', () => {
    fc.assert(
      fc.property(anyText, (sql) => checkPlacement(sql, classify(sql))),
      { numRuns: 2000 },
    )
  })

  it('classifies a statement alone as it does inside a script', () => {
    fc.assert(
      fc.property(almostSql, (sql) => {
        for (const r of classify(sql)) {
          if (r.kind === 'error') continue
          const [alone] = classify(sql.slice(r.location.start, r.location.end))
          assert.deepEqual({ ...alone, location: r.location }, r)
        }
      }),
      { numRuns: 1000 },
    )
  })
})

const table = fc.constantFrom('users', 'app.orders', '"Odd Name"', 'logs')
const dml = table.chain((t) =>
  fc.constantFrom(
    `delete from ${t}`,
    `delete from ${t} returning *`,
    `update ${t} set a = 1 returning a`,
    `insert into ${t} values (1) returning 1`,
    `insert into ${t} select * from ${t} on conflict do nothing`,
    `merge into ${t} using s on true when matched then delete`,
  ),
)
const reader = fc.constantFrom(
  'select * from x',
  'select 1',
  'select count(*) from x join users on true',
  'table x',
)

/** Wraps a statement where a reader may not look for it. */
const hidden = (statement: string) =>
  fc.constantFrom(
    statement,
    `select * from (${statement}) sub`,
    `select exists (${statement})`,
    `select * from users where id in (${statement})`,
    `explain analyze ${statement}`,
    `/* note */ ${statement} -- trailing`,
  )

describe('a data-modifying statement is never a read', () => {
  before(() => initClassifier())

  it('in a CTE, at any depth, next to any other CTEs', () => {
    const query = fc
      .tuple(dml, reader, fc.boolean(), fc.boolean())
      .map(([modify, read, recursive, first]) => {
        const ctes = first ? `x as (${modify}), y as (select 1)` : `y as (select 1), x as (${modify})`
        return `with ${recursive ? 'recursive ' : ''}${ctes} ${read}`
      })
      .chain(hidden)
    fc.assert(
      fc.property(query, (sql) => {
        const results = classify(sql)
        for (const r of results)
          assert.ok(r.kind === 'error' || (r.kind !== 'read' && r.writes), `${sql}: ${r.kind}`)
      }),
      { numRuns: 500 },
    )
  })

  it('nor a read that locks rows, selects into a table or calls a volatile or unknown function', () => {
    const trap = fc.constantFrom(
      'select * from users for update',
      'select * from users for share of users',
      'select * into t2 from users',
      "select nextval('s')",
      "select * from users where set_config('a.b', 'c', true) is not null",
      'select pg_terminate_backend(1)',
      'select lo_unlink(1)',
      "select pg_notify('c', '')",
      'select my_function()',
      "select query_to_xml('select 1', true, true, '')",
    )
    fc.assert(
      fc.property(trap.chain(hidden), (sql) => {
        for (const r of classify(sql))
          assert.ok(r.kind === 'error' || (r.kind !== 'read' && r.writes), `${sql}: ${r.kind}`)
      }),
      { numRuns: 300 },
    )
  })
})
