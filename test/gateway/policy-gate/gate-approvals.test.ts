// The policy gate on the wire, for statements that need approval: fail mode (an error naming
// the request, then the same statement runs once when sent again after approval), wait mode
// (the client is held and the statement runs once approved, or fails when rejected or when the
// wait times out; a client that leaves cancels its request), and a time-window grant letting
// the session's matching statements through until it is revoked.
import assert from 'node:assert/strict'
import { after, beforeEach, describe, it } from 'node:test'
import { setTimeout as sleep } from 'node:timers/promises'
import { serialize } from 'pg-protocol'
import type { ApprovalRequest } from '../../../src/approvals/index.ts'
import { failure } from '../../helpers/pg-failure.ts'
import { fieldsOf, RawClient } from '../wire/raw-client.ts'
import { LINK, startGateHarness } from './gate-harness.ts'
import { POLICY, SCHEMA } from './gate-policy.ts'

const h = await startGateHarness({ policy: POLICY, schema: SCHEMA })
after(() => h.close())
beforeEach(() => {
  h.approval.mode = 'fail'
  h.approval.timeoutMs = 10_000
})

const MIA = { id: 'mia', groups: [] }

/** The statement text an approval request carries for its approvers. */
function textOf(request: ApprovalRequest): unknown {
  const statement = request.action.context?.statement
  return typeof statement === 'object' && statement !== null && 'text' in statement
    ? statement.text
    : undefined
}

