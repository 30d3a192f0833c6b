// Table-driven classification tests: each case is one statement and the parts of its
// classification it must have. Lists are compared as sets (order is that of appearance, which
// the tables do not pin); reasons exactly, unless `reasonsInclude` asks only for some.
import assert from 'node:assert/strict'
import { before, describe, it } from 'node:test'
import {
  type ClassifiedStatement,
  classify,
  type FunctionCatalog,
  initClassifier,
  type PreparedStatements,
  type StatementKind,
  type StatementResult,
} from '../../../src/gateway/index.ts'

export interface Case {
  readonly sql: string
  readonly kind: StatementKind
  readonly writes: boolean
  readonly reasons?: readonly string[]
  readonly reasonsInclude?: readonly string[]
  readonly read?: readonly string[]
  readonly written?: readonly string[]
  readonly columnsRead?: readonly string[]
  readonly columnsWritten?: readonly string[]
  readonly functions?: readonly string[]
  readonly statement?: string
  readonly catalog?: FunctionCatalog
  readonly prepared?: PreparedStatements
}

const sorted = (list: readonly string[]) => [...list].sort()

/** The one statement `sql` holds, which must parse. */
export function only(
  sql: string,
  catalog?: FunctionCatalog,
  prepared?: PreparedStatements,
): ClassifiedStatement {
  const results = classify(sql, catalog, prepared)
  assert.equal(results.length, 1, `expected one statement in ${sql}`)
  const [result] = results
  if (result === undefined || result.kind === 'error')
    assert.fail(`${sql} did not parse: ${JSON.stringify(result)}`)
  return result
}

export function parsed(result: StatementResult | undefined): ClassifiedStatement {
  if (result === undefined || result.kind === 'error')
    assert.fail(`expected a parsed statement: ${JSON.stringify(result)}`)
  return result
}

export function checkCase(c: Case): void {
  const got = only(c.sql, c.catalog, c.prepared)
  const where = `${c.sql}\n  got ${JSON.stringify(got)}`
  assert.equal(got.kind, c.kind, `kind of ${where}`)
  assert.equal(got.writes, c.writes, `writes of ${where}`)
  // The invariant the gateway relies on: a read never writes, a write always says why.
  assert.equal(got.writes, got.reasons.length > 0, `reasons of ${where}`)
  if (got.kind === 'read') assert.equal(got.writes, false, where)
  if (c.reasons !== undefined) assert.deepEqual(sorted(got.reasons), sorted(c.reasons), `reasons of ${where}`)
  for (const r of c.reasonsInclude ?? []) assert.ok(got.reasons.includes(r), `reason '${r}' of ${where}`)
  if (c.read !== undefined)
    assert.deepEqual(sorted(got.tables.read), sorted(c.read), `tables read of ${where}`)
  if (c.written !== undefined)
    assert.deepEqual(sorted(got.tables.write), sorted(c.written), `tables written of ${where}`)
  if (c.columnsRead !== undefined)
    assert.deepEqual(sorted(got.columns.read), sorted(c.columnsRead), `columns read of ${where}`)
  if (c.columnsWritten !== undefined)
    assert.deepEqual(sorted(got.columns.write), sorted(c.columnsWritten), `columns written of ${where}`)
  if (c.functions !== undefined)
    assert.deepEqual(sorted(got.functions), sorted(c.functions), `functions of ${where}`)
  if (c.statement !== undefined) assert.equal(got.statement, c.statement, where)
}

/** One `it` per case under `title`. */
export function describeCases(title: string, cases: readonly Case[]): void {
  describe(title, () => {
    before(() => initClassifier())
    for (const c of cases) {
      it(c.sql, () => checkCase(c))
    }
  })
}

export const read = (sql: string, extra: Omit<Case, 'sql' | 'kind' | 'writes'> = {}): Case => ({
  sql,
  kind: 'read',
  writes: false,
  reasons: [],
  ...extra,
})

export const write = (
  sql: string,
  reasons: readonly string[],
  extra: Partial<Omit<Case, 'sql' | 'writes' | 'reasons'>> = {},
): Case => ({ sql, kind: 'write', writes: true, reasons, ...extra })
