// The statements of a masked actor (support profile) and what must come of them: rows with the
// profile's transforms applied, or a refusal naming the column and the clause. Values are the
// text PostgreSQL sends; `e(class, raw)` is what the profile makes of a raw value.

export type Row = Readonly<Record<string, string | null>>
export type Expected = (classification: string, value: string) => unknown

export interface MaskingCase {
  readonly name: string
  readonly sql: string
  readonly rows?: (e: Expected) => readonly Row[]
  /** Compare rows as a set (the statement has no ORDER BY on an unmasked column). */
  readonly unordered?: boolean
  readonly refused?: RegExp
}

const ADA = "full_name = 'Ada Lovelace'"
const R = '[redacted]'

export const READ_CASES: readonly MaskingCase[] = [
  {
    name: 'direct columns get their transforms',
    sql: `SELECT full_name, email, phone, ssn, date_of_birth FROM customers WHERE ${ADA}`,
    rows: (e) => [
      {
        full_name: 'Ada Lovelace',
        email: '***@example.com',
        phone: String(e('pii.phone', '+44 20 7946 0958')),
        ssn: R,
        date_of_birth: '1985',
      },
    ],
  },
  {
    name: 'aliases keep the column’s transform',
    sql: `SELECT c.email AS contact, c.full_name AS who FROM customers AS c WHERE c.${ADA}`,
    rows: () => [{ contact: '***@example.com', who: 'Ada Lovelace' }],
  },
  {
    name: '* expands upstream and every column is masked by its origin',
    sql: `SELECT * FROM customers WHERE ${ADA}`,
    rows: (e) => [
      {
        id: String(e('pii.customer_id', 'cus_1')),
        full_name: 'Ada Lovelace',
        email: '***@example.com',
        phone: String(e('pii.phone', '+44 20 7946 0958')),
        ssn: R,
        date_of_birth: '1985',
        postcode: String(e('pii.postcode', 'SW1A 1AA')),
        country: 'GB',
      },
    ],
  },
  {
    name: 't.* with a filter on an unmasked column',
    sql: "SELECT c.* FROM customers c WHERE c.country = 'FR'",
    rows: (e) => [
      {
        id: String(e('pii.customer_id', 'cus_3')),
        full_name: 'Anonymous Person',
        email: null,
        phone: null,
        ssn: null,
        date_of_birth: null,
        postcode: null,
        country: 'FR',
      },
    ],
  },
  {
    name: 'a join on pseudonymized keys, filtered on an unmasked column',
    sql: 'SELECT c.full_name, c.email, o.total FROM customers c JOIN orders o ON o.customer_id = c.id WHERE o.total > 50 ORDER BY o.id',
    rows: () => [
      { full_name: 'Ada Lovelace', email: '***@example.com', total: '120.50' },
      { full_name: 'Grace Hopper', email: '***@navy.example', total: '99.99' },
    ],
  },
  {
    name: 'joined pseudonyms agree across tables',
    sql: 'SELECT o.customer_id, c.id, o.shipping_postcode FROM orders o JOIN customers c ON c.id = o.customer_id WHERE o.id = 3',
    rows: (e) => [
      {
        customer_id: String(e('pii.customer_id', 'cus_2')),
        id: String(e('pii.customer_id', 'cus_2')),
        shipping_postcode: String(e('pii.postcode', '20500')),
      },
    ],
  },
  {
    name: 'a subquery in FROM passes the column’s transform through',
    sql: "SELECT s.contact FROM (SELECT email AS contact, country FROM customers) s WHERE s.country = 'US'",
    rows: () => [{ contact: '***@navy.example' }],
  },
  {
    name: 'a CTE passes the column’s transform through',
    sql: "WITH w AS (SELECT full_name, ssn FROM customers) SELECT * FROM w WHERE full_name = 'Grace Hopper'",
    rows: () => [{ full_name: 'Grace Hopper', ssn: R }],
  },
  {
    name: 'a recursive CTE (UNION ALL) keeps the transform on every level',
    sql: `WITH RECURSIVE r(n, e) AS (SELECT 1, email FROM customers WHERE ${ADA} UNION ALL SELECT n + 1, e FROM r WHERE n < 2) SELECT n, e FROM r`,
    rows: () => [
      { n: '1', e: '***@example.com' },
      { n: '2', e: '***@example.com' },
    ],
  },
  {
    name: 'a view resolves to the columns behind it',
    sql: `SELECT * FROM customer_contacts WHERE ${ADA}`,
    rows: (e) => [
      {
        id: String(e('pii.customer_id', 'cus_1')),
        full_name: 'Ada Lovelace',
        email: '***@example.com',
        phone: String(e('pii.phone', '+44 20 7946 0958')),
      },
    ],
  },
  {
    name: 'a view over a join on pseudonymized keys',
    sql: "SELECT email, total FROM customer_orders WHERE full_name = 'Grace Hopper'",
    rows: () => [{ email: '***@navy.example', total: '99.99' }],
  },
  {
    name: 'UNION ALL of two columns with the same transform',
    sql: `SELECT email AS v FROM customers WHERE ${ADA} UNION ALL SELECT email FROM customers WHERE full_name = 'Grace Hopper'`,
    rows: () => [{ v: '***@example.com' }, { v: '***@navy.example' }],
    unordered: true,
  },
  {
    name: 'UNION ALL of a masked and an unmasked column masks both',
    sql: `SELECT ssn AS v FROM customers WHERE ${ADA} UNION ALL SELECT full_name FROM customers WHERE ${ADA}`,
    rows: () => [{ v: R }, { v: R }],
  },
  {
    name: 'expressions and casts over masked columns are redacted',
    sql: `SELECT ssn::text AS t, upper(email) AS u, length(ssn) AS n, substr(ssn, 1, 1) AS f, email || '!' AS x FROM customers WHERE ${ADA}`,
    rows: () => [{ t: R, u: R, n: R, f: R, x: R }],
  },
  {
    name: 'expressions over unmasked columns are kept',
    sql: "SELECT upper(full_name) AS u, total::int AS t, full_name || '!' AS x FROM customers c JOIN orders o ON o.customer_id = c.id WHERE o.id = 1",
    rows: () => [{ u: 'ADA LOVELACE', t: '121', x: 'Ada Lovelace!' }],
  },
  {
    name: 'NULLs stay NULL, masked or not',
    sql: "SELECT email, ssn, upper(email) AS u, date_of_birth FROM customers WHERE full_name = 'Anonymous Person'",
    rows: () => [{ email: null, ssn: null, u: null, date_of_birth: null }],
  },
  {
    name: 'a CASE choosing between masked values is redacted',
    sql: `SELECT CASE WHEN country = 'GB' THEN email ELSE full_name END AS x FROM customers WHERE ${ADA}`,
    rows: () => [{ x: R }],
  },
  {
    name: 'a scalar subquery of a masked column is redacted',
    sql: `SELECT (SELECT email FROM customers WHERE ${ADA}) AS e`,
    rows: () => [{ e: R }],
  },
  {
    name: 'a whole-row reference is redacted',
    sql: `SELECT c FROM customers c WHERE c.${ADA}`,
    rows: () => [{ c: R }],
  },
  {
    name: 'a whole row beside a function of unknown columns is still redacted',
    sql: `SELECT c FROM customers c, generate_series(1, 1) g WHERE c.${ADA}`,
    rows: () => [{ c: R }],
  },
  {
    name: 'aggregates of masked columns are redacted, grouping on unmasked ones works',
    sql: 'SELECT country, count(*) AS n, max(ssn) AS m FROM customers GROUP BY country ORDER BY country',
    rows: () => [
      { country: 'FR', n: '1', m: null },
      { country: 'GB', n: '1', m: R },
      { country: 'US', n: '1', m: R },
    ],
  },
  {
    name: 'LIKE on an unmasked column still filters',
    sql: "SELECT email FROM customers WHERE full_name LIKE 'G%'",
    rows: () => [{ email: '***@navy.example' }],
  },
  {
    name: 'EXISTS over unmasked columns still filters',
    sql: "SELECT full_name FROM customers c WHERE EXISTS (SELECT 1 FROM orders o WHERE o.customer_id = c.id AND o.status = 'open')",
    rows: () => [{ full_name: 'Ada Lovelace' }],
  },
  {
    name: 'no table at all',
    sql: "SELECT 1 AS one, 'x' AS two",
    rows: () => [{ one: '1', two: 'x' }],
  },
  {
    name: 'a data change filtered on a masked table’s unmasked column, returning',
    sql: "UPDATE notes SET note = note WHERE id IN (SELECT o.id FROM orders o WHERE o.status = 'shipped') RETURNING id, note",
    rows: () => [{ id: '1', note: 'call back' }],
  },
]
