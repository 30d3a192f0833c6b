// Schema and privilege changes: always writes, with the object's table written when it is one,
// and the tables a definition only refers to (a view's query, a foreign key) read.
import type { Case } from './classify-cases.ts'
import { describeCases } from './classify-cases.ts'

const ddl = (sql: string, extra: Partial<Case> = {}): Case => ({
  sql,
  kind: 'ddl',
  writes: true,
  reasons: ['schema change'],
  ...extra,
})

const dcl = (sql: string, extra: Partial<Case> = {}): Case => ({
  sql,
  kind: 'dcl',
  writes: true,
  reasons: ['privilege change'],
  ...extra,
})

describeCases('DDL', [
  ddl('create table t (id int primary key, email text not null)', { written: ['t'], read: [] }),
  ddl('create table if not exists app.t (id serial)', { written: ['app.t'] }),
  ddl("create table t (id bigint default nextval('t_id_seq'))", {
    reasons: ['schema change', 'volatile function nextval'],
    functions: ['nextval'],
  }),
  ddl('create table orders (user_id int references users (id))', { written: ['orders'], read: ['users'] }),
  ddl('create table t2 (like t including all)', { written: ['t2'], read: ['t'] }),
  ddl('create table p1 partition of p for values from (1) to (10)', { written: ['p1', 'p'] }),
  ddl('create temp table scratch (a int)', { written: ['scratch'] }),
  ddl('create unlogged table cache (k text, v text)', { written: ['cache'] }),
  ddl('alter table users add column phone text', { written: ['users'] }),
  ddl('alter table users drop column ssn cascade', { written: ['users'] }),
  ddl('alter table users rename to customers', { written: ['users'], statement: 'RenameStmt' }),
  ddl('alter table users rename column email to mail', { written: ['users'] }),
  ddl('alter table if exists users alter column email set not null', { written: ['users'] }),
  ddl('alter table users enable row level security', { written: ['users'] }),
  ddl('alter table users set schema archive', { written: ['users'] }),
  ddl('drop table users', { written: ['users'], statement: 'DropStmt' }),
  ddl('drop table if exists app.users, logs cascade', { written: ['app.users', 'logs'] }),
  ddl('drop view v', { written: ['v'] }),
  ddl('drop function f(int)', { written: [] }),
  ddl('drop schema app cascade', { written: [] }),
  ddl('create index on users (email)', { written: ['users'] }),
  ddl('create unique index concurrently users_email on users (lower(email)) where deleted_at is null', {
    written: ['users'],
    functions: ['lower'],
  }),
  ddl('drop index users_email'),
  ddl('create view active_users as select id, email from users where active', {
    written: ['active_users'],
    read: ['users'],
  }),
  ddl('create or replace view v as select * from a join b using (id)', { written: ['v'], read: ['a', 'b'] }),
  ddl('create materialized view mv as select count(*) from orders', { written: ['mv'], read: ['orders'] }),
  ddl('create table t3 as select * from users', {
    written: ['t3'],
    read: ['users'],
    statement: 'CreateTableAsStmt',
  }),
  ddl('create sequence s start 10', { written: ['s'] }),
  ddl('alter sequence s restart with 1', { written: ['s'] }),
  ddl('create schema app'),
  ddl('create schema app create table t (a int)', { written: ['t'] }),
  ddl("create type mood as enum ('sad', 'happy')"),
  ddl("alter type mood add value 'ok'"),
  ddl("create domain email as text check (value like '%@%')"),
  ddl('create extension if not exists pgcrypto'),
  ddl('create function add(a int, b int) returns int language sql immutable as $$ select a + b $$', {
    statement: 'CreateFunctionStmt',
  }),
  ddl('create procedure p() language sql begin atomic insert into t values (1); delete from u; end', {
    written: ['t', 'u'],
  }),
  ddl('create trigger trg before insert on t for each row execute function f()', { written: ['t'] }),
  ddl('create rule r as on insert to t do also insert into log values (new.a)', { written: ['t', 'log'] }),
  ddl("comment on table users is 'people'"),
  ddl('create database app'),
  ddl('drop database app'),
  ddl('create publication p for table users'),
  ddl('create foreign table ft (a int) server s', { written: ['ft'] }),
  ddl("alter system set work_mem = '64MB'", { reasons: ['server configuration change'] }),
])

describeCases('DCL', [
  dcl('grant select on users to analyst', { written: ['users'], statement: 'GrantStmt' }),
  dcl('grant select, update (email) on public.users, orders to bob with grant option', {
    written: ['public.users', 'orders'],
  }),
  dcl('revoke all on users from public', { written: ['users'] }),
  dcl('grant usage on schema app to analyst', { written: [] }),
  dcl('grant select on all tables in schema app to analyst'),
  dcl('grant admin to alice'),
  dcl('revoke admin from alice'),
  dcl("create role analyst login password 'x'"),
  dcl('create user bob'),
  dcl('alter role analyst superuser'),
  dcl('alter role analyst set search_path = app'),
  dcl('drop role analyst'),
  dcl('alter default privileges in schema app grant select on tables to analyst'),
  dcl('create policy own_rows on users using (owner = current_user)', { written: ['users'] }),
  dcl('alter policy own_rows on users using (true)', { written: ['users'] }),
  dcl('alter table users owner to alice', { kind: 'ddl', reasons: ['schema change'], written: ['users'] }),
  dcl('alter function f() owner to alice', { statement: 'AlterOwnerStmt' }),
  dcl('reassign owned by alice to bob'),
  dcl('drop owned by alice'),
])
