// The policy gate on the wire, for statements that need no approval: allowed ones run with the
// decision's mask, row limit and timeout; denied ones fail with 42501 naming the rule; an
// unparseable statement refuses its whole message; jitgate's own settings are tracked per
// session; prepared statements are decided on what they run; and every statement leaves one
// `db.statement` event whose text holds no literal.
import assert from 'node:assert/strict'
import { after, describe, it } from 'node:test'
import { serialize } from 'pg-protocol'
import { failure } from '../../helpers/pg-failure.ts'
import { answerAt, fieldsOf, letters, RawClient, valuesOf } from '../wire/raw-client.ts'
import { policySet, startGateHarness } from './gate-harness.ts'
import { POLICY, SCHEMA } from './gate-policy.ts'

const h = await startGateHarness({ policy: POLICY, schema: SCHEMA })
after(() => h.close())

/** The line of POLICY that holds `text`, 1-based. */
const lineOf = (text: string) => POLICY.split('\n').findIndex((line) => line.includes(text)) + 1

/** The statements the audit log records whose text is `text`, as db.statement details. */
async function statementEvents(text: string): Promise<Record<string, unknown>[]> {
  return (await h.statements()).filter((d) => d.statement === text)
}

describe('an allowed statement', () => {
  it('runs with the decision’s mask, and leaves one event after its result', async (t) => {
    const bob = await h.gateway.connect(t, 'bob', { applicationName: 'psql' })
    const { rows } = await bob.query('SELECT id, full_name, email FROM customers ORDER BY id')
    assert.deepEqual(rows, [
      { id: 1, full_name: 'Ann Example', email: '***' },
      { id: 2, full_name: 'Bob Sample', email: '***' },
    ])
    const plan = h.masking.plans.at(-1)
    assert.equal(plan?.sql, 'SELECT id, full_name, email FROM customers ORDER BY id')
    assert.deepEqual(plan?.mask['pii.ssn'], { transform: 'redact', params: { with: '[redacted]' } })
    assert.equal(plan?.classOf('customers.email'), 'pii.email')
    const [event, ...more] = await statementEvents('SELECT id, full_name, email FROM customers ORDER BY id')
    assert.equal(more.length, 0)
    assert.deepEqual(
      {
        ...event,
        connection: typeof event?.connection,
        fingerprint: typeof event?.fingerprint,
        durationMs: typeof event?.durationMs,
        id: typeof event?.id,
        at: typeof event?.at,
      },
      {
        id: 'string',
        at: 'string',
        database: 'app',
        connection: 'string',
        protocol: 'simple',
        client: {
          ip: '127.0.0.1',
          port: (event?.client as { port?: number } | undefined)?.port,
          tls: false,
          application: 'psql',
        },
        position: 0,
        of: 1,
        statement: 'SELECT id, full_name, email FROM customers ORDER BY id',
        fingerprint: 'string',
        kind: 'read',
        writes: false,
        resources: ['pg://app/public.customers'],
        decision: 'allow',
        rules: ['masked-reads'],
        requests: [],
        grants: [],
        enforced: { rowLimit: 3, statementTimeoutSeconds: 1, masked: true },
        outcome: 'ran',
        command: 'SELECT 2',
        rows: 2,
        durationMs: 'number',
      },
    )
  })

  it('is cut at the row limit, with a NOTICE, in both protocols', async (t) => {
    const bob = await h.gateway.connect(t, 'bob')
    const notices: string[] = []
    bob.on('notice', (notice) => notices.push(notice.message ?? ''))
    const simple = await bob.query('SELECT id FROM events ORDER BY id')
    assert.deepEqual([simple.rowCount, simple.rows.map((r) => r.id)], [3, [1, 2, 3]])
    const extended = await bob.query('SELECT id FROM events WHERE id > $1 ORDER BY id', [5])
    assert.deepEqual(
      extended.rows.map((r) => r.id),
      [6, 7, 8],
    )
    assert.deepEqual(notices, [
      "jitgate cut this result at 3 rows: the policy's row limit",
      "jitgate cut this result at 3 rows: the policy's row limit",
    ])
    const [event] = await statementEvents('SELECT id FROM events WHERE id > $1 ORDER BY id')
    assert.deepEqual([event?.protocol, event?.rows, event?.command], ['extended', 3, 'SELECT 3'])
  })

  it('is cancelled at the policy’s statement timeout', async (t) => {
    const bob = await h.gateway.connect(t, 'bob')
    const notices: string[] = []
    bob.on('notice', (notice) => notices.push(notice.message ?? ''))
    const started = Date.now()
    const error = await failure(bob.query('SELECT slept FROM slow'))
    assert.equal(error.code, '57014')
    assert.ok(Date.now() - started < 4000)
    assert.deepEqual(notices, ["jitgate's statement timeout of 1s fired, so it cancelled the statement"])
    const [event] = await statementEvents('SELECT slept FROM slow')
    assert.deepEqual([event?.outcome, event?.sqlstate], ['failed', '57014'])
  })

  it('is refused when its masking would leak (the masking module’s refusal)', async (t) => {
    const bob = await h.gateway.connect(t, 'bob')
    const error = await failure(bob.query("SELECT id FROM customers WHERE ssn LIKE '1%'"))
    assert.deepEqual(
      [error.code, error.message],
      ['42501', 'jitgate: customers.ssn is masked, and a condition on it would reveal it'],
    )
    const [event] = await statementEvents('SELECT id FROM customers WHERE ssn LIKE $1')
    assert.deepEqual([event?.decision, event?.outcome, event?.refusal], ['allow', 'refused', '42501'])
  })

  it('that would hand out rows past the row limit (COPY, cursors) is refused', async (t) => {
    const bob = await h.gateway.connect(t, 'bob')
    const copy = await failure(bob.query('COPY (SELECT id FROM events) TO STDOUT'))
    assert.deepEqual(
      [copy.code, copy.message],
      ['42501', 'jitgate: the policy limits this statement to 3 rows, which COPY would not keep to'],
    )
    await bob.query('BEGIN')
    const cursor = await failure(bob.query('DECLARE c CURSOR FOR SELECT id FROM events'))
    assert.match(cursor.message, /which a cursor would not keep to/)
    await bob.query('ROLLBACK')
  })
})

