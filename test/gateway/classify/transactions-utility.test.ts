// Transaction control and utility statements: which of them change state (LOCK, VACUUM,
// NOTIFY, two-phase commit, most settings) and which do not (BEGIN, SHOW, LISTEN, FETCH).
import type { Case } from './classify-cases.ts'
import { describeCases } from './classify-cases.ts'

const tx = (sql: string, reasons: readonly string[] = []): Case => ({
  sql,
  kind: 'transaction',
  writes: reasons.length > 0,
  reasons,
})

const utility = (sql: string, reasons: readonly string[] = [], extra: Partial<Case> = {}): Case => ({
  sql,
  kind: 'utility',
  writes: reasons.length > 0,
  reasons,
  ...extra,
})

describeCases('transaction control', [
  tx('begin'),
  tx('BEGIN ISOLATION LEVEL SERIALIZABLE READ ONLY'),
  tx('start transaction read write'),
  tx('commit'),
  tx('commit and chain'),
  tx('end'),
  tx('rollback'),
  tx('abort'),
  tx('savepoint s1'),
  tx('release savepoint s1'),
  tx('rollback to savepoint s1'),
  tx('set transaction isolation level repeatable read'),
  tx('set session characteristics as transaction read only'),
  tx('set default_transaction_read_only = on'),
  tx('set constraints all deferred'),
  tx("prepare transaction 'tx1'", ['PREPARE TRANSACTION']),
  tx("commit prepared 'tx1'", ['COMMIT PREPARED']),
  tx("rollback prepared 'tx1'", ['ROLLBACK PREPARED']),
])

describeCases('settings', [
  utility("set application_name = 'psql'"),
  utility('set extra_float_digits = 3'),
  utility("SET DateStyle = 'ISO, MDY'"),
  utility("set time zone 'UTC'"),
  utility('set local statement_timeout = 5000'),
  utility('reset statement_timeout'),
  utility("set client_encoding = 'UTF8'"),
  utility("set names 'utf-8'"),
  utility('set client_min_messages to warning'),
  utility("set client_encoding = 'SJIS'", ['SET client_encoding']),
  utility('set search_path = app, public', ['SET search_path']),
  utility("set schema 'app'", ['SET search_path']),
  utility('set standard_conforming_strings = off', ['SET standard_conforming_strings']),
  utility('set work_mem = 1048576', ['SET work_mem']),
  utility('set row_security = off', ['SET row_security']),
  utility('reset all', ['RESET ALL']),
  utility('show search_path'),
  utility('show all'),
])

describeCases('utility statements', [
  utility('listen jobs'),
  utility('unlisten *'),
  utility("notify jobs, 'payload'", ['NOTIFY']),
  utility('fetch 10 from c'),
  utility('move forward all in c'),
  utility('close c'),
  utility('close all'),
  utility('deallocate p'),
  utility('deallocate all'),
  utility('discard plans'),
  utility('discard sequences'),
  utility('discard temp', ['DISCARD TEMP']),
  utility('discard all', ['DISCARD ALL']),
  utility('lock table users in access exclusive mode', ['LOCK TABLE'], { written: ['users'] }),
  utility('lock users, orders', ['LOCK TABLE'], { written: ['users', 'orders'] }),
  utility('vacuum', ['VACUUM']),
  utility('vacuum (verbose, analyze) users', ['VACUUM'], { written: ['users'] }),
  utility('analyze users', ['ANALYZE'], { written: ['users'] }),
  utility('cluster users using users_pkey', ['CLUSTER'], { written: ['users'] }),
  utility('reindex table users', ['REINDEX'], { written: ['users'] }),
  utility('checkpoint', ['CHECKPOINT']),
  utility("load 'auto_explain'", ['LOAD of a server library']),
  utility('explain select * from users', [], { read: ['users'], statement: 'ExplainStmt' }),
  utility('explain (costs off, verbose) select * from users where id = 1', [], { read: ['users'] }),
  utility('explain delete from users', [], { read: ['users'], written: [], columnsWritten: [] }),
  utility('explain (analyze false) update users set a = 1', [], { read: ['users'] }),
  utility("explain select nextval('s')", [], { functions: ['nextval'] }),
  utility('prepare q(int) as select * from users where id = $1', [], {
    read: ['users'],
    statement: 'PrepareStmt',
  }),
  utility('prepare d as delete from users', [], { read: ['users'], written: [] }),
])

describeCases('COPY TO', [
  { sql: 'copy users to stdout', kind: 'read', writes: false, read: ['users'], columnsRead: ['users.*'] },
  { sql: 'copy users (id, email) to stdout with (format csv, header)', kind: 'read', writes: false },
  { sql: 'copy (select id from users where active) to stdout', kind: 'read', writes: false, read: ['users'] },
  { sql: 'copy public.users to stdout (format binary)', kind: 'read', writes: false, read: ['public.users'] },
])
