// Issue 5's scenario on PostgreSQL with two `jitgate serve` processes on one database: the
// request is created and waited on at one node and approved at the other, so the waiting
// client is unblocked through LISTEN/NOTIFY; the first admin key comes from
// `jitgate keys create --admin` against the store, the people's keys from the API.
import assert from 'node:assert/strict'
import { type ChildProcess, spawn } from 'node:child_process'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { after, describe, it, type TestContext } from 'node:test'
import { tempDir } from '../helpers/temp-dir.ts'
import { startTestPostgres } from '../store/postgres-harness.ts'
import { executorsYaml, runScenario, startAccounts } from './scenario.ts'

const BIN = join(import.meta.dirname, '../../bin/jitgate.js')
const POLICIES = join(import.meta.dirname, '../../examples/policies')

const postgres = await startTestPostgres()
after(() => postgres.stop())

function run(args: readonly string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString()
    })
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString()
    })
    child.on('exit', (code) => resolve({ code, stdout, stderr }))
  })
}

/** A `jitgate serve` process; resolves with its URL once it listens. */
async function serve(t: TestContext, config: string): Promise<string> {
  const child: ChildProcess = spawn(process.execPath, [BIN, 'serve', '--config', config, '--port', '0'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  t.after(async () => {
    child.kill('SIGTERM')
    await new Promise((resolve) => child.once('exit', resolve))
  })
  let out = ''
  let err = ''
  child.stderr?.on('data', (d: Buffer) => {
    err += d.toString()
  })
  return new Promise((resolve, reject) => {
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString()
      const url = /jitgate on (http:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1]
      if (url !== undefined) resolve(url)
    })
    child.once('exit', (code) => reject(new Error(`serve exited ${code}:\n${out}\n${err}`)))
  })
}

async function createKey(url: string, admin: string, body: Record<string, unknown>): Promise<string> {
  const res = await fetch(`${url}/v1/keys`, {
    method: 'POST',
    headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'e2e', ...body }),
  })
  assert.equal(res.status, 201, await res.clone().text())
  return ((await res.json()) as { token: string }).token
}

describe('a request that needs two approvals, on two nodes sharing PostgreSQL', () => {
  it('is created on one node, approved on the other, and the waiting client is unblocked', async (t) => {
    const accounts = await startAccounts()
    t.after(() => accounts.close())
    const database = await postgres.migratedDatabase()
    const dir = await tempDir(t)
    const config = join(dir, 'jitgate.yaml')
    await writeFile(
      config,
      [
        `store: { url: "${database}" }`,
        `policies: { dir: "${POLICIES}", watch: false }`,
        'log: { level: warn }',
        executorsYaml(accounts.url),
      ].join('\n'),
    )
    const made = await run(['keys', 'create', '--admin', '--config', config])
    assert.equal(made.code, 0, made.stderr)
    const admin = made.stdout.trim()
    assert.match(admin, /^jg_\w+_[\w-]+$/, 'the token alone on stdout')

    const [a, b] = await Promise.all([serve(t, config), serve(t, config)])
    const tokens = {
      sasha: await createKey(a, admin, {
        subject: 'sasha',
        roles: ['requester'],
        groups: ['customer-support'],
      }),
      tom: await createKey(b, admin, { subject: 'tom', roles: ['approver'], groups: ['customer-support'] }),
      lena: await createKey(a, admin, { subject: 'lena', roles: ['approver'] }),
    }
    await runScenario({ a, b, tokens }, accounts)
    const verified = await run(['audit', 'verify', '--database', database])
    assert.equal(verified.code, 0, verified.stderr)
  })
})