describe('a denied statement', () => {
  it('fails with 42501 naming the rule and its message, and how to get access', async (t) => {
    const bob = await h.gateway.connect(t, 'bob')
    const error = await failure(bob.query('SELECT value FROM secrets'))
    assert.deepEqual(
      [error.code, error.message, error.hint],
      [
        '42501',
        'jitgate: rule secrets-are-off-limits denies this statement: Nobody reads the secrets table through the gateway.',
        `An approval does not lift a deny rule: ask the owners of rule secrets-are-off-limits (gateway.yaml:${lineOf('name: secrets-are-off-limits')}) if it should not apply to you.`,
      ],
    )
    assert.match(error.detail ?? '', /^Policy version \S+, resource pg:\/\/app\/public.secrets\.$/)
    const drop = await failure(bob.query('DROP TABLE events'))
    assert.equal(
      drop.message,
      'jitgate: rule no-schema-changes denies this statement: Schema changes go through migrations.',
    )
    assert.equal((await h.admin.query('SELECT count(*)::int AS n FROM events')).rows[0]?.n, 10)
    const [event] = await statementEvents('SELECT value FROM secrets')
    assert.deepEqual(
      [event?.decision, event?.rules, event?.outcome, event?.refusal],
      ['deny', ['secrets-are-off-limits'], 'refused', '42501'],
    )
  })

  it('when no rule allows it, says so for the resource', async (t) => {
    const eve = await h.gateway.connect(t, 'eve')
    const error = await failure(eve.query('SELECT 1'))
    assert.deepEqual(
      [error.code, error.message, error.hint],
      [
        '42501',
        'jitgate: no policy rule allows this statement on pg://app/',
        'Ask the owners of the jitgate policies for a rule that allows db.query on pg://app/.',
      ],
    )
  })

  it('refuses its whole message, the statements before it included', async (t) => {
    const bob = await h.gateway.connect(t, 'bob')
    const error = await failure(bob.query("SET statement_timeout = '12s'; SELECT value FROM secrets"))
    assert.equal(error.code, '42501')
    assert.match(error.detail ?? '', /^Statement 2 of 2; none of them ran\./)
    assert.equal((await bob.query('SHOW statement_timeout')).rows[0]?.statement_timeout, '0')
    const events = await statementEvents('SET statement_timeout = $1')
    assert.deepEqual([events.at(-1)?.outcome, events.at(-1)?.position], ['not_run', 0])
  })
})

