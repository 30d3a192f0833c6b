// PostgreSQL's own clients through the policy gate: psql sees masked values, a denial with its
// SQLSTATE, rule and hint, and in wait mode the NOTICE naming the request before its statement
// completes once approved; pgbench -S runs in both protocols with no failed transaction, and
// every statement it sent is in the audit log. Skipped when the binaries are missing.
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { after, describe, it } from 'node:test'
import { setTimeout as sleep } from 'node:timers/promises'
import { promisify } from 'node:util'
import { missing, runClient } from '../client-programs.ts'
import { LINK, startGateHarness } from './gate-harness.ts'
import { POLICY, SCHEMA } from './gate-policy.ts'

const run = promisify(execFile)

const h = await startGateHarness({ policy: POLICY, schema: SCHEMA })
after(() => h.close())

/** Runs a client against the gateway as `user`, the API key in PGPASSWORD. */
function through(binary: string, args: readonly string[], user = 'bob') {
  const { token } = h.gateway.credentials.addKey(user)
  return runClient(binary, args, { port: h.gateway.port, user, password: token, sslmode: 'disable' })
}

describe('psql through the policy gate', { skip: missing('psql') }, () => {
  it('shows masked values', async () => {
    const { stdout } = await through('psql', [
      '-X',
      '-At',
      '-c',
      'SELECT id, email FROM customers ORDER BY id',
    ])
    assert.equal(stdout, '1|***\n2|***\n')
  })

  it('shows a denial with its SQLSTATE, the rule and the hint', async () => {
    const failed = await through('psql', [
      '-X',
      '-v',
      'VERBOSITY=verbose',
      '-c',
      'SELECT * FROM secrets',
    ]).then(
      () => assert.fail('psql succeeded'),
      (error: { code: number; stderr: string }) => error,
    )
    assert.equal(failed.code, 1)
    assert.match(
      failed.stderr,
      /ERROR: {2}42501: jitgate: rule secrets-are-off-limits denies this statement: Nobody reads the secrets table through the gateway\.\n/,
    )
    assert.match(failed.stderr, /\nHINT: {2}An approval does not lift a deny rule/)
  })

  it('waits for approval with a NOTICE naming the request, then runs the statement', async () => {
    h.approval.mode = 'wait'
    after(() => {
      h.approval.mode = 'fail'
    })
    const running = through('psql', ['-X', '-c', 'UPDATE events SET n = n + 1 WHERE id = 9'])
    let request = (await h.pending()).find((r) => r.action.resource === 'pg://app/public.events')
    for (let i = 0; i < 500 && request === undefined; i++) {
      await sleep(20)
      request = (await h.pending()).find((r) => r.action.resource === 'pg://app/public.events')
    }
    assert.ok(request !== undefined, 'psql asked for approval')
    await h.approvals.approve(request.id, { id: 'mia', groups: [] })
    const { stdout, stderr } = await running
    assert.equal(stdout, 'UPDATE 1\n')
    assert.ok(
      stderr.includes(
        `NOTICE:  jitgate: this statement needs approval: request ${request.id} (${LINK}${request.id})`,
      ),
      stderr,
    )
    assert.equal((await h.admin.query('SELECT n FROM events WHERE id = 9')).rows[0]?.n, 1)
  })
})

describe('pgbench through the policy gate', { skip: missing('pgbench') }, () => {
  for (const mode of ['simple', 'prepared']) {
    it(`runs -S -M ${mode} with no failed transaction, every statement audited`, async () => {
      const initialised = await h.admin.query("SELECT to_regclass('pgbench_accounts') IS NOT NULL AS done")
      if (initialised.rows[0]?.done !== true)
        await run('pgbench', [
          '-i',
          '-s',
          '1',
          '-q',
          h.postgres.adminUrl.replace(/\/[^/]*$/, `/${h.admin.database}`),
        ])
      const before = (await h.auditEvents()).length
      const { stdout } = await through('pgbench', ['-n', '-S', '-t', '100', '-M', mode, '-c', '2'])
      assert.match(stdout, /number of failed transactions: 0 /)
      const processed = Number(/number of transactions actually processed: (\d+)/.exec(stdout)?.[1])
      assert.equal(processed, 200)
      const selects = (await h.statements(before)).filter((d) =>
        String(d.statement).startsWith('SELECT abalance FROM pgbench_accounts WHERE aid = $1'),
      )
      assert.equal(selects.length, 200)
      assert.ok(selects.every((d) => d.outcome === 'ran'))
    })
  }
})
