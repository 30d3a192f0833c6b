// `jitgate keys` as an operator runs it: the first admin key made straight in a store that no
// server has opened yet, then keys managed over the API with it. The token is printed once,
// alone on stdout, and nowhere else.
import assert from 'node:assert/strict'
import { readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import type { ApiKeyListing, CreatedApiKey } from '../../src/auth/index.ts'
import { SAMPLE_POLICY } from '../helpers/sample-policies.ts'
import { tempDir } from '../helpers/temp-dir.ts'
import { keyFor, startTestServer } from '../helpers/test-server.ts'
import { jitgate, json, type Run } from './cli-harness.ts'

function ok(run: Run): Run {
  assert.equal(run.code, 0, `exit ${run.code}\n${run.stdout}\n${run.stderr}`)
  return run
}

describe('jitgate keys', () => {
  it('makes the first admin key in a new store, which then works against a server on it', async (t) => {
    const dir = await tempDir(t, { 'policies/sample.yaml': SAMPLE_POLICY })
    const database = `sqlite:${join(dir, 'store.db')}`
    const made = ok(await jitgate(['keys', 'create', '--admin', '--database', database, '--subject', 'ops']))
    assert.match(made.stdout, /^jg_[0-9a-f]+_[\w-]+\n$/, 'the token alone, for $(…)')
    const token = made.stdout.trim()
    assert.match(
      made.stderr,
      /^API key [0-9a-f]+ for ops \(admin\), expires \S+Z\. The token is shown this once: store it now\.$/m,
    )

    const server = await startTestServer(t, join(dir, 'policies'), { database })
    const listed = json<{ items: ApiKeyListing[] }>(
      ok(await jitgate(['keys', 'list', '--json'], { server: server.url, token })),
    )
    assert.deepEqual(
      listed.items.map((k) => [k.subject, k.roles, k.createdBy, k.state]),
      [['ops', ['admin'], 'cli', 'active']],
    )
    const audit = ok(await jitgate(['audit', 'tail', '--database', database, '-n', '100', '--json']))
    const events = audit.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { type: string; actor: { type: string; id: string } })
    assert.deepEqual(
      events.filter((e) => e.type === 'api_key.created').map((e) => e.actor),
      [{ type: 'system', id: 'cli' }],
    )
    assert.ok(!audit.stdout.includes(token.split('_')[2] ?? token), 'no secret in the audit log')
  })

  it('creates, lists and revokes keys over the API with an admin token', async (t) => {
    const dir = await tempDir(t, { 'sample.yaml': SAMPLE_POLICY })
    const server = await startTestServer(t, dir)
    const admin = { server: server.url, token: await keyFor(server, { id: 'root', roles: ['admin'] }) }
    const made = ok(
      await jitgate(
        [
          'keys',
          'create',
          '--subject',
          'alice',
          '--role',
          'requester',
          '--role',
          'approver',
          '--group',
          'dba',
        ],
        admin,
      ),
    )
    const token = made.stdout.trim()
    assert.match(token, /^jg_/)
    assert.match(made.stderr, /for alice \(requester, approver\), expires /)
    const asAlice = await jitgate(['request', 'list'], { server: server.url, token })
    assert.equal(asAlice.code, 0, asAlice.stderr)

    const created = json<CreatedApiKey>(
      ok(
        await jitgate(
          ['keys', 'create', '--subject', 'ci', '--role', 'requester', '--ttl', '1d', '--json'],
          admin,
        ),
      ),
    )
    assert.equal(created.key.subject, 'ci')
    const table = ok(await jitgate(['keys', 'list'], admin)).stdout
    assert.match(table, /^KEY ID +SUBJECT +NAME +ROLES +STATE +CREATED +EXPIRES +LAST USED$/m)
    assert.match(table, /^[0-9a-f]+ +alice +alice’s key +requester,approver +active /m)
    assert.ok(!table.includes(token) && !table.includes(created.token), 'listings never show a token')

    const keyId = token.split('_')[1] ?? ''
    const revoked = ok(await jitgate(['keys', 'revoke', keyId], admin))
    assert.match(revoked.stdout, new RegExp(`^${keyId} revoked at \\S+Z\\n$`))
    const refused = await jitgate(['request', 'list'], { server: server.url, token })
    assert.equal(refused.code, 2)
    assert.match(refused.stderr, /--token: the token was refused/)
    const notAdmin = await jitgate(['keys', 'list'], { server: server.url, token: created.token })
    assert.equal(notAdmin.code, 1)
    assert.match(notAdmin.stderr, /^refused this route needs the permission keys\.manage/m)
  })

  it('says what is wrong with its flags (exit 2)', async (t) => {
    const dir = await tempDir(t)
    const cases: [string[], RegExp][] = [
      [['--role', 'requester'], /^error --subject is required$/m],
      [['--subject', 'alice'], /^error --role is required$/m],
      [
        ['--subject', 'a', '--role', 'requester', '--database', 'sqlite:x.db'],
        /^error --database is only for --admin$/m,
      ],
      [['--admin', '--server', 'http://127.0.0.1:9'], /^error --admin works on the store, not a server$/m],
      [
        ['--admin', '--role', 'root', '--database', `sqlite:${join(dir, 'a.db')}`],
        /^error --role 'root' is not a role$/m,
      ],
      [
        ['--admin', '--ttl', 'soon', '--database', `sqlite:${join(dir, 'a.db')}`],
        /^error --ttl 'soon' is not a duration$/m,
      ],
      [
        ['--admin', '--ttl', 'never', '--database', `sqlite:${join(dir, 'a.db')}`],
        /^error --ttl: keys must expire$/m,
      ],
    ]
    for (const [flags, message] of cases) {
      const run = await jitgate(['keys', 'create', ...flags])
      assert.equal(run.code, 2, flags.join(' '))
      assert.match(run.stderr, message)
      assert.equal(run.stdout, '')
    }
    assert.deepEqual(await readdir(dir), [], 'a refused key creates no store')
  })
})
