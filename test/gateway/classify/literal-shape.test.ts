// The literal shape is a key finer than PostgreSQL's normalization: texts that share it differ
// only in constants normalization replaces. Checked against libpg-query's normalizeSync over a
// corpus, every literal of each text changed in turn (to values of the same kind, some with
// quotes and other characters that matter elsewhere); and what the scanner cannot be sure of
// gives no key.
import assert from 'node:assert/strict'
import { before, describe, it } from 'node:test'
import { normalizeSync } from 'libpg-query'
import { literalShape } from '../../../src/gateway/classify/literal-shape.ts'
import { initClassifier } from '../../../src/gateway/index.ts'

before(() => initClassifier())

const CORPUS = [
  'SELECT abalance FROM pgbench_accounts WHERE aid = 48213;',
  "SELECT * FROM customers WHERE email = 'ann@example.com' AND id > 10",
  "SELECT id, name FROM customers WHERE name LIKE 'A%' ORDER BY 2 LIMIT 20 OFFSET 40",
  'SELECT id FROM orders GROUP BY 1 HAVING count(*) > 3',
  'SELECT substring(ssn, 1, 3) FROM customers WHERE id = 7',
  "SELECT x::char(3), y::varchar(12), z::numeric(10, 2) FROM t WHERE w = 'a'",
  'SELECT now()::timestamp(3), 1.5 * price, -42 FROM items WHERE qty BETWEEN 1 AND 99',
  "SELECT interval '1 day', date '2026-11-23', 'x'::text, CAST('7' AS int)",
  'SELECT arr[1], arr[2:3] FROM t WHERE arr[4] = 5',
  "SELECT * FROM t WHERE id IN (1, 2, 3) AND code = ANY('{a,b}')",
  "INSERT INTO audit (id, note) VALUES (1, 'it''s fine'), (2, 'two')",
  'UPDATE accounts SET balance = balance + 100.25 WHERE id = 3 RETURNING balance',
  "DELETE FROM sessions WHERE expires_at < now() - interval '30 days'",
  'SELECT "Weird Name", t1.c2 FROM "My Table" AS t1 WHERE t1.c3 = \'v\'',
  'SELECT $1::int + 5, $2 FROM t WHERE a = $3 AND b = 6',
  "WITH r AS (SELECT id FROM t WHERE k = 'k') SELECT count(*) FROM r WHERE id > 0",
  "SELECT CASE WHEN a > 1 THEN 'big' ELSE 'small' END FROM t",
  "SELECT coalesce(nullif(a, ''), 'none') FROM t FETCH FIRST 5 ROWS ONLY",
  "SELECT 1; SELECT 'two'; SELECT 3.0",
  "SELECT a FROM t WHERE b = 'multi\nline' AND c = 'x'\n'continued'",
  'SELECT 007, 123456789 FROM t',
  "MERGE INTO t USING s ON t.id = s.id WHEN MATCHED THEN UPDATE SET v = 'x' WHEN NOT MATCHED THEN INSERT VALUES (s.id, 1)",
]

// Other values of each kind, chosen to differ in length and in characters that matter elsewhere.
const STRINGS = ["''", "'zz'", "'a''b'", "'--not a comment'", "'/* nor this */'", "'$$'", "'\"'"]
const INTEGERS = ['0', '9', '31337', '123456789']
const DECIMALS = ['0.0', '2.5', '31337.999']

/** Each variant of `sql` with one literal changed, by the scanner's own account of them. */
function variants(sql: string): string[] {
  const out: string[] = []
  const literal = /'(?:[^']|'')*'|(?<![\w$.])\d+(?:\.\d+)?(?![\w.])/g
  for (const match of sql.matchAll(literal)) {
    const text = match[0]
    const at = match.index
    const others = text.startsWith("'") ? STRINGS : text.includes('.') ? DECIMALS : INTEGERS
    for (const other of others)
      if (other !== text) out.push(sql.slice(0, at) + other + sql.slice(at + text.length))
  }
  return out
}

