// `jitgate serve` with a `gateway` section in front of a real PostgreSQL, as an operator runs
// it: the first admin key from `jitgate keys create --admin`, a user's key from `jitgate
// keys create` over the API, then real psql logging in with that key over SCRAM. A wrong
// password is refused and lands in the audit log as `auth.failed`; the upstream password,
// given in a variable, shows nowhere in what serve prints.
import assert from 'node:assert/strict'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { statementsOf } from '../../src/gateway/index.ts'
import { tempDir } from '../helpers/temp-dir.ts'
import { startTestPostgres } from '../store/postgres-harness.ts'
import { jitgate, run, serve } from './serve-process.ts'

const POLICIES = join(import.meta.dirname, '../../examples/policies')

const postgres = await startTestPostgres()
after(() => postgres.stop())

describe('jitgate serve with a PostgreSQL gateway', () => {
  it('lets psql log in with an API key over SCRAM, and audits a wrong password', async (t) => {
    const dir = await tempDir(t)
    // The upstream password travels in a variable, as the configuration reference advises.
    const upstream = new URL(postgres.adminUrl)
    const password = decodeURIComponent(upstream.password)
    const sslmode = upstream.searchParams.get('sslmode')
    upstream.password = ''
    upstream.search = ''
    const env = { E2E_UPSTREAM_PASSWORD: password }
    const config = join(dir, 'jitgate.yaml')
    await writeFile(
      config,
      [
        `store: { url: "sqlite:${join(dir, 'jitgate.db')}" }`,
        `policies: { dir: "${POLICIES}", watch: false }`,
        'log: { level: warn }',
        'gateway:',
        '  listen: { host: 127.0.0.1, port: 0 }',
        '  upstreams:',
        `    staging: { url: "${upstream}", passwordEnv: E2E_UPSTREAM_PASSWORD${sslmode === 'require' ? ', tls: { mode: require }' : ''} }`,
      ].join('\n'),
    )
    const admin = await jitgate(['keys', 'create', '--admin', '--config', config], env)
    assert.equal(admin.code, 0, admin.stderr)
    const server = await serve(t, config, { env, gateway: true })
    const made = await jitgate(
      ['keys', 'create', '--subject', 'bob', '--role', 'requester', '--group', 'engineering'],
      { ...env, JITGATE_SERVER: server.url, JITGATE_TOKEN: admin.stdout.trim() },
    )
    assert.equal(made.code, 0, made.stderr)
    const key = made.stdout.trim()

    const connection = `host=127.0.0.1 port=${server.gatewayPort} dbname=staging user=bob`
    const psql = (secret: string) =>
      run('psql', [connection, '-X', '-At', '-c', 'select 40 + 2 as answer'], { PGPASSWORD: secret })
    const ok = await psql(key)
    assert.deepEqual([ok.code, ok.stdout.trim(), ok.stderr], [0, '42', ''])

    const wrong = await psql(`${key.slice(0, -1)}${key.endsWith('A') ? 'B' : 'A'}`)
    assert.equal(wrong.code, 2)
    assert.match(wrong.stderr, /FATAL: {2}the credentials are not valid/)
    assert.match(wrong.stderr, /HINT: {2}the password is an API key of the user you connect as/)

    const failed = await eventually(async () => {
      const exported = await jitgate(['audit', 'export', '--config', config], env)
      assert.equal(exported.code, 0, exported.stderr)
      const logged = exported.stdout
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => JSON.parse(line) as { type: string; details: Record<string, unknown> })
        .filter((event) => event.type === 'auth.failed' || event.type.startsWith('db.statement'))
      // Neither is awaited by the client: wait for both.
      const types = new Set(logged.map((event) => event.type.replace(/s$/, '')))
      return types.has('auth.failed') && types.has('db.statement') ? logged : []
    })
    assert.deepEqual(
      failed.filter((event) => event.type === 'auth.failed').map((event) => event.details),
      [{ reason: 'key_mismatch', kind: 'api_key', ip: '127.0.0.1', via: 'postgres' }],
    )
    // The statement went through the policy gate: allowed by the example policies' staging
    // rule, recorded with its literals masked.
    const statements = failed.flatMap((event) => statementsOf(event.type, event.details))
    assert.equal(statements.length, 1, JSON.stringify(statements))
    assert.equal(statements[0]?.database, 'staging')
    assert.deepEqual(statements[0]?.rules, ['engineers-use-staging'])
    assert.equal(statements[0]?.outcome, 'ran')
    // The text is kept with its constants replaced; other details (a port, a duration, an id)
    // may hold the digits 40 by chance, so the text itself is what is checked.
    const text = String(statements[0]?.statement)
    assert.match(text, /^select \$1 \+ \$2 as answer$/i, 'the statement with its literals masked')
    assert.equal(server.printed().includes(password), false, 'serve never prints the upstream password')
  })
})

/** `read()`'s result once it is not empty (audit appends of refused logins are not awaited). */
async function eventually<T>(read: () => Promise<readonly T[]>): Promise<readonly T[]> {
  for (let i = 0; ; i++) {
    const found = await read()
    if (found.length > 0 || i === 20) return found
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}