describe('a policy reload', () => {
  it('applies to the next statement of a session already open', async (t) => {
    const bob = await h.gateway.connect(t, 'bob')
    assert.deepEqual((await bob.query('SELECT 1 AS one')).rows, [{ one: 1 }])
    const before = h.policies.current
    t.after(() => {
      h.policies.current = before
    })
    h.policies.current = policySet(`kind: Policy
name: closed
rules:
  - name: maintenance
    effect: deny
    match: { verbs: db.query, resources: "pg://app/**" }
    message: The database is in maintenance.
`)
    assert.equal(
      (await failure(bob.query('SELECT 1 AS one'))).message,
      'jitgate: rule maintenance denies this statement: The database is in maintenance.',
    )
  })
})

describe('an unparseable statement', () => {
  it('refuses its whole message with a clear error, audited', async (t) => {
    const bob = await h.gateway.connect(t, 'bob')
    const error = await failure(bob.query("SELECT 'kept secret'; SELEC id FROM events"))
    assert.deepEqual(
      [error.code, error.message],
      [
        '42601',
        'jitgate cannot parse statement 2 of 2, so none of this query runs: syntax error at or near "SELEC"',
      ],
    )
    assert.match(error.detail ?? '', /parser stopped at character \d+/)
    const events = (await h.auditEvents())
      .map((e) => JSON.parse(e.detailsJson) as Record<string, unknown>)
      .filter((d) => d.statement === 'SELECT ?' || d.statement === 'SELEC id FROM events')
    assert.deepEqual(
      events.map((d) => [d.statement, d.decision, d.outcome]),
      [
        ['SELECT ?', 'refused', 'not_run'],
        ['SELEC id FROM events', 'unparseable', 'refused'],
      ],
    )
  })

  it('is refused at Parse in the extended protocol', async (t) => {
    const bob = await h.gateway.connect(t, 'bob')
    const error = await failure(bob.query('SELEC $1::int', [1]))
    assert.equal(error.code, '42601')
    assert.deepEqual((await bob.query('SELECT 1 AS fine')).rows, [{ fine: 1 }])
  })
})