describe('literalShape', () => {
  it('is the same for texts that differ in a constant, and normalization agrees each time', () => {
    let compared = 0
    for (const sql of CORPUS) {
      const key = literalShape(sql)
      assert.notEqual(key, undefined, sql)
      const normalized = normalizeSync(sql)
      for (const variant of variants(sql)) {
        if (literalShape(variant) !== key) continue
        compared++
        assert.equal(normalizeSync(variant), normalized, `${sql}\n  and\n${variant}`)
      }
    }
    assert.ok(compared > 60, `only ${compared} variants shared a key`)
  })

  it('shares one key between pgbench’s statements', () => {
    const key = literalShape('SELECT abalance FROM pgbench_accounts WHERE aid = 48213;')
    assert.equal(key, literalShape('SELECT abalance FROM pgbench_accounts WHERE aid = 7;'))
    assert.equal(key, 'SELECT abalance FROM pgbench_accounts WHERE aid = \u0000i;')
  })

  it('keeps what normalization keeps, and tells kinds apart', () => {
    const differ = [
      ['SELECT x::char(3) FROM t', 'SELECT x::char(9) FROM t'],
      ['SELECT x::numeric(10, 2) FROM t', 'SELECT x::numeric(10, 3) FROM t'],
      ['SELECT a, b FROM t ORDER BY 2', 'SELECT a, b FROM t ORDER BY 1'],
      ['SELECT a, count(*) FROM t GROUP BY 1', 'SELECT a, count(*) FROM t GROUP BY 2'],
      ['SELECT a FROM t LIMIT 5', 'SELECT a FROM t LIMIT 6'],
      ['SELECT a FROM t WHERE b = -1', 'SELECT a FROM t WHERE b = -2'],
      ['SELECT now()::timestamp(3)', 'SELECT now()::timestamp(6)'],
      ['SELECT a[1] FROM t', 'SELECT a[2] FROM t'],
      ['SELECT 1 FROM t WHERE a = 1', "SELECT 1 FROM t WHERE a = '1'"],
      ['SELECT 1 FROM t WHERE a = 1', 'SELECT 1 FROM t WHERE a = 1.0'],
      ["SELECT 1 FROM t WHERE a = 'a'", "SELECT 1 FROM t WHERE a = 'a'\n'b'"],
      ['SELECT 1 AS a', 'SELECT 1 AS b'],
      ['SELECT 1 FROM t', 'SELECT 1  FROM t'],
      ['SELECT "x" FROM t', 'SELECT "y" FROM t'],
      ['SELECT $1 FROM t', 'SELECT $2 FROM t'],
    ]
    for (const [a, b] of differ) {
      assert.notEqual(literalShape(a as string), undefined, a)
      assert.notEqual(literalShape(a as string), literalShape(b as string), `${a} / ${b}`)
    }
  })

  it('gives no key for what it cannot be sure of', () => {
    for (const sql of [
      "SELECT E'a\\'b'",
      "SELECT e'x'",
      "SELECT B'1010', 1",
      "SELECT X'1F'",
      "SELECT N'x'",
      "SELECT U&'d\\0061t'",
      'SELECT U&"d\\0061t" FROM t',
      "SELECT 'a\\' , (SELECT ssn FROM customers), '",
      'SELECT $$body$$',
      'SELECT $tag$body$tag$',
      'SELECT 1 -- comment',
      'SELECT /* comment */ 1',
      'SELECT 1e5',
      'SELECT 0x1F',
      'SELECT 1_000',
      'SELECT .5',
      'SELECT 5.',
      'SELECT 1234567890',
      'SELECT 1abc',
      "SELECT 'a'b",
      "SELECT 'unterminated",
      'SELECT "unterminated',
      'SELECT café FROM t',
      "SELECT * FROM JSON_TABLE('[]', '$[*]' COLUMNS (a int PATH '$.a')) jt",
      "SELECT * FROM xmltable('/r' PASSING '<r/>' COLUMNS a int PATH 'a')",
    ])
      assert.equal(literalShape(sql), undefined, sql)
  })

  it('takes what is not ASCII inside a string, and quoted names as they are', () => {
    assert.equal(
      literalShape("SELECT 1 FROM t WHERE a = 'café'"),
      literalShape("SELECT 1 FROM t WHERE a = 'tea'"),
    )
    assert.equal(literalShape('SELECT "it\'s -- ok" FROM t'), 'SELECT "it\'s -- ok" FROM t')
  })
})
