// Hot reload on real files: a good edit replaces the set, a broken edit keeps the
// last good set in force and reports why, a fix recovers.
import assert from 'node:assert/strict'
import { rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { PolicyLoadError, PolicyRegistry, type PolicySet } from '../../src/policy/index.ts'
import { READ_INPUT, SAMPLE_POLICY } from '../helpers/sample-policies.ts'
import { tempDir } from '../helpers/temp-dir.ts'

const silent = { info: () => {}, error: () => {} }
const fixedNow = () => new Date('2026-03-02T10:00:00Z')

/** Waits until `check` holds, polling the registry; file events are asynchronous. */
async function eventually(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (check()) return
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
  assert.fail(`timed out waiting for ${what}`)
}

describe('PolicyRegistry', () => {
  it('refuses to start on a broken set, with every error', async (t) => {
    const dir = await tempDir(t, {
      'a.yaml': SAMPLE_POLICY.replace('row_limit: 100', 'row_limit: -1').replace(
        'effect: deny',
        'effect: nope',
      ),
    })
    await assert.rejects(PolicyRegistry.open(dir, fixedNow, silent), (err: PolicyLoadError) => {
      assert.ok(err instanceof PolicyLoadError)
      assert.equal(err.errors.length, 2)
      return true
    })
  })

  it('reloads on file change, keeps the last good set on a broken edit, and recovers', async (t) => {
    const dir = await tempDir(t, { 'sample.yaml': SAMPLE_POLICY })
    const errors: object[] = []
    const registry = await PolicyRegistry.open(dir, fixedNow, {
      info: () => {},
      error: (o) => errors.push(o),
    })
    t.after(() => registry.close())
    registry.watch()
    const first: PolicySet = registry.current
    assert.equal(first.evaluate(READ_INPUT).obligations.rowLimit, 100)

    await writeFile(join(dir, 'sample.yaml'), SAMPLE_POLICY.replace('row_limit: 100', 'row_limit: 50'))
    await eventually(() => registry.current !== first, 'the good edit to load')
    const second = registry.current
    assert.equal(second.evaluate(READ_INPUT).obligations.rowLimit, 50)
    assert.notEqual(second.version, first.version)

    await writeFile(
      join(dir, 'sample.yaml'),
      SAMPLE_POLICY.replace('when: context.kind == "read"', 'when: context.kind == '),
    )
    await eventually(() => registry.status().lastFailure !== undefined, 'the broken edit to be reported')
    assert.equal(registry.current, second, 'the last good set stays in force')
    assert.equal(registry.current.evaluate(READ_INPUT).effect, 'allow')
    const failure = registry.status().lastFailure
    assert.equal(failure?.errors[0]?.line, 22)
    assert.match(failure?.errors[0]?.message ?? '', /^CEL syntax error/)
    assert.equal(errors.length, 1, 'the failure is logged')

    await writeFile(join(dir, 'sample.yaml'), SAMPLE_POLICY)
    await eventually(() => registry.status().lastFailure === undefined, 'the fix to load')
    assert.equal(registry.current.version, first.version)
  })

  it('keeps the last good set when the policy directory disappears', async (t) => {
    const dir = await tempDir(t, { 'policies/sample.yaml': SAMPLE_POLICY })
    const registry = await PolicyRegistry.open(join(dir, 'policies'), fixedNow, silent)
    const before = registry.current
    await rm(join(dir, 'policies'), { recursive: true })
    const result = await registry.reload()
    assert.equal(result.ok, false)
    assert.equal(registry.current, before)
    assert.match(
      registry.status().lastFailure?.errors[0]?.message ?? '',
      /policy path '.*policies' does not exist/,
    )
  })

  it('treats an emptied file as an empty set, which denies everything', async (t) => {
    const dir = await tempDir(t, { 'sample.yaml': SAMPLE_POLICY })
    const registry = await PolicyRegistry.open(dir, fixedNow, silent)
    await writeFile(join(dir, 'sample.yaml'), '# nothing here yet\n')
    assert.equal((await registry.reload()).ok, true)
    const decision = registry.current.evaluate(READ_INPUT)
    assert.equal(decision.effect, 'deny')
    assert.equal(decision.reason.code, 'no_rule_matched')
  })
})
