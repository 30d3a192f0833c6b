// Statements of a masked actor that could reveal a masked value, and the refusal each gets:
// predicate probes (WHERE, JOIN, ORDER BY, GROUP BY, HAVING, DISTINCT, windows, LIMIT), probes in
// subqueries, CTEs and views, copies (INSERT … SELECT, CREATE TABLE AS, SELECT INTO), writes,
// expressions that could fail on the value, EXPLAIN, COPY … TO, and what masking cannot see into.
import type { MaskingCase } from './masking-cases.ts'

const ADA = "full_name = 'Ada Lovelace'"

export const REFUSED_CASES: readonly MaskingCase[] = [
  {
    name: 'probe: WHERE ssn LIKE',
    sql: "SELECT full_name FROM customers WHERE ssn LIKE '1%'",
    refused: /customers\.ssn .* in WHERE$/,
  },
  {
    name: 'probe: WHERE ssn =',
    sql: "SELECT full_name FROM customers WHERE ssn = '123-45-6789'",
    refused: /customers\.ssn .* in WHERE$/,
  },
  {
    name: 'probe: IS NULL',
    sql: 'SELECT full_name FROM customers WHERE email IS NULL',
    refused: /customers\.email .* in WHERE$/,
  },
  {
    name: 'probe: a pseudonymized key against a constant',
    sql: "SELECT full_name FROM customers WHERE id = 'cus_1'",
    refused: /customers\.id .* in WHERE$/,
  },
  {
    name: 'JOIN ON a redacted column',
    sql: 'SELECT a.full_name FROM customers a JOIN customers b ON a.ssn = b.ssn',
    refused: /customers\.ssn .* in a JOIN condition$/,
  },
  {
    name: 'JOIN ON a key and a constant',
    sql: "SELECT o.total FROM orders o JOIN customers c ON c.id = 'cus_1'",
    refused: /customers\.id .* in a JOIN condition$/,
  },
  {
    name: 'ORDER BY a masked column',
    sql: 'SELECT full_name FROM customers ORDER BY ssn',
    refused: /customers\.ssn .* in ORDER BY$/,
  },
  {
    name: 'ORDER BY position',
    sql: 'SELECT ssn, full_name FROM customers ORDER BY 1',
    refused: /customers\.ssn .* in ORDER BY$/,
  },
  {
    name: 'ORDER BY output alias',
    sql: 'SELECT email AS e FROM customers ORDER BY e',
    refused: /customers\.email .* in ORDER BY$/,
  },
  {
    name: 'GROUP BY',
    sql: 'SELECT email, count(*) FROM customers GROUP BY email',
    refused: /customers\.email .* in GROUP BY$/,
  },
  {
    name: 'GROUP BY position',
    sql: 'SELECT ssn, count(*) FROM customers GROUP BY 1',
    refused: /customers\.ssn .* in GROUP BY$/,
  },
  {
    name: 'HAVING',
    sql: "SELECT country FROM customers GROUP BY country HAVING max(ssn) > '5'",
    refused: /customers\.ssn .* in HAVING$/,
  },
  {
    name: 'DISTINCT',
    sql: 'SELECT DISTINCT substr(ssn, 1, 1) FROM customers',
    refused: /customers\.ssn .* in SELECT DISTINCT$/,
  },
  {
    name: 'DISTINCT ON',
    sql: 'SELECT DISTINCT ON (ssn) full_name FROM customers',
    refused: /customers\.ssn .* in DISTINCT ON$/,
  },
  {
    name: 'UNION removes duplicates, so compares',
    sql: "SELECT substr(ssn, 1, 1) FROM customers UNION SELECT '1'",
    refused: /customers\.ssn .* in UNION$/,
  },
  {
    name: 'window PARTITION BY',
    sql: 'SELECT count(*) OVER (PARTITION BY ssn) FROM customers',
    refused: /customers\.ssn .* in a window PARTITION BY$/,
  },
  {
    name: 'window ORDER BY',
    sql: 'SELECT row_number() OVER (ORDER BY email) FROM customers',
    refused: /customers\.email .* in a window ORDER BY$/,
  },
  {
    name: 'aggregate FILTER',
    sql: "SELECT count(*) FILTER (WHERE ssn LIKE '1%') FROM customers",
    refused: /customers\.ssn .* in an aggregate FILTER$/,
  },
  {
    name: 'aggregate DISTINCT',
    sql: 'SELECT count(DISTINCT ssn) FROM customers',
    refused: /customers\.ssn .* in an aggregate DISTINCT$/,
  },
  {
    name: 'LIMIT from a masked value',
    sql: `SELECT full_name FROM customers LIMIT (SELECT length(ssn) FROM customers WHERE ${ADA})`,
    refused: /customers\.ssn .* in LIMIT$/,
  },
  {
    name: 'correlated subquery probe',
    sql: 'SELECT full_name FROM customers c WHERE (SELECT count(*) FROM customers d WHERE d.ssn < c.ssn) = 0',
    refused: /customers\.ssn .* in WHERE$/,
  },
  {
    name: 'EXISTS probe',
    sql: "SELECT full_name FROM customers c WHERE EXISTS (SELECT 1 FROM orders o WHERE c.ssn LIKE '1%')",
    refused: /customers\.ssn .* in WHERE$/,
  },
  {
    name: 'IN (subquery) probe',
    sql: "SELECT full_name FROM customers WHERE 'x' IN (SELECT email FROM customers)",
    refused: /customers\.email .* in WHERE$/,
  },
  {
    name: 'CTE probe',
    sql: "WITH p AS (SELECT full_name FROM customers WHERE ssn LIKE '1%') SELECT * FROM p",
    refused: /customers\.ssn .* in WHERE$/,
  },
  {
    name: 'probe through a subquery alias',
    sql: "SELECT 1 FROM (SELECT ssn AS x FROM customers) s WHERE s.x LIKE '1%'",
    refused: /customers\.ssn .* in WHERE$/,
  },
  {
    name: 'probe through a view',
    sql: "SELECT full_name FROM customer_contacts WHERE email LIKE 'a%'",
    refused: /customers\.email .* in WHERE$/,
  },
  {
    name: 'a cast that can fail (its error would quote the value)',
    sql: 'SELECT ssn::int FROM customers',
    refused: /customers\.ssn .* in a cast to int4$/,
  },
  {
    name: 'arithmetic over a masked value',
    sql: 'SELECT length(ssn) + 1 FROM customers',
    refused: /customers\.ssn .* in the operator \+$/,
  },
  {
    name: 'a comparison in the select list',
    sql: "SELECT ssn = '123-45-6789' AS hit FROM customers",
    refused: /customers\.ssn .* in the operator =$/,
  },
  {
    name: 'a CASE condition',
    sql: "SELECT CASE WHEN ssn LIKE '1%' THEN 1 ELSE 0 END FROM customers",
    refused: /customers\.ssn .* in a CASE condition$/,
  },
  {
    name: 'a function that multiplies rows',
    sql: 'SELECT generate_series(1, length(ssn)) FROM customers',
    refused: /customers\.ssn .* in the arguments of generate_series$/,
  },
  {
    name: 'a function in FROM over a masked column',
    sql: "SELECT p FROM customers c, unnest(string_to_array(c.ssn, '-')) AS p",
    refused: /customers\.ssn .* in the arguments of a function in FROM$/,
  },
  {
    name: 'a LATERAL reference',
    sql: 'SELECT x.s FROM customers c, LATERAL (SELECT c.ssn AS s) x',
    refused: /customers\.ssn .* in a LATERAL reference$/,
  },
  {
    name: 'INSERT … SELECT copies',
    sql: 'INSERT INTO scratch SELECT ssn FROM customers',
    refused: /customers\.ssn .* in INSERT$/,
  },
  {
    name: 'INSERT … VALUES of a subquery copies',
    sql: 'INSERT INTO scratch VALUES ((SELECT ssn FROM customers LIMIT 1))',
    refused: /customers\.ssn .* in INSERT$/,
  },
  {
    name: 'writing a masked column (a foreign key tells if it exists)',
    sql: "INSERT INTO orders (id, customer_id, total, status) VALUES (9, 'cus_1', 1, 'x')",
    refused: /orders\.customer_id .* in INSERT$/,
  },
  {
    name: 'CREATE TABLE AS copies',
    sql: 'CREATE TABLE copied AS SELECT ssn FROM customers',
    refused: /customers\.ssn .* in CREATE TABLE … AS$/,
  },
  {
    name: 'SELECT INTO copies',
    sql: 'SELECT ssn INTO copied FROM customers',
    refused: /customers\.ssn .* in SELECT INTO$/,
  },
  {
    name: 'UPDATE … WHERE a masked column',
    sql: "UPDATE notes SET note = 'x' WHERE EXISTS (SELECT 1 FROM customers WHERE ssn LIKE '1%')",
    refused: /customers\.ssn .* in WHERE$/,
  },
  {
    name: 'UPDATE … SET from a masked column',
    sql: 'UPDATE notes SET note = (SELECT ssn FROM customers LIMIT 1)',
    refused: /customers\.ssn .* in UPDATE … SET$/,
  },
  {
    name: 'UPDATE of a table with masked columns (errors show the row)',
    sql: "UPDATE customers SET country = 'GB' WHERE full_name = 'nobody'",
    refused:
      /^UPDATE of customers, which has masked columns \(customers\.id\), is not run for masked access$/,
  },
  {
    name: 'DELETE from a table with masked columns (a foreign key error shows the key)',
    sql: "DELETE FROM customers WHERE full_name = 'Ada Lovelace'",
    refused: /^DELETE of customers, which has masked columns/,
  },
  {
    name: 'DELETE … WHERE a masked column',
    sql: 'DELETE FROM scratch WHERE x IN (SELECT ssn FROM customers)',
    refused: /customers\.ssn .* in WHERE$/,
  },
  {
    name: 'RETURNING a masked column',
    sql: 'UPDATE notes SET note = note RETURNING id, (SELECT ssn FROM customers LIMIT 1)',
    refused: /customers\.ssn .* in RETURNING$/,
  },
  {
    name: 'COPY … TO',
    sql: 'COPY customers TO STDOUT',
    refused: /^COPY … TO .* is not run for masked access$/,
  },
  {
    name: 'COPY (query) TO',
    sql: 'COPY (SELECT full_name FROM customers) TO STDOUT',
    refused: /^COPY … TO .* is not run for masked access$/,
  },
  {
    name: 'EXPLAIN',
    sql: "EXPLAIN SELECT full_name FROM customers WHERE ssn = '1'",
    refused: /^EXPLAIN is not run for masked access$/,
  },
  {
    name: 'EXPLAIN ANALYZE',
    sql: 'EXPLAIN ANALYZE SELECT 1',
    refused: /^EXPLAIN is not run for masked access$/,
  },
  {
    name: 'a function defined in the database',
    sql: 'SELECT first_ssn()',
    refused: /^function first_ssn is not allowed for masked access$/,
  },
  {
    name: 'a function that runs SQL from text',
    sql: "SELECT query_to_xml('select ssn from customers', true, false, '')",
    refused: /^function query_to_xml is not allowed/,
  },
  {
    name: 'statistics hold column values',
    sql: "SELECT most_common_vals FROM pg_stats WHERE attname = 'ssn'",
    refused: /^pg_catalog\.pg_stats cannot be read with masked access$/,
  },
  {
    name: 'DO runs code jitgate cannot see',
    sql: 'DO $$ BEGIN RAISE NOTICE $q$hi$q$; END $$',
    refused: /^DO is not run for masked access$/,
  },
  {
    name: 'schema changes',
    sql: 'ALTER TABLE customers ADD CONSTRAINT probe CHECK (ssn NOT LIKE $$1%$$)',
    refused: /^ALTER TABLE .* is not run for masked access$/,
  },
  {
    name: 'one probe refuses the whole message',
    sql: "SELECT 1; SELECT full_name FROM customers WHERE ssn LIKE '1%'",
    refused: /^statement 2: column customers\.ssn .* in WHERE$/,
  },
  {
    name: 'set_config would keep the raw value in a setting',
    sql: "SELECT set_config('my.v', ssn, false) FROM customers",
    refused: /customers\.ssn .* in the arguments of set_config$/,
  },
  {
    name: 'a column in function notation',
    sql: "SELECT 1 FROM customers c WHERE ssn(c) LIKE '1%'",
    refused: /^column customers\.\w+ is masked for you and cannot be used in WHERE$/,
  },
]
