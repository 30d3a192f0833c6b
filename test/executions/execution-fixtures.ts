// What the execution tests share: a policy whose internal calls are auto-approved (some
// with a concurrency or rate limit), services over a migrated store, and a real HTTP
// endpoint on 127.0.0.1 that counts calls per idempotency key and applies each key's
// effect once, as a de-duplicating internal API would.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { TestContext } from 'node:test'
import { ApprovalService } from '../../src/approvals/approval-service.ts'
import { ExecutionService } from '../../src/approvals/execution-service.ts'
import { ExecutionWorker, type ExecutionWorkerDeps } from '../../src/approvals/execution-worker.ts'
import { ExecutorRegistry } from '../../src/approvals/executors/executor.ts'
import { HttpExecutor } from '../../src/approvals/executors/http-executor.ts'
import type { Actor, PolicySet } from '../../src/policy/index.ts'
import { compilePolicySet } from '../../src/policy/index.ts'
import { SqlApprovalStore } from '../../src/store/approval-store.ts'
import { SqlExecutionStore } from '../../src/store/execution-store.ts'
import type { DatabaseHandle } from '../../src/store/index.ts'
import { FakeClock, newId } from '../approvals/approval-fixtures.ts'

const AUTO = `approval: { steps: [ { name: lead, any_of: [user:mia] } ], auto_approve: context.ticket == "ok" }`

export const POLICY = `kind: Policy
name: internal-calls
rules:
  - name: account-calls
    effect: require_approval
    match: { verbs: [http.call, http.send], resources: "http://accounts/**" }
    ${AUTO}
  - name: exports-one-at-a-time
    effect: require_approval
    match: { verbs: http.call, resources: "http://exports/**" }
    obligations: { concurrency: { max: 1, scope: global } }
    ${AUTO}
  - name: erasures-two-a-minute
    effect: require_approval
    match: { verbs: http.call, resources: "http://erasures/**" }
    obligations: { rate_limit: { max: 2, per: 1m, scope: global } }
    ${AUTO}
`

export function policySet(): PolicySet {
  const result = compilePolicySet([{ file: 'policy.yaml', text: POLICY }])
  if (!result.ok) throw new Error(`the test policy does not compile: ${JSON.stringify(result.errors)}`)
  return result.set
}

export const BOB: Actor = { id: 'bob', groups: ['support'] }

/** Calls per idempotency key, and the effects applied (once per key). */
export interface CountingEndpoint {
  readonly url: string
  readonly calls: Map<string, number>
  readonly effects: string[]
  /** Paths in the order their calls arrived. */
  readonly order: string[]
  /** The status to answer with, and how long to wait first. */
  respond: (path: string) => { status: number; delayMs: number }
  close(): Promise<void>
}

export async function startEndpoint(): Promise<CountingEndpoint> {
  const state = {
    calls: new Map<string, number>(),
    effects: [] as string[],
    order: [] as string[],
    respond: (_path: string) => ({ status: 200, delayMs: 0 }),
  }
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const key = String(req.headers['idempotency-key'] ?? '')
    const path = req.url ?? ''
    state.calls.set(key, (state.calls.get(key) ?? 0) + 1)
    state.order.push(path)
    const { status, delayMs } = state.respond(path)
    req.resume()
    setTimeout(() => {
      if (status < 300 && !state.effects.includes(key)) state.effects.push(key)
      res.writeHead(status, { 'content-type': 'application/json' })
      res.end(JSON.stringify({ secret: 'a body jitgate must not keep' }))
    }, delayMs)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return Object.assign(state, {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  })
}

/** `http.call` (idempotent) and `http.send` (not) on the endpoint's `accounts`, `exports`, `erasures`. */
export function executors(endpointUrl: string, timeoutMs = 2_000): ExecutorRegistry {
  const endpoints = Object.fromEntries(
    ['accounts', 'exports', 'erasures'].map((name) => [
      name,
      { baseUrl: `${endpointUrl}/${name}`, methods: ['POST' as const], paths: ['/**'] },
    ]),
  )
  return new ExecutorRegistry([
    new HttpExecutor({ verbs: 'http.call', idempotent: true, timeoutMs, endpoints }),
    new HttpExecutor({ verbs: 'http.send', idempotent: false, timeoutMs, endpoints }),
  ])
}

export interface ClockLike {
  now(): Date
}

export function services(handle: DatabaseHandle, clock: ClockLike, registry: ExecutorRegistry) {
  const options = { now: () => clock.now(), newId }
  const approvals = new ApprovalService({ store: new SqlApprovalStore(handle, options), clock, newId })
  const store = new SqlExecutionStore(handle, options)
  const executions = new ExecutionService({ store, executors: registry, clock, newId })
  const worker = (owner: string, extra: Partial<ExecutionWorkerDeps> = {}) =>
    new ExecutionWorker({ store, executors: registry, clock, owner, ...extra })
  return { approvals, executions, store, worker }
}

type Services = ReturnType<typeof services>

/** An auto-approved request for `verb` on `http://<endpoint>/<path>`, queued for execution. */
export async function approvedCall(
  s: Services,
  set: PolicySet,
  clock: ClockLike,
  call: { verb?: string; endpoint: string; path: string },
) {
  const input = {
    actor: BOB,
    action: call.verb ?? 'http.call',
    resource: `http://${call.endpoint}${call.path}`,
    context: {
      ticket: 'ok',
      time: clock.now().toISOString(),
      endpoint: call.endpoint,
      method: 'POST',
      path: call.path,
      body: { note: 'reset' },
    },
  }
  const decision = set.evaluate(input)
  if (decision.effect !== 'require_approval') throw new Error(`unexpected effect ${decision.effect}`)
  const request = await s.approvals.createRequest({ requester: BOB, input, decision, groups: set.groups })
  if (request.state !== 'approved') throw new Error(`the request was not auto-approved: ${request.state}`)
  return request
}

export { FakeClock }

export function closeAfter(t: TestContext, endpoint: CountingEndpoint): void {
  t.after(() => endpoint.close())
}
