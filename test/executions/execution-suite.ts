// The execution contract, run on SQLite and on PostgreSQL: an approved request runs
// exactly once, a second worker finds nothing to do, a failing endpoint fails it with the
// status, a concurrency limit runs a queue one at a time in FIFO order, a rate limit
// defers the excess, and a lease that runs out is resumed or failed by idempotency.
import assert from 'node:assert/strict'
import { describe, it, type TestContext } from 'node:test'
import { DIED_NOT_REPEATED } from '../../src/approvals/execution-lease.ts'
import { readDetails, verifyChain } from '../../src/audit/index.ts'
import { auditRows, openMigrated } from '../approvals/approval-fixtures.ts'
import {
  approvedCall,
  BOB,
  closeAfter,
  executors,
  FakeClock,
  policySet,
  services,
  startEndpoint,
} from './execution-fixtures.ts'

export interface ExecutionSuiteTarget {
  readonly dialect: 'sqlite' | 'postgres'
  newDatabase(): Promise<string>
}

async function setUp(t: TestContext, target: ExecutionSuiteTarget) {
  const endpoint = await startEndpoint()
  closeAfter(t, endpoint)
  const handle = await openMigrated(t, await target.newDatabase())
  const clock = new FakeClock()
  const s = services(handle, clock, executors(endpoint.url))
  const ask = (call: { verb?: string; endpoint: string; path: string }) =>
    approvedCall(s, policySet(), clock, call)
  return { ...s, handle, clock, endpoint, ask }
}

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 5))
  assert.ok(condition(), 'the condition never held')
}

async function auditTypes(s: Awaited<ReturnType<typeof setUp>>, requestId: string): Promise<string[]> {
  const rows = await auditRows(s.handle)
  assert.equal((await verifyChain(rows)).ok, true)
  return rows.filter((e) => e.subject.id === requestId).map((e) => e.type)
}

