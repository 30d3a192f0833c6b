// Functions and operators judged by volatility: immutable and stable ones read, volatile ones
// write (but for the short harmless list), unknown ones write, user-defined ones as the upstream's
// catalog says, and functions that read what the statement does not name never read.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import builtins from '../../../src/gateway/classify/builtin-functions.json' with { type: 'json' }
import { functionCatalog, HARMLESS_VOLATILE_FUNCTIONS } from '../../../src/gateway/index.ts'
import { describeCases, read, write } from './classify-cases.ts'

const CATALOG = functionCatalog(
  [
    { schema: 'public', name: 'full_name', volatility: 's' },
    { schema: 'public', name: 'slugify', volatility: 'i' },
    { schema: 'app', name: 'bump_counter', volatility: 'v' },
    { schema: 'public', name: 'lower', volatility: 'v' },
    { schema: 'public', name: 'crypt', volatility: 'i' },
  ],
  [
    { schema: 'public', name: '===', volatility: 'i' },
    { schema: 'app', name: '~>', volatility: 'v' },
  ],
)

describeCases('trap: functions that may have side effects', [
  write("select nextval('orders_id_seq')", ['volatile function nextval'], { functions: ['nextval'] }),
  write("select setval('s', 1)", ['volatile function setval']),
  write(
    'select pg_terminate_backend(pid) from pg_stat_activity',
    ['volatile function pg_terminate_backend'],
    {
      read: ['pg_stat_activity'],
    },
  ),
  write('select pg_cancel_backend(42)', ['volatile function pg_cancel_backend']),
  write('select lo_unlink(16400)', ['volatile function lo_unlink']),
  write("select lo_import('/etc/passwd')", ['volatile function lo_import']),
  write("select set_config('search_path', 'evil', false)", ['volatile function set_config']),
  write("select pg_notify('jobs', 'x')", ['volatile function pg_notify']),
  write('select pg_advisory_lock(1)', ['volatile function pg_advisory_lock']),
  write('select pg_reload_conf()', ['volatile function pg_reload_conf']),
  write("select pg_read_file('/etc/passwd')", ['volatile function pg_read_file']),
  write("select pg_catalog.nextval('s')", ['volatile function pg_catalog.nextval'], {
    functions: ['pg_catalog.nextval'],
  }),
  write("select * from users where id = nextval('s')", ['volatile function nextval'], { read: ['users'] }),
  write("select * from users order by setval('s', id)", ['volatile function setval']),
  write("select * from nextval('s')", ['volatile function nextval']),
  write("select lower(set_config('a.b', 'c', true))", ['volatile function set_config']),
  write('select case when false then pg_terminate_backend(1) end', [
    'volatile function pg_terminate_backend',
  ]),
  write("values (nextval('s'))", ['volatile function nextval']),
  write("select exists (select pg_notify('c', 'x'))", ['volatile function pg_notify']),
  write('select setseed(0.5)', ['volatile function setseed']),
  write('select pg_sleep(1)', ['volatile function pg_sleep']),
  write("select query_to_xml('select ssn from users', true, true, '')", [
    'function query_to_xml reads data the statement does not name',
  ]),
  write("select table_to_xml('users', true, true, '')", [
    'function table_to_xml reads data the statement does not name',
  ]),
  write("select * from ts_stat('select body from documents')", [
    'function ts_stat reads data the statement does not name',
  ]),
])

describeCases('unknown and user-defined functions', [
  write('select my_func()', ['unknown function my_func'], { functions: ['my_func'] }),
  write('select public.my_func(1)', ['unknown function public.my_func'], { functions: ['public.my_func'] }),
  write('select "NextVal"(\'s\')', ['unknown function NextVal']),
  write("select dblink_exec('host=x', 'delete from t')", ['unknown function dblink_exec']),
  write('select * from users where my_pred(id)', ['unknown function my_pred'], { read: ['users'] }),
  write('select * from app.report_rows()', ['unknown function app.report_rows']),
  write('select pg_catalog.full_name(1)', ['unknown function pg_catalog.full_name'], { catalog: CATALOG }),
  read('select full_name(u) from users u', {
    catalog: CATALOG,
    functions: ['full_name'],
    columnsRead: ['users.*'],
  }),
  read('select public.slugify(title) from posts', { catalog: CATALOG }),
  read("select crypt('x', 'y')", { catalog: CATALOG }),
  write('select app.bump_counter()', ['volatile function app.bump_counter'], { catalog: CATALOG }),
  write('select bump_counter()', ['volatile function bump_counter'], { catalog: CATALOG }),
  // An overload elsewhere may win over pg_catalog's for some argument types.
  write('select lower(name) from users', ['volatile function lower'], { catalog: CATALOG }),
  read('select pg_catalog.lower(name) from users', { catalog: CATALOG }),
  read('select * from users tablesample system (1)', { catalog: CATALOG }),
  write('select * from users tablesample system_rows (10)', ['TABLESAMPLE unknown function system_rows']),
])

describeCases('operators', [
  read('select 1 + 2, 3 * 4, 5 / 6, 7 % 8, 2 ^ 3, |/ 16, @ -5'),
  read("select 'a' || 'b', 'abc' ~ 'b', 'abc' !~* 'B', 'x' like 'y'"),
  read('select 1 operator(pg_catalog.+) 2'),
  read('select * from t where a = any (array[1, 2]) and b <> all (select b from u)'),
  read('select * from t order by a using <'),
  write('select 1 === 2', ['unknown operator ==='], { read: [] }),
  read('select 1 === 2', { catalog: CATALOG }),
  write('select a ~> b from t', ['volatile operator ~>'], { catalog: CATALOG }),
  write('select 1 operator(app.~>) 2', ['volatile operator OPERATOR(app.~>)'], { catalog: CATALOG }),
  write('select 1 operator(app.+) 2', ['unknown operator OPERATOR(app.+)']),
  write('select * from t where a = any (select b from u) order by a using ~~~', ['unknown operator ~~~']),
])

describe('the built-in volatility table', () => {
  const functions: Readonly<Record<string, string>> = builtins.functions

  it('comes from a real PostgreSQL and covers its thousands of functions', () => {
    assert.match(builtins.postgres, /^\d+/)
    assert.ok(Object.keys(functions).length > 2500)
    assert.ok(Object.values(functions).every((v) => v === 'i' || v === 's' || v === 'v'))
  })

  it('knows the functions of the issue as volatile, and common ones as not', () => {
    for (const name of ['nextval', 'pg_terminate_backend', 'lo_unlink', 'set_config', 'pg_notify']) {
      assert.equal(functions[name], 'v', name)
    }
    assert.deepEqual([functions.lower, functions.now, functions.count], ['i', 's', 'i'])
  })

  it('lists as harmless only functions PostgreSQL itself calls volatile', () => {
    for (const name of HARMLESS_VOLATILE_FUNCTIONS) assert.equal(functions[name], 'v', name)
  })
})
