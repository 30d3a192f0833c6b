// The `jitgate policy` commands as a user runs them: a real process, real files,
// exit codes and output checked.
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { READ_INPUT, SAMPLE_POLICY } from '../helpers/sample-policies.ts'
import { tempDir } from '../helpers/temp-dir.ts'
import { keyFor, startTestServer } from '../helpers/test-server.ts'

const BIN = new URL('../../bin/jitgate.js', import.meta.url).pathname

interface Run {
  readonly code: number
  readonly stdout: string
  readonly stderr: string
}

function jitgate(args: readonly string[], stdin?: string): Promise<Run> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      [BIN, ...args],
      { env: { ...process.env, NO_COLOR: '1' } },
      (error, stdout, stderr) => {
        resolve({
          code: error === null ? 0 : typeof error.code === 'number' ? error.code : -1,
          stdout,
          stderr,
        })
      },
    )
    if (stdin !== undefined) child.stdin?.end(stdin)
  })
}

const TESTS = `kind: PolicyTest
name: sample
defaults:
  actor: { id: alice }
  action: db.query
  resource: pg://prod/public.users
  context: { time: "2026-03-02T10:00:00Z" }
cases:
  - name: dba reads with a row limit
    input: { context: { kind: read } }
    expect: { effect: allow, rules: [dba-reads], obligations: { rowLimit: 100 } }
  - name: writes need two dba approvals
    input: { context: { kind: write } }
    expect: { effect: require_approval, obligations: { approval: { steps: [ { anyOf: [group:dba], quorum: 2 } ] } } }
`

describe('jitgate policy validate', () => {
  it('exits 0 and prints the version for a good set', async (t) => {
    const dir = await tempDir(t, { 'sample.yaml': SAMPLE_POLICY })
    const run = await jitgate(['policy', 'validate', dir, '--json'])
    assert.equal(run.code, 0)
    const out = JSON.parse(run.stdout) as { ok: boolean; rules: number; version: string }
    assert.equal(out.ok, true)
    assert.equal(out.rules, 3)
    assert.match(out.version, /^sha256:[0-9a-f]{16}$/)
  })

  it('exits 1 with file:line:col errors and a hint for a broken set', async (t) => {
    const dir = await tempDir(t, {
      'sample.yaml': SAMPLE_POLICY.replace(
        '    when: context.kind == "ddl"',
        '    whn: context.kind == "ddl"',
      ),
    })
    const run = await jitgate(['policy', 'validate', dir])
    assert.equal(run.code, 1)
    assert.equal(run.stdout, '')
    assert.equal(
      run.stderr,
      `error ${join(dir, 'sample.yaml')}:11:5: unknown field 'whn' in 'rules.0'\n    hint: did you mean 'when'?\n1 error in ${dir}; nothing was loaded\n`,
    )
  })

  it('exits 2 for a path that does not exist', async () => {
    const run = await jitgate(['policy', 'validate', '/nonexistent/policies'])
    assert.equal(run.code, 2)
    assert.match(run.stderr, /policy path '\/nonexistent\/policies' does not exist/)
  })
})

describe('jitgate policy test', () => {
  it('exits 0 when every case passes', async (t) => {
    const dir = await tempDir(t, { 'sample.yaml': SAMPLE_POLICY, 'sample.test.yaml': TESTS })
    const run = await jitgate(['policy', 'test', dir])
    assert.equal(run.code, 0, run.stdout + run.stderr)
    assert.match(run.stdout, /^2 passed, 0 failed$/m)
  })

  it('exits 1 and prints the explanation of a failing case', async (t) => {
    const dir = await tempDir(t, {
      'sample.yaml': SAMPLE_POLICY,
      'sample.test.yaml': TESTS.replace('obligations: { rowLimit: 100 }', 'obligations: { rowLimit: 10 }'),
    })
    const run = await jitgate(['policy', 'test', dir])
    assert.equal(run.code, 1)
    assert.match(run.stdout, /FAIL sample › dba reads with a row limit/)
    assert.match(run.stdout, /obligations\.rowLimit: expected 10, got 100/)
    assert.match(
      run.stdout,
      /matched +allow +dba-reads: context\.kind == "read" && member_of\("dba"\) → true/,
    )
    assert.match(run.stdout, /^1 passed, 1 failed$/m)
  })
})

describe('jitgate policy eval', () => {
  it('decides an action from stdin as JSON, with the explanation', async (t) => {
    const dir = await tempDir(t, { 'sample.yaml': SAMPLE_POLICY })
    const run = await jitgate(
      ['policy', 'eval', '--policies', dir, '--input', '-', '--explain', '--json'],
      JSON.stringify(READ_INPUT),
    )
    assert.equal(run.code, 0, run.stderr)
    const decision = JSON.parse(run.stdout) as { effect: string; explanation: unknown[] }
    assert.equal(decision.effect, 'allow')
    assert.equal(decision.explanation.length, 3)
  })

  it('exits 2 with a clear message for an input that is not JSON', async (t) => {
    const dir = await tempDir(t, { 'sample.yaml': SAMPLE_POLICY, 'bad.json': '{ nope' })
    const run = await jitgate(['policy', 'eval', '--policies', dir, '--input', join(dir, 'bad.json')])
    assert.equal(run.code, 2)
    assert.match(run.stderr, /is not valid JSON/)
    assert.doesNotMatch(run.stderr, /at .*\.ts:\d+/, 'no stack trace')
  })

  it('exits 2 for a missing required option', async () => {
    const run = await jitgate(['policy', 'eval'])
    assert.equal(run.code, 2)
    assert.match(run.stderr, /required option '-i, --input <file>' not specified/)
  })
})

describe('jitgate policy status', () => {
  it('shows the set in force and exits 1 with the errors of a failed reload', async (t) => {
    const dir = await tempDir(t, { 'sample.yaml': SAMPLE_POLICY })
    const server = await startTestServer(t, dir)
    const token = await keyFor(server, { id: 'ada', roles: ['admin'] })
    const anonymous = await jitgate(['policy', 'status', '--server', server.url])
    assert.equal(anonymous.code, 2)
    assert.match(anonymous.stderr, /hint: set JITGATE_TOKEN/)
    const good = await jitgate(['policy', 'status', '--server', server.url, '--json', '--token', token])
    assert.equal(good.code, 0, good.stderr)
    assert.equal(
      (JSON.parse(good.stdout) as { version: string }).version,
      server.node.registry.current.version,
    )

    await writeFile(join(dir, 'sample.yaml'), SAMPLE_POLICY.replace('group:dba', 'group:dbas'))
    await server.node.registry.reload()
    const bad = await jitgate(['policy', 'status', '--server', server.url, '--token', token])
    assert.equal(bad.code, 1)
    assert.match(bad.stdout, /the last reload failed at .*; the set above stays in force:/)
    assert.match(bad.stdout, new RegExp(`error ${join(dir, 'sample.yaml')}:18:\\d+: unknown group 'dbas'`))
  })

  it('exits 2 with a hint when no server answers', async () => {
    const run = await jitgate(['policy', 'status', '--server', 'http://127.0.0.1:9'])
    assert.equal(run.code, 2)
    assert.match(run.stderr, /cannot reach the jitgate server at http:\/\/127\.0\.0\.1:9/)
    assert.match(run.stderr, /hint: start it with `jitgate serve`/)
  })
})
