// INSERT, UPDATE, DELETE, MERGE, TRUNCATE, COPY FROM and the other statements that change data:
// the tables and columns written, those read along the way, and the reason.
import { describeCases, write } from './classify-cases.ts'

describeCases('writes', [
  write("insert into users (email) values ('a@b.c')", ['INSERT'], {
    read: [],
    written: ['users'],
    columnsWritten: ['users.email'],
  }),
  write('insert into users values (1, 2)', ['INSERT'], { written: ['users'], columnsWritten: ['users.*'] }),
  write('insert into public.users default values', ['INSERT'], { written: ['public.users'] }),
  write('insert into archive select * from orders where created_at < now()', ['INSERT'], {
    read: ['orders'],
    written: ['archive'],
    columnsRead: ['orders.*', 'orders.created_at'],
  }),
  write('insert into t (a) values (1) returning id', ['INSERT'], { read: ['t'], columnsRead: ['t.id'] }),
  write('insert into t (a) values (1) on conflict (a) do nothing', ['INSERT'], { written: ['t'] }),
  write(
    'insert into t (a, b) values (1, 2) on conflict (a) do update set b = excluded.b where t.c > 0',
    ['INSERT'],
    {
      written: ['t'],
      columnsWritten: ['t.a', 't.b'],
      columnsRead: ['t.c'],
    },
  ),
  write(
    'insert into t as x (a) values (1) on conflict on constraint t_pkey do update set a = x.a + 1',
    ['INSERT'],
    {
      columnsRead: ['t.a'],
    },
  ),
  write('update users set email = lower(email) where id = 1', ['UPDATE'], {
    read: ['users'],
    written: ['users'],
    columnsRead: ['users.email', 'users.id'],
    columnsWritten: ['users.email'],
    functions: ['lower'],
  }),
  write('update users u set name = o.name from others o where o.id = u.id', ['UPDATE'], {
    read: ['others', 'users'],
    written: ['users'],
    columnsWritten: ['users.name'],
  }),
  write('update t set (a, b) = (select x, y from u where u.id = t.id)', ['UPDATE'], {
    read: ['u', 't'],
    columnsWritten: ['t.a', 't.b'],
  }),
  write('update t set a = default', ['UPDATE'], { columnsWritten: ['t.a'] }),
  write('update t set a = 1 where current of c', ['UPDATE'], { written: ['t'] }),
  write('update t set a = 1 returning old.a, new.a', ['UPDATE'], { columnsRead: ['t.a'] }),
  write('delete from users where id = 1', ['DELETE'], {
    read: ['users'],
    written: ['users'],
    columnsWritten: ['users.*'],
  }),
  write('delete from orders using users where orders.user_id = users.id and users.banned', ['DELETE'], {
    read: ['orders', 'users'],
    written: ['orders'],
  }),
  write('delete from t returning *', ['DELETE'], { columnsRead: ['t.*'], columnsWritten: ['t.*'] }),
  write('delete from only t where a in (select a from u)', ['DELETE'], { read: ['t', 'u'], written: ['t'] }),
  write(
    'merge into accounts a using payments p on a.id = p.account_id ' +
      'when matched then update set balance = a.balance - p.amount ' +
      'when not matched then insert (id, balance) values (p.account_id, 0)',
    ['MERGE'],
    {
      read: ['payments', 'accounts'],
      written: ['accounts'],
      columnsWritten: ['accounts.balance', 'accounts.id'],
    },
  ),
  write('merge into t using s on t.id = s.id when matched then delete', ['MERGE'], {
    read: ['s', 't'],
    columnsWritten: ['t.*'],
  }),
  write(
    'merge into t using (select * from s) src on t.id = src.id when matched then do nothing returning merge_action()',
    ['MERGE'],
    { read: ['s', 't'] },
  ),
  write('truncate users, orders', ['TRUNCATE'], {
    written: ['users', 'orders'],
    columnsWritten: ['users.*', 'orders.*'],
  }),
  write('truncate table only logs restart identity cascade', ['TRUNCATE'], { written: ['logs'] }),
  write('copy users from stdin', ['COPY FROM'], { written: ['users'], columnsWritten: ['users.*'] }),
  write('copy users (id, email) from stdin with (format csv)', ['COPY FROM'], {
    columnsWritten: ['users.id', 'users.email'],
  }),
  write('copy users from stdin where id > 5', ['COPY FROM'], { columnsRead: ['users.id'] }),
  write('refresh materialized view concurrently sales_summary', ['REFRESH MATERIALIZED VIEW'], {
    written: ['sales_summary'],
  }),
  write("insert into t select nextval('s')", ['INSERT', 'volatile function nextval']),
  write('with moved as (delete from a returning *) insert into b select * from moved', [
    'INSERT',
    'data-modifying CTE (DELETE)',
  ]),
  write('with src as (select * from s) update t set a = src.a from src where src.id = t.id', ['UPDATE'], {
    read: ['s', 't'],
    written: ['t'],
  }),
  write('insert into t overriding system value values (1)', ['INSERT'], { written: ['t'] }),
])
