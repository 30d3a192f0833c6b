// Classifications are kept by exact text, by normalized text and by literal shape: texts that
// differ only in constants compared to share one, and nothing else does.
import assert from 'node:assert/strict'
import { before, describe, it } from 'node:test'
import { functionCatalog, initClassifier } from '../../../src/gateway/index.ts'
import { ClassificationCache } from '../../../src/gateway/policy-gate/classified-message.ts'

before(() => initClassifier())

describe('the classification cache', () => {
  it('shares one classification between texts differing in constants, per upstream and catalog', () => {
    const cache = new ClassificationCache(100)
    const first = cache.get('app', 'SELECT abalance FROM pgbench_accounts WHERE aid = 1;', undefined)
    assert.equal(cache.get('app', 'SELECT abalance FROM pgbench_accounts WHERE aid = 77;', undefined), first)
    assert.equal(
      cache.get('app', 'SELECT abalance FROM pgbench_accounts WHERE aid = 123456789;', undefined),
      first,
    )
    assert.notEqual(
      cache.get('other', 'SELECT abalance FROM pgbench_accounts WHERE aid = 2;', undefined),
      first,
    )
    const catalog = functionCatalog([], [])
    assert.notEqual(cache.get('app', 'SELECT abalance FROM pgbench_accounts WHERE aid = 3;', catalog), first)
  })

  it('keeps apart what a constant changes: positions, settings, other tables', () => {
    const cache = new ClassificationCache(100)
    const by = (sql: string) => cache.get('app', sql, undefined)
    assert.notEqual(by('SELECT a, b FROM t ORDER BY 1'), by('SELECT a, b FROM t ORDER BY 2'))
    const set = by('SET statement_timeout = 5')
    assert.notEqual(by('SET statement_timeout = 6'), set)
    assert.notEqual(by("SELECT a FROM t WHERE b = 'x'"), by("SELECT a FROM u WHERE b = 'x'"))
    assert.deepEqual(
      by("SELECT ssn FROM customers WHERE id = 'x'").statements.map((s) => s.classification.tables.read),
      [['customers']],
    )
  })
})
