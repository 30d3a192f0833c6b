// The traps of issue 7 that run code or change who the session is: CALL, DO, SET ROLE and its
// kin, EXECUTE of a prepared write; and the fail-safe rule for syntax the classifier does not know.
import assert from 'node:assert/strict'
import { before, describe, it } from 'node:test'
import type { Node } from 'libpg-query'
import { classifyNode } from '../../../src/gateway/classify/statement-classifier.ts'
import { type Classification, classify, initClassifier } from '../../../src/gateway/index.ts'
import { type Case, describeCases, only, parsed, write } from './classify-cases.ts'

describeCases('trap: CALL and DO', [
  write('call refresh_totals()', ['CALL'], { functions: ['refresh_totals'], statement: 'CallStmt' }),
  write("call app.archive(2024, 'x')", ['CALL'], { functions: ['app.archive'] }),
  write("call p(nextval('s'))", ['CALL', 'volatile function nextval'], { functions: ['p', 'nextval'] }),
  write('do $$ begin delete from users; end $$', ['DO'], { statement: 'DoStmt' }),
  write('do language plpgsql $body$ begin perform pg_sleep(1); end $body$', ['DO']),
  write("DO 'begin null; end'", ['DO']),
])

const dcl = (sql: string, reasons: readonly string[]): Case => ({ sql, kind: 'dcl', writes: true, reasons })

describeCases('trap: SET ROLE and session identity', [
  dcl('set role admin', ['SET ROLE']),
  dcl('SET LOCAL ROLE admin', ['SET ROLE']),
  dcl("set session role 'admin'", ['SET ROLE']),
  dcl('set role none', ['SET ROLE']),
  dcl('reset role', ['RESET ROLE']),
  dcl("set session authorization 'bob'", ['SET SESSION AUTHORIZATION']),
  dcl('set session authorization default', ['SET SESSION AUTHORIZATION']),
  dcl('reset session authorization', ['RESET SESSION AUTHORIZATION']),
  { sql: 'discard all', kind: 'utility', writes: true, reasons: ['DISCARD ALL'] },
  { sql: 'reset all', kind: 'utility', writes: true, reasons: ['RESET ALL'] },
  {
    sql: "select set_config('role', 'admin', false)",
    kind: 'write',
    writes: true,
    reasons: ['volatile function set_config'],
  },
])

const READ: Classification = {
  kind: 'read',
  statement: 'SelectStmt',
  writes: false,
  reasons: [],
  tables: { read: ['users'], write: [] },
  columns: { read: ['users.*'], write: [] },
  functions: [],
}
const DELETE: Classification = {
  kind: 'write',
  statement: 'DeleteStmt',
  writes: true,
  reasons: ['DELETE'],
  tables: { read: [], write: ['users'] },
  columns: { read: [], write: ['users.*'] },
  functions: [],
}
const PREPARED = new Map([
  ['by_id', READ],
  ['purge', DELETE],
])

describeCases('trap: EXECUTE of a prepared statement', [
  {
    sql: 'execute purge',
    kind: 'utility',
    writes: true,
    reasons: ['EXECUTE of an unknown prepared statement purge'],
  },
  {
    sql: 'execute q(1, 2)',
    kind: 'utility',
    writes: true,
    reasons: ['EXECUTE of an unknown prepared statement q'],
  },
  {
    sql: 'execute purge',
    kind: 'write',
    writes: true,
    reasons: ['EXECUTE of a prepared write', 'DELETE'],
    written: ['users'],
    prepared: PREPARED,
    statement: 'ExecuteStmt',
  },
  { sql: 'execute by_id(1)', kind: 'read', writes: false, reasons: [], read: ['users'], prepared: PREPARED },
  {
    sql: "execute by_id(nextval('s'))",
    kind: 'write',
    writes: true,
    reasons: ['volatile function nextval'],
    prepared: PREPARED,
  },
  {
    sql: 'explain analyze execute purge',
    kind: 'write',
    writes: true,
    reasonsInclude: ['EXPLAIN ANALYZE of a write', 'EXECUTE of a prepared write'],
    prepared: PREPARED,
  },
  {
    sql: 'create table copy_of as execute by_id(1)',
    kind: 'ddl',
    writes: true,
    reasons: ['schema change'],
    read: ['users'],
    written: ['copy_of'],
    prepared: PREPARED,
  },
])

