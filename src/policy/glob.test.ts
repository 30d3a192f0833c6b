// Table tests and properties of the glob language used for verbs and resources.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { compileGlob, GlobSyntaxError } from './glob.ts'

describe('compileGlob', () => {
  const cases: [string, '.' | '/', string, boolean][] = [
    ['db.query', '.', 'db.query', true],
    ['db.query', '.', 'db.queryx', false],
    ['db.*', '.', 'db.query', true],
    ['db.*', '.', 'db.query.extra', false],
    ['db.**', '.', 'db.query.extra', true],
    ['dsar.{erase,export}', '.', 'dsar.erase', true],
    ['dsar.{erase,export}', '.', 'dsar.access', false],
    ['pg://prod/*', '/', 'pg://prod/public.users', true],
    ['pg://prod/*', '/', 'pg://prod/a/b', false],
    ['pg://prod/**', '/', 'pg://prod/a/b', true],
    ['pg://*/users', '/', 'pg://staging/users', true],
    ['pg://prod/user?', '/', 'pg://prod/users', true],
    ['pg://prod/user?', '/', 'pg://prod/user/', false],
    ['a\\*b', '/', 'a*b', true],
    ['a\\*b', '/', 'axb', false],
    ['a.b', '/', 'axb', false],
    ['(x)+', '/', '(x)+', true],
    ['**', '/', '', true],
  ]
  for (const [pattern, sep, value, expected] of cases) {
    it(`${pattern} ${expected ? 'matches' : 'does not match'} ${JSON.stringify(value)}`, () => {
      assert.equal(compileGlob(pattern, sep).test(value), expected)
    })
  }

  it('reports the literal prefix up to the first wildcard', () => {
    assert.equal(compileGlob('pg://prod/*', '/').literalPrefix, 'pg://prod/')
    assert.equal(compileGlob('pg://prod/users', '/').isLiteral, true)
    assert.equal(compileGlob('a\\*b*', '/').literalPrefix, 'a*b')
  })

  const errors: [string, string, number][] = [
    ['', 'empty pattern', 0],
    ['dsar.{erase', "'{' is never closed", 5],
    ['a}b', "'}' without a matching '{'", 1],
    ['{a,{b}}', 'nested { } groups are not supported', 3],
    ['abc\\', 'pattern ends with a lone backslash', 3],
  ]
  for (const [pattern, message, offset] of errors) {
    it(`rejects ${JSON.stringify(pattern)}: ${message}`, () => {
      assert.throws(
        () => compileGlob(pattern, '/'),
        (err: GlobSyntaxError) =>
          err instanceof GlobSyntaxError && err.message === message && err.offset === offset,
      )
    })
  }

  it('matches every string literally when it has no special characters', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 64 }).filter((s) => s.length > 0 && !/[*?{}\\,]/.test(s)),
        (s) => {
          const glob = compileGlob(s, '/')
          assert.equal(glob.isLiteral, true)
          assert.equal(glob.test(s), true)
          assert.equal(glob.test(`${s}x`), false)
        },
      ),
    )
  })

  it('never throws anything but GlobSyntaxError, and a compiled glob never throws', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 64 }), fc.string({ maxLength: 128 }), (pattern, value) => {
        try {
          compileGlob(pattern, '/').test(value)
        } catch (err) {
          assert.ok(err instanceof GlobSyntaxError, String(err))
        }
      }),
    )
  })

  it('* never crosses a separator, ** does', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z]{1,8}$/), fc.stringMatching(/^[a-z]{1,8}$/), (a, b) => {
        assert.equal(compileGlob('x/*', '/').test(`x/${a}/${b}`), false)
        assert.equal(compileGlob('x/**', '/').test(`x/${a}/${b}`), true)
      }),
    )
  })

  it('stays fast on hostile input (no catastrophic backtracking)', () => {
    const glob = compileGlob('**a**a**a**a**a**b', '/')
    const value = 'a'.repeat(2000)
    const start = process.hrtime.bigint()
    assert.equal(glob.test(value), false)
    // Not a benchmark: a generous bound that only a backtracking blow-up would exceed.
    assert.ok(Number(process.hrtime.bigint() - start) / 1e9 < 5)
  })
})