export function describeExecutions(target: ExecutionSuiteTarget): void {
  describe(`executions on ${target.dialect}`, () => {
    it('executes an approved request exactly once, and a second worker does not run it again', async (t) => {
      const s = await setUp(t, target)
      const request = await s.ask({ endpoint: 'accounts', path: '/cus_1/reset' })
      const queued = await s.executions.enqueue(request.id)
      assert.deepEqual(await s.executions.enqueue(request.id), queued)
      assert.equal(await s.worker('node-a').runOnce(), true)
      assert.equal(await s.worker('node-b').runOnce(), false)
      const done = await s.executions.get(queued.id)
      assert.equal(done.state, 'done')
      assert.equal(done.resultStatus, 200)
      assert.equal(done.attempts, 1)
      assert.deepEqual([...s.endpoint.calls.entries()], [[queued.idempotencyKey, 1]])
      assert.equal((await s.approvals.get(request.id)).state, 'executed')
      assert.deepEqual((await auditTypes(s, request.id)).slice(-3), [
        'execution.queued',
        'execution.started',
        'execution.finished',
      ])
    })

    it('fails the request with the status when the endpoint answers non-2xx, keeping no body', async (t) => {
      const s = await setUp(t, target)
      s.endpoint.respond = () => ({ status: 503, delayMs: 0 })
      const request = await s.ask({ endpoint: 'accounts', path: '/cus_2/reset' })
      const queued = await s.executions.enqueue(request.id)
      await s.worker('node-a').runOnce()
      const failed = await s.executions.get(queued.id)
      assert.equal(failed.state, 'failed')
      assert.equal(failed.resultStatus, 503)
      assert.equal(failed.error, 'HTTP 503')
      const stored = await s.approvals.get(request.id)
      assert.equal(stored.state, 'failed')
      assert.equal(stored.execution?.detail, 'HTTP 503')
      assert.equal((await auditTypes(s, request.id)).at(-1), 'execution.failed')
      const rows = await auditRows(s.handle)
      assert.doesNotMatch(JSON.stringify(rows), /a body jitgate must not keep/)
      const last = rows.at(-1)
      assert.equal(last === undefined ? undefined : readDetails(last)?.resultStatus, 503)
    })

    it('runs a queue with a concurrency limit of 1 one at a time, in FIFO order', async (t) => {
      const s = await setUp(t, target)
      s.endpoint.respond = () => ({ status: 200, delayMs: 100 })
      const ids: string[] = []
      for (const n of [1, 2, 3]) {
        const request = await s.ask({ endpoint: 'exports', path: `/run-${n}` })
        ids.push((await s.executions.enqueue(request.id)).id)
        s.clock.advance(1)
      }
      const [a, b] = [s.worker('node-a'), s.worker('node-b')]
      const first = a.runOnce()
      await until(() => s.endpoint.order.length === 1)
      assert.equal(await b.runOnce(), false)
      const waiting = await s.executions.waiting()
      assert.deepEqual(
        waiting.map((w) => [w.id, w.position, w.reason, w.rule]),
        [
          [ids[1], 1, 'concurrency_limit', 'exports-one-at-a-time'],
          [ids[2], 2, 'behind_earlier', undefined],
        ],
      )
      assert.equal((await s.executions.queuePosition(ids[2] ?? ''))?.position, 2)
      await first
      assert.equal(await b.runOnce(), true)
      assert.equal(await a.runOnce(), true)
      assert.equal(await b.runOnce(), false)
      assert.deepEqual(s.endpoint.order, ['/exports/run-1', '/exports/run-2', '/exports/run-3'])
      for (const id of ids) assert.equal((await s.executions.get(id)).state, 'done')
    })

    it('defers what is over a rate limit until the window frees a slot, without failing it', async (t) => {
      const s = await setUp(t, target)
      const ids: string[] = []
      for (const n of [1, 2, 3]) {
        const request = await s.ask({ endpoint: 'erasures', path: `/cus_${n}` })
        ids.push((await s.executions.enqueue(request.id)).id)
      }
      const worker = s.worker('node-a')
      assert.equal(await worker.runOnce(), true)
      s.clock.advance(10)
      assert.equal(await worker.runOnce(), true)
      assert.equal(await worker.runOnce(), false)
      const [waiting] = await s.executions.waiting()
      assert.equal(waiting?.reason, 'rate_limit')
      assert.equal(waiting?.retryAt, new Date(s.clock.now().getTime() + 50_000).toISOString())
      s.clock.advance(49)
      assert.equal(await worker.runOnce(), false)
      s.clock.advance(1)
      assert.equal(await worker.runOnce(), true)
      for (const id of ids) assert.equal((await s.executions.get(id)).state, 'done')
      assert.equal(s.endpoint.effects.length, 3)
    })

    it('resumes an idempotent execution whose lease ran out, with the same idempotency key', async (t) => {
      const s = await setUp(t, target)
      s.endpoint.respond = () => ({ status: 200, delayMs: 150 })
      const request = await s.ask({ endpoint: 'accounts', path: '/cus_3/reset' })
      const queued = await s.executions.enqueue(request.id)
      const stalled = s.worker('node-a', { leaseMs: 30_000, renewEveryMs: 3_600_000 }).runOnce()
      await until(() => s.endpoint.order.length === 1)
      s.clock.advance(31)
      assert.equal(await s.worker('node-b').runOnce(), true)
      await stalled
      const done = await s.executions.get(queued.id)
      assert.deepEqual([done.state, done.attempts, done.leaseOwner], ['done', 2, undefined])
      assert.deepEqual([...s.endpoint.calls.entries()], [[queued.idempotencyKey, 2]])
      assert.deepEqual(s.endpoint.effects, [queued.idempotencyKey])
      const types = await auditTypes(s, request.id)
      assert.deepEqual(types.slice(-4), [
        'execution.queued',
        'execution.started',
        'execution.resumed',
        'execution.finished',
      ])
    })

    it('fails a non-idempotent execution whose lease ran out instead of running it again', async (t) => {
      const s = await setUp(t, target)
      s.endpoint.respond = () => ({ status: 200, delayMs: 150 })
      const request = await s.ask({ verb: 'http.send', endpoint: 'accounts', path: '/cus_4/notify' })
      const queued = await s.executions.enqueue(request.id)
      const stalled = s.worker('node-a', { renewEveryMs: 3_600_000 }).runOnce()
      await until(() => s.endpoint.order.length === 1)
      s.clock.advance(31)
      assert.equal(await s.worker('node-b').runOnce(), true)
      await stalled
      const failed = await s.executions.get(queued.id)
      assert.deepEqual([failed.state, failed.error], ['failed', DIED_NOT_REPEATED])
      assert.deepEqual([...s.endpoint.calls.values()], [1])
      const stored = await s.approvals.get(request.id)
      assert.deepEqual([stored.state, stored.execution?.detail], ['failed', DIED_NOT_REPEATED])
      assert.equal((await auditTypes(s, request.id)).at(-1), 'execution.failed')
    })

    it('queues only approved requests, and queues those nobody queued', async (t) => {
      const s = await setUp(t, target)
      const request = await s.ask({ endpoint: 'accounts', path: '/cus_5/reset' })
      const [created] = await s.executions.enqueueApproved()
      assert.equal(created?.requestId, request.id)
      assert.deepEqual(await s.executions.enqueueApproved(), [])
      await assert.rejects(s.executions.enqueue('nope'), { code: 'request_not_found' })
      const set = policySet()
      const input = {
        actor: BOB,
        action: 'http.call',
        resource: 'http://accounts/cus_6/reset',
        context: { ticket: 'none', time: s.clock.now().toISOString() },
      }
      const decision = set.evaluate(input)
      const pending = await s.approvals.createRequest({ requester: BOB, input, decision, groups: set.groups })
      assert.equal(pending.state, 'pending')
      await assert.rejects(s.executions.enqueue(pending.id), {
        code: 'not_approved',
        message: `request ${pending.id} is 'pending', not approved`,
      })
      assert.deepEqual(await s.executions.enqueueApproved(), [])
    })
  })
}