describe('prepared statements within one script', () => {
  before(() => initClassifier())

  it('EXECUTE after PREPARE in the same script does what the prepared statement does', () => {
    const [prepare, execute] = classify('prepare p as delete from users where id = $1; execute p(1)').map(
      parsed,
    )
    assert.deepEqual(prepare?.prepared?.name, 'p')
    assert.equal(prepare?.writes, false)
    assert.equal(execute?.kind, 'write')
    assert.deepEqual(execute?.reasons, ['EXECUTE of a prepared write', 'DELETE'])
  })

  it('a read prepared in the script executes as a read', () => {
    const results = classify('prepare r as select * from t; execute r').map(parsed)
    assert.equal(results[1]?.kind, 'read')
    assert.deepEqual(results[1]?.tables.read, ['t'])
  })

  it('DEALLOCATE and DISCARD ALL forget prepared statements, given or prepared in the script', () => {
    const results = classify(
      'deallocate by_id; execute by_id; prepare x as select 1; discard all; execute x',
      undefined,
      PREPARED,
    )
    assert.deepEqual(parsed(results[1]).reasons, ['EXECUTE of an unknown prepared statement by_id'])
    assert.deepEqual(parsed(results[4]).reasons, ['EXECUTE of an unknown prepared statement x'])
    const all = classify('deallocate all; execute purge', undefined, PREPARED)
    assert.deepEqual(parsed(all[1]).reasons, ['EXECUTE of an unknown prepared statement purge'])
  })

  it('a PREPARE shadows a prepared statement of the same name for the rest of the script', () => {
    const results = classify('prepare by_id as delete from t; execute by_id', undefined, PREPARED)
    assert.equal(parsed(results[1]).writes, true)
    assert.equal(only('execute by_id', undefined, PREPARED).writes, false)
  })
})

describe('fail safe: syntax the classifier does not know', () => {
  before(() => initClassifier())
  const env = { catalog: undefined, prepared: new Map() }

  it('an unknown node inside a SELECT makes it a write, with the node named', () => {
    const node: Node = JSON.parse(
      '{"SelectStmt":{"targetList":[{"ResTarget":{"val":{"FutureExpr":{"x":1}}}}]}}',
    )
    const c = classifyNode(node, env)
    assert.equal(c.kind, 'write')
    assert.deepEqual(c.reasons, ['unrecognised syntax FutureExpr'])
  })

  it('an unknown node still has its tables found', () => {
    const node: Node = JSON.parse(
      '{"SelectStmt":{"fromClause":[{"FutureFrom":{"rel":{"RangeVar":{"relname":"users"}}}}]}}',
    )
    const c = classifyNode(node, env)
    assert.deepEqual(
      [c.writes, c.tables.read, c.reasons],
      [true, ['users'], ['unrecognised syntax FutureFrom']],
    )
  })

  it('an unknown statement type is a utility statement that writes', () => {
    const node: Node = JSON.parse('{"FutureStmt":{"relation":{"relname":"users"}}}')
    const c = classifyNode(node, env)
    assert.deepEqual([c.kind, c.writes, c.reasons], ['utility', true, ['unrecognised statement FutureStmt']])
    assert.deepEqual(c.tables.write, ['users'])
  })

  it('an unknown node in a statement that writes anyway adds no noise', () => {
    const node: Node = JSON.parse(
      '{"DeleteStmt":{"relation":{"relname":"t"},"whereClause":{"FutureExpr":{}}}}',
    )
    assert.deepEqual(classifyNode(node, env).reasons, ['DELETE'])
  })
})