/** The request an error or notice names. */
function requestIdIn(message: string): string {
  const id = /request (\S+) \(/.exec(message)?.[1]
  if (id === undefined) assert.fail(`no request in: ${message}`)
  return id
}

/** The next pending request on `resource` that is not among `seen`, once it exists. */
async function pendingOn(resource: string, seen: readonly string[] = []): Promise<ApprovalRequest> {
  for (let i = 0; i < 500; i++) {
    const found = (await h.pending()).find((r) => r.action.resource === resource && !seen.includes(r.id))
    if (found !== undefined) return found
    await sleep(20)
  }
  assert.fail(`no pending request on ${resource}`)
}

async function eventN(id: number): Promise<number> {
  return (await h.admin.query('SELECT n FROM events WHERE id = $1', [id])).rows[0]?.n
}

async function detailsOf(type: string, subject: string): Promise<Record<string, unknown>[]> {
  return (await h.auditEvents())
    .filter((e) => e.type === type && e.subject.id === subject)
    .map((e) => JSON.parse(e.detailsJson) as Record<string, unknown>)
}

describe('fail mode', () => {
  it('fails with the request, then runs the same statement once after approval, then asks again', async (t) => {
    const bob = await h.gateway.connect(t, 'bob')
    const sql = 'UPDATE events SET n = n + 1 WHERE id = 1'
    const first = await failure(bob.query(sql))
    const id = requestIdIn(first.message)
    assert.deepEqual(
      [first.code, first.message, first.detail, first.hint],
      [
        '42501',
        `jitgate: this statement needs approval: request ${id} (${LINK}${id})`,
        "Writes need a manager's approval. Approvers: manager: group:managers.",
        'Run the same statement again once it is approved.',
      ],
    )
    const request = await h.approvals.get(id)
    assert.equal(request.action.resource, 'pg://app/public.events')
    assert.equal(textOf(request), 'UPDATE events SET n = n + $1 WHERE id = $2')
    // Still pending: sending it again opens another request and runs nothing.
    const again = await failure(bob.query(sql))
    assert.notEqual(requestIdIn(again.message), id)
    await h.approvals.cancel(requestIdIn(again.message), 'bob')
    await h.approvals.approve(id, MIA)
    // Another statement on the table is not what was approved.
    const other = await failure(bob.query('UPDATE events SET n = 0 WHERE id = 1 AND n > 5'))
    await h.approvals.cancel(requestIdIn(other.message), 'bob')
    const ran = await bob.query(sql)
    assert.equal(ran.rowCount, 1)
    assert.equal(await eventN(1), 1)
    const third = await failure(bob.query(sql))
    assert.notEqual(requestIdIn(third.message), id)
    await h.approvals.cancel(requestIdIn(third.message), 'bob')
    assert.equal(await eventN(1), 1)

    const grant = await h.grants.forRequest(id)
    assert.equal(grant?.state, 'consumed')
    const events = await h.auditEvents()
    const statement = events.find(
      (e) =>
        e.type === 'db.statement' &&
        (JSON.parse(e.detailsJson) as { grants: string[] }).grants.includes(grant?.id ?? ''),
    )
    assert.ok(statement !== undefined, 'the run on the grant is audited')
    const details = JSON.parse(statement.detailsJson) as Record<string, unknown>
    assert.deepEqual(
      [details.decision, details.requests, details.outcome, details.enforced],
      ['require_approval', [id], 'forwarded', { rowLimit: 500, masked: false }],
    )
    const [result] = await detailsOf('db.result', statement.subject.id)
    assert.deepEqual([result?.outcome, result?.rows, result?.command], ['ran', 1, 'UPDATE 1'])
    assert.ok(events.some((e) => e.type === 'grant.used' && e.subject.id === grant?.id))
  })

  it('binds an approval of EXECUTE to the statement prepared, not to its name', async (t) => {
    const bob = await h.gateway.connect(t, 'bob')
    await bob.query('PREPARE bump AS UPDATE events SET n = n + 1 WHERE id = 7')
    const asked = await failure(bob.query('EXECUTE bump'))
    const id = requestIdIn(asked.message)
    assert.equal(
      textOf(await h.approvals.get(id)),
      'PREPARE bump AS UPDATE events SET n = n + ? WHERE id = ?',
    )
    await h.approvals.approve(id, MIA)
    await bob.query('DEALLOCATE bump')
    await bob.query('PREPARE bump AS DELETE FROM events WHERE id = 7')
    const other = await failure(bob.query('EXECUTE bump'))
    assert.notEqual(requestIdIn(other.message), id)
    await h.approvals.cancel(requestIdIn(other.message), 'bob')
    await bob.query('DEALLOCATE bump')
    await bob.query('PREPARE bump AS UPDATE events SET n = n + 1 WHERE id = 7')
    assert.equal((await bob.query('EXECUTE bump')).rowCount, 1)
    assert.equal(await eventN(7), 1)
    assert.equal((await failure(bob.query('EXECUTE nobody_prepared_this'))).code, '42501')
  })

  it('asks for the policy’s reason, then carries it in the request', async (t) => {
    const carol = await h.gateway.connect(t, 'carol')
    await carol.query('SET jitgate.unmask = on')
    const noReason = await failure(carol.query('SELECT email FROM customers WHERE id = 1'))
    assert.match(noReason.message, /the policy asks for a reason$/)
    await carol.query("SET jitgate.reason = 'INC-7: login fails'")
    const asked = await failure(carol.query('SELECT email FROM customers WHERE id = 1'))
    const request = await h.approvals.get(requestIdIn(asked.message))
    assert.equal(request.reason, 'INC-7: login fails')
    await h.approvals.cancel(request.id, 'carol')
  })
})

describe('a time-window grant', () => {
  it('lets the session’s matching statements through until it is revoked', async (t) => {
    const carol = await h.gateway.connect(t, 'carol')
    await carol.query("SET jitgate.unmask = on; SET jitgate.reason = 'INC-8'")
    const asked = await failure(carol.query('SELECT email FROM customers WHERE id = 1'))
    const id = requestIdIn(asked.message)
    await h.approvals.approve(id, MIA)
    const grant = await h.grants.forRequest(id)
    assert.equal(grant?.mode, 'window')
    assert.deepEqual((await carol.query('SELECT email FROM customers WHERE id = 1')).rows, [
      { email: 'ann@example.com' },
    ])
    assert.deepEqual((await carol.query('SELECT full_name, email FROM customers ORDER BY id')).rows, [
      { full_name: 'Ann Example', email: 'ann@example.com' },
      { full_name: 'Bob Sample', email: 'bob@example.org' },
    ])
    // Another table is not covered.
    const events = await failure(carol.query('SELECT id FROM events'))
    await h.approvals.cancel(requestIdIn(events.message), 'carol')
    const runs = (await h.auditEvents()).filter(
      (e) =>
        e.type === 'db.statement' &&
        (JSON.parse(e.detailsJson) as { grants: string[] }).grants.includes(grant?.id ?? ''),
    )
    assert.equal(runs.length, 2)
    await h.grants.revoke(grant?.id ?? '', 'mia', 'done')
    const revoked = await failure(carol.query('SELECT email FROM customers WHERE id = 1'))
    assert.match(revoked.message, /needs approval: request/)
    await h.approvals.cancel(requestIdIn(revoked.message), 'carol')
  })
})

describe('wait mode', () => {
  it('holds the client, tells it the request, and runs the statement once approved', async (t) => {
    h.approval.mode = 'wait'
    const bob = await h.gateway.connect(t, 'bob')
    const notices: { message?: string; detail?: string; hint?: string }[] = []
    bob.on('notice', (notice) => notices.push(notice))
    const running = bob.query('UPDATE events SET n = n + 1 WHERE id = 2')
    const request = await pendingOn('pg://app/public.events')
    assert.equal(await eventN(2), 0)
    await h.approvals.approve(request.id, MIA)
    assert.equal((await running).rowCount, 1)
    assert.equal(await eventN(2), 1)
    assert.deepEqual(
      notices.map((n) => [n.message, n.detail, n.hint]),
      [
        [
          `jitgate: this statement needs approval: request ${request.id} (${LINK}${request.id})`,
          "Writes need a manager's approval. Approvers: manager: group:managers.",
          'Waiting up to 10s for the decision.',
        ],
      ],
    )
  })

  it('fails when the request is rejected', async (t) => {
    h.approval.mode = 'wait'
    const bob = await h.gateway.connect(t, 'bob')
    const running = failure(bob.query('UPDATE events SET n = n + 1 WHERE id = 3'))
    const request = await pendingOn('pg://app/public.events')
    await h.approvals.reject(request.id, MIA, 'not during the freeze')
    const error = await running
    assert.deepEqual(
      [error.code, error.message, error.detail],
      [
        '42501',
        `jitgate: approval request ${request.id} was rejected, so the statement does not run`,
        'Rejected by mia: not during the freeze',
      ],
    )
    assert.equal(await eventN(3), 0)
  })

  it('fails when the wait times out, and runs when sent again once approved', async (t) => {
    h.approval.mode = 'wait'
    h.approval.timeoutMs = 1000
    const bob = await h.gateway.connect(t, 'bob')
    const started = Date.now()
    const error = await failure(bob.query('UPDATE events SET n = n + 1 WHERE id = 4'))
    assert.ok(Date.now() - started >= 900)
    const request = await pendingOn('pg://app/public.events')
    assert.deepEqual(
      [error.code, error.message, error.hint],
      [
        '57014',
        `jitgate stopped waiting for approval request ${request.id} after 1s`,
        'Run the same statement again once it is approved.',
      ],
    )
    await h.approvals.approve(request.id, MIA)
    assert.equal((await bob.query('UPDATE events SET n = n + 1 WHERE id = 4')).rowCount, 1)
    assert.equal(await eventN(4), 1)
  })

  it('stops waiting when the client cancels (Ctrl-C), and leaves the request open', async (t) => {
    h.approval.mode = 'wait'
    const client = await RawClient.login(h.gateway.port, 'bob', h.gateway.credentials.addKey('bob').token)
    t.after(() => client.end())
    client.send(serialize.query('UPDATE events SET n = n + 1 WHERE id = 6'))
    const request = await pendingOn('pg://app/public.events')
    const canceller = await RawClient.open(h.gateway.port)
    canceller.end(serialize.cancel(client.processId, client.secret))
    const answers = await client.untilReady()
    const error = fieldsOf(answers.find((a) => a.type === 'E') ?? assert.fail('no error'))
    assert.deepEqual(
      [error.C, error.M, error.H],
      [
        '57014',
        `jitgate stopped waiting for approval request ${request.id}: the statement was cancelled`,
        'Run the same statement again once it is approved.',
      ],
    )
    assert.equal((await h.approvals.get(request.id)).state, 'pending')
    await h.approvals.cancel(request.id, 'bob')
    assert.equal(await eventN(6), 0)
  })

  it('cancels the request of a client that leaves, and runs nothing later', async () => {
    h.approval.mode = 'wait'
    const client = await RawClient.login(h.gateway.port, 'bob', h.gateway.credentials.addKey('bob').token)
    client.send(serialize.query('UPDATE events SET n = n + 1 WHERE id = 5'))
    const request = await pendingOn('pg://app/public.events')
    assert.equal((await client.next()).type, 'N')
    client.end()
    await client.closed()
    for (let i = 0; i < 100 && (await h.approvals.get(request.id)).state === 'pending'; i++) await sleep(20)
    assert.equal((await h.approvals.get(request.id)).state, 'canceled')
    await sleep(100)
    assert.equal(await eventN(5), 0)
  })
})
