// Columns tied to their tables through aliases, joins, subqueries, CTEs and `*`; what cannot be
// tied to one table without the schema is reported as `?.column`, never dropped.
import { describeCases, read } from './classify-cases.ts'

const cols = (sql: string, columnsRead: readonly string[], tables?: readonly string[]) =>
  read(sql, tables === undefined ? { columnsRead } : { columnsRead, read: tables })

describeCases('columns: aliases and qualification', [
  cols('select email from users', ['users.email']),
  cols('select u.email from users u', ['users.email']),
  cols('select u.email from users as u where u.id = 1', ['users.email', 'users.id']),
  cols('select users.email from users', ['users.email']),
  cols('select public.users.email from public.users', ['public.users.email']),
  cols('select users.email from public.users', ['public.users.email']),
  cols('select "E-mail" from users', ['users.E-mail']),
  cols('select "a.b" from t', ['t."a.b"']),
  cols('select u.* from users u', ['users.*']),
  cols('select *, email from users', ['users.*', 'users.email']),
  cols('select u from users u', ['users.*']),
  cols('select row_to_json(u) from users u', ['users.*']),
  cols('select (u).email from users u', ['users.*']),
  cols('select email as contact from users order by contact', ['users.email']),
  cols('select email as contact from users order by lower(contact)', ['users.email', 'users.contact']),
  cols('select email from users group by email', ['users.email']),
  cols('select nosuch.email from users', ['?.email']),
])

describeCases('columns: joins', [
  cols('select u.email, o.total from users u join orders o on o.user_id = u.id', [
    'users.email',
    'orders.total',
    'orders.user_id',
    'users.id',
  ]),
  cols('select email, total from users, orders', ['?.email', '?.total'], ['users', 'orders']),
  cols('select * from users u join orders o on o.user_id = u.id', [
    'users.*',
    'orders.*',
    'orders.user_id',
    'users.id',
  ]),
  cols('select o.* from users u join orders o using (id)', ['orders.*', 'users.id', 'orders.id']),
  cols('select u.email from users u left join orders o on true', ['users.email']),
  cols('select a.x from a natural join b', ['a.x'], ['a', 'b']),
  cols(
    'select u.email from users u cross join lateral (select o.total from orders o where o.user_id = u.id) t',
    ['users.email', 'orders.total', 'orders.user_id', 'users.id'],
  ),
])

describeCases('columns: subqueries and CTEs', [
  cols('select s.e from (select email as e from users) s', ['users.email']),
  cols('select * from (select * from users) s', ['users.*']),
  cols('select e from (select email as e from users) s', ['users.email']),
  cols('select * from users where id in (select user_id from orders)', [
    'users.*',
    'users.id',
    'orders.user_id',
  ]),
  cols('select (select max(total) from orders o where o.user_id = u.id) from users u', [
    'orders.total',
    'orders.user_id',
    'users.id',
  ]),
  cols('select * from users u where exists (select 1 from orders o where o.user_id = u.id)', [
    'users.*',
    'orders.user_id',
    'users.id',
  ]),
  cols('with e as (select email from users) select * from e', ['users.email'], ['users']),
  cols('with e(addr) as (select email from users) select addr from e', ['users.email'], ['users']),
  cols(
    'with e as (select email from users) select e.email from e join orders o on true',
    ['users.email'],
    ['users', 'orders'],
  ),
  cols('with recursive r(n) as (select 1 union all select n + 1 from r) select n from r', [], []),
  // A CTE named like a table hides the table; a schema-qualified name does not.
  cols('with users as (select 1 as id) select id from users', [], []),
  cols('with users as (select 1 as id) select id from public.users', ['public.users.id'], ['public.users']),
  cols('select g from generate_series(1, 3) g', []),
  cols('select x from t, generate_series(1, 3) g', ['?.x'], ['t']),
])
