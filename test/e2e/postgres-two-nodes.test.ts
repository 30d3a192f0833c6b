// Issue 5's scenario on PostgreSQL with two `jitgate serve` processes on one database: the
// request is created and waited on at one node and approved at the other, so the waiting
// client is unblocked through LISTEN/NOTIFY; the first admin key comes from
// `jitgate keys create --admin` against the store, the people's keys from the API.
import assert from 'node:assert/strict'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { tempDir } from '../helpers/temp-dir.ts'
import { startTestPostgres } from '../store/postgres-harness.ts'
import { executorsYaml, runScenario, startAccounts } from './scenario.ts'
import { jitgate, serve } from './serve-process.ts'

const POLICIES = join(import.meta.dirname, '../../examples/policies')

const postgres = await startTestPostgres()
after(() => postgres.stop())

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
    const made = await jitgate(['keys', 'create', '--admin', '--config', config])
    assert.equal(made.code, 0, made.stderr)
    const admin = made.stdout.trim()
    assert.match(admin, /^jg_\w+_[\w-]+$/, 'the token alone on stdout')

    const [nodeA, nodeB] = await Promise.all([serve(t, config), serve(t, config)])
    const [a, b] = [nodeA.url, nodeB.url]
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
    const verified = await jitgate(['audit', 'verify', '--database', database])
    assert.equal(verified.code, 0, verified.stderr)
  })
})
