// Where each statement of a script is (UTF-16 offsets, whatever letters come before it), how a
// script with a broken statement is still split so the rest is classified, what the error says,
// and the fingerprint helper.
import assert from 'node:assert/strict'
import { before, describe, it } from 'node:test'
import {
  classify,
  initClassifier,
  type StatementResult,
  StatementUnparseableError,
  statementFingerprint,
} from '../../../src/gateway/index.ts'

/** Each statement's text as the locations cut it, and its kind. */
function pieces(sql: string): string[] {
  return classify(sql).map(
    (r: StatementResult) => `${r.kind}: ${sql.slice(r.location.start, r.location.end)}`,
  )
}

function errorOf(sql: string, index = 0) {
  const r = classify(sql)[index]
  if (r?.kind !== 'error') assert.fail(`statement ${index} of ${sql} parsed`)
  return r.error
}

describe('statement locations', () => {
  before(() => initClassifier())

  const cases: [string, string[]][] = [
    ['select 1', ['read: select 1']],
    ['select 1; select 2;', ['read: select 1', 'read: select 2']],
    ['  select 1  ;\n\n  delete from t ;  ', ['read: select 1', 'write: delete from t']],
    ["select 'é' ; select 'ü'", ["read: select 'é'", "read: select 'ü'"]],
    ["select 'Grüße, 東京 😀'; delete from t", ["read: select 'Grüße, 東京 😀'", 'write: delete from t']],
    [
      '-- kommentar über ümlaute 😀\nselect 1; /* é */ delete from t',
      ['read: select 1', 'write: delete from t'],
    ],
    ['select 1 -- trailing; not a split\n; select 2', ['read: select 1', 'read: select 2']],
    [
      'select $$ ; $$, \'a;b\', "c;d" from t; select 2',
      ['read: select $$ ; $$, \'a;b\', "c;d" from t', 'read: select 2'],
    ],
    ["select $tag$ it's ; $tag$; select 2", ["read: select $tag$ it's ; $tag$", 'read: select 2']],
    [';;; select 1 ;; ;', ['read: select 1']],
    ['', []],
    ['  \n ', []],
    ['-- only a comment', []],
    ['/* a */ /* b */', []],
    [
      'create function f() returns int language sql begin atomic select 1; select 2; end; select 3',
      [
        'ddl: create function f() returns int language sql begin atomic select 1; select 2; end',
        'read: select 3',
      ],
    ],
  ]
  for (const [sql, expected] of cases) it(JSON.stringify(sql), () => assert.deepEqual(pieces(sql), expected))

  it('counts a letter outside the BMP as two code units, as JavaScript does', () => {
    const sql = "select '😀😀'; select 1"
    const [, second] = classify(sql)
    assert.deepEqual(second?.location, { start: 15, end: 23 })
  })
})

describe('scripts with broken statements', () => {
  before(() => initClassifier())

  const cases: [string, string[]][] = [
    ['select 1; selec 2; select 3', ['read: select 1', 'error: selec 2', 'read: select 3']],
    [
      'delete from t; select from from; drop table u',
      ['write: delete from t', 'error: select from from', 'ddl: drop table u'],
    ],
    ['select 1; select (2; select 3', ['read: select 1', 'error: select (2', 'read: select 3']],
    // PostgreSQL's lexer fails on these: our own finds the boundaries.
    ['select 1; select "" from t; select 2', ['read: select 1', 'error: select "" from t', 'read: select 2']],
    ['select 1abc; delete from t', ['error: select 1abc', 'write: delete from t']],
    ["select 1; select 'open; delete from t", ['read: select 1', "error: select 'open; delete from t"]],
    [
      'select 1; select 2 /* open; delete from t',
      ['read: select 1', 'error: select 2 /* open; delete from t'],
    ],
    ["select e'it\\'s; fine'; selec", ["read: select e'it\\'s; fine'", 'error: selec']],
    [
      'select \'\'; select $a$ ; $a$ ; select ""',
      ["read: select ''", 'read: select $a$ ; $a$', 'error: select ""'],
    ],
    ['select 1; selec\u0000t 2; select 3', ['read: select 1', 'error: selec\u0000t 2', 'read: select 3']],
  ]
  for (const [sql, expected] of cases) it(JSON.stringify(sql), () => assert.deepEqual(pieces(sql), expected))

  it('gives the position in UTF-16 code units of the whole input', () => {
    const sql = "select 'ü😀'; selec 2"
    assert.deepEqual(errorOf(sql, 1), {
      message: 'syntax error at or near "selec"',
      position: 14,
      hint: 'fix the statement at this position: jitgate refuses statements PostgreSQL cannot parse',
    })
    assert.equal(sql.slice(14, 19), 'selec')
    assert.equal(errorOf("select '😀' +").position, "select '😀' +".length)
  })

  it('never repeats a literal in the message: it may be personal data', () => {
    const error = errorOf("select 1; select 'jane@example.org", 1)
    assert.equal(error.message, 'unterminated quoted string at or near a literal')
    assert.equal(
      error.hint,
      'close the quoted string, quoted identifier, dollar quote or comment that starts here',
    )
    assert.equal(
      errorOf("select * from users where email = 'jane@example.org' 'x'").message.includes('jane'),
      false,
    )
  })

  it('says a statement that ends too early is incomplete', () => {
    assert.deepEqual(errorOf('select * from'), {
      message: 'syntax error at end of input',
      position: 13,
      hint: 'the statement ends too early: complete it',
    })
  })

  it('refuses a NUL character where it is', () => {
    assert.deepEqual(errorOf('select 1\u0000'), {
      message: 'the statement contains a NUL character, which PostgreSQL does not accept',
      position: 8,
      hint: 'remove the NUL character',
    })
  })

  it('reads a lone surrogate as U+FFFD, as it would be sent', () => {
    const [r] = classify("select '\uD800'")
    assert.deepEqual([r?.kind, r?.location], ['read', { start: 0, end: 10 }])
  })
})

describe('statementFingerprint', () => {
  before(() => initClassifier())

  it('is the same for statements that differ in constants, case, spacing and comments', () => {
    const a = statementFingerprint('SELECT * FROM users WHERE id = 1')
    const b = statementFingerprint('select *  from users /* x */ where id = 42')
    assert.equal(a.fingerprint, b.fingerprint)
    assert.match(a.fingerprint, /^[0-9a-f]{16}$/)
    assert.equal(a.normalized, 'SELECT * FROM users WHERE id = $1')
  })

  it('differs when the statement does something else', () => {
    const select = statementFingerprint('select * from users where id = 1')
    assert.notEqual(select.fingerprint, statementFingerprint('delete from users where id = 1').fingerprint)
    assert.notEqual(select.fingerprint, statementFingerprint('select * from orders where id = 1').fingerprint)
  })

  it('refuses what does not parse', () => {
    assert.throws(() => statementFingerprint('selec 1'), StatementUnparseableError)
  })
})