describe('jitgate settings', () => {
  it('SET jitgate.unmask = on reaches the upstream and asks for raw values until RESET', async (t) => {
    const carol = await h.gateway.connect(t, 'carol')
    await carol.query('SET jitgate.unmask = on')
    assert.equal((await carol.query('SHOW jitgate.unmask')).rows[0]?.['jitgate.unmask'], 'on')
    const raw = await failure(carol.query('SELECT email FROM customers WHERE id = 1'))
    assert.equal(
      raw.message,
      'jitgate: this statement needs approval (rule unmasked-reads-need-approval), and the policy asks for a reason',
    )
    assert.equal(raw.hint, "SET jitgate.reason = 'why you need it', then run the statement again.")
    await carol.query('RESET jitgate.unmask')
    assert.deepEqual((await carol.query('SELECT email FROM customers WHERE id = 1')).rows, [{ email: '***' }])
  })

  it('apply to the statements after them in the same message, and not when it is refused', async (t) => {
    const carol = await h.gateway.connect(t, 'carol')
    const refused = await failure(
      carol.query('SET jitgate.unmask = on; SELECT email FROM customers WHERE id = 2'),
    )
    assert.match(refused.message, /needs approval \(rule unmasked-reads-need-approval\)/)
    assert.deepEqual((await carol.query('SELECT email FROM customers WHERE id = 2')).rows, [{ email: '***' }])
  })

  it('that the gate cannot read are refused, so the session is never in doubt', async (t) => {
    const carol = await h.gateway.connect(t, 'carol')
    const local = await failure(carol.query('SET LOCAL jitgate.unmask = on'))
    assert.deepEqual(
      [local.code, local.message],
      ['22023', 'jitgate settings are per session: SET LOCAL is not supported'],
    )
    const typo = await failure(carol.query('SET jitgate.unmaks = on'))
    assert.equal(
      typo.message,
      'jitgate has no setting jitgate.unmaks: it knows jitgate.unmask and jitgate.reason',
    )
  })

  it('are forgotten by DISCARD ALL', async (t) => {
    const carol = await h.gateway.connect(t, 'carol')
    await carol.query('SET jitgate.unmask = on')
    // DISCARD ALL writes (it resets the role): it needs approval, so it is refused here and
    // changes nothing; RESET ALL alike. The setting stays until RESET jitgate.unmask.
    assert.equal((await failure(carol.query('DISCARD ALL'))).code, '42501')
    assert.match((await failure(carol.query('SELECT email FROM customers'))).message, /needs approval/)
  })
})

describe('prepared statements', () => {
  it('prepared in SQL are decided on what they run, by EXECUTE and by the protocol', async (t) => {
    const bob = await h.gateway.connect(t, 'bob')
    await bob.query('PREPARE firsts AS SELECT id FROM events ORDER BY id')
    assert.deepEqual(
      (await bob.query('EXECUTE firsts')).rows.map((r) => r.id),
      [1, 2, 3],
    )
    await bob.query('PREPARE bump AS UPDATE events SET n = n + 1')
    assert.match((await failure(bob.query('EXECUTE bump'))).message, /needs approval/)
    assert.equal((await h.admin.query('SELECT sum(n)::int AS n FROM events')).rows[0]?.n, 0)

    const raw = await RawClient.login(h.gateway.port, 'bob', h.gateway.credentials.addKey('bob').token)
    t.after(() => raw.end())
    raw.send(serialize.query('PREPARE lasts AS SELECT id FROM events ORDER BY id DESC'))
    await raw.untilReady()
    raw.send(serialize.bind({ statement: 'lasts' }), serialize.execute({}), serialize.sync())
    const answers = await raw.untilReady()
    assert.equal(letters(answers), '2 D D D N C Z')
    assert.deepEqual(valuesOf(answerAt(answers, 1)), ['10'])
    raw.send(serialize.bind({ statement: 'nobody-prepared-this' }), serialize.execute({}), serialize.sync())
    const unknown = await raw.untilReady()
    assert.equal(fieldsOf(answerAt(unknown, 0)).C, '26000')
  })
})

describe('the audit log', () => {
  it('holds no literal of any statement', async (t) => {
    const bob = await h.gateway.connect(t, 'bob')
    await bob.query("SELECT id FROM customers WHERE email = 'ann@example.com'")
    await bob.query("SELECT 'zebra-literal-42' AS x")
    await failure(bob.query('UPDATE events SET n = 31337 WHERE id = 7'))
    await failure(bob.query("COMMENT ON TABLE events IS 'comment-literal-99'"))
    await bob.query('SELECT id FROM events WHERE id = $1', ['8642'])
    const all = (await h.auditEvents()).map((e) => e.detailsJson).join('\n')
    for (const literal of ['ann@example.com', 'zebra-literal-42', '31337', 'comment-literal-99', '8642'])
      assert.ok(!all.includes(literal), `the audit log holds ${literal}`)
    const [request] = await h.pending()
    const statement = request?.action.context?.statement
    assert.deepEqual(
      statement !== null && typeof statement === 'object' && 'text' in statement && statement.text,
      'UPDATE events SET n = $1 WHERE id = $2',
    )
  })
})
