// The kill -9 trials: real worker processes on one store and one local endpoint. Each trial
// queues an idempotent and a non-idempotent call, kills the busy worker at a random moment
// (before it claims, mid-call, after the call but before recording), and starts another.
// Afterwards every action ran exactly once at the endpoint (idempotent: one effect per key;
// not idempotent: never two calls), every request is executed or failed with its audit
// events, and the audit chain verifies. Timing comes from a seeded PRNG.
import assert from 'node:assert/strict'
import { type ChildProcess, spawn } from 'node:child_process'
import type { TestContext } from 'node:test'
import { fileURLToPath } from 'node:url'
import { verifyChain } from '../../src/audit/index.ts'
import { auditRows, openMigrated } from '../approvals/approval-fixtures.ts'
import {
  approvedCall,
  closeAfter,
  executors,
  policySet,
  services,
  startEndpoint,
} from './execution-fixtures.ts'

const SCRIPT = fileURLToPath(new URL('./execution-worker-process.ts', import.meta.url))
const LEASE_MS = 600

/** mulberry32: a small seeded PRNG, so that a failing run can be replayed. */
export function prng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let x = Math.imul(a ^ (a >>> 15), 1 | a)
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296
  }
}

interface Node {
  readonly child: ChildProcess
  /** Resolves at the first stdout line starting with `prefix`. */
  next(prefix: string): Promise<void>
}

function spawnNode(url: string, endpointUrl: string, owner: string): Promise<Node> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', SCRIPT, url, endpointUrl, owner, String(LEASE_MS)],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  )
  const waiters: { prefix: string; resolve: () => void }[] = []
  let buffer = ''
  child.stdout?.on('data', (chunk: Buffer) => {
    buffer += chunk.toString()
    const lines = buffer.split('\n')
    buffer = lines.pop() ?? ''
    for (const line of lines) {
      for (const w of waiters.filter((w) => line.startsWith(w.prefix))) {
        waiters.splice(waiters.indexOf(w), 1)
        w.resolve()
      }
    }
  })
  const node: Node = {
    child,
    next: (prefix) => new Promise((resolve) => waiters.push({ prefix, resolve })),
  }
  return node.next('ready').then(() => node)
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}

function kill(node: Node): Promise<void> {
  if (node.child.exitCode !== null || node.child.signalCode !== null) return Promise.resolve()
  const exited = new Promise<void>((resolve) => node.child.once('exit', () => resolve()))
  node.child.kill('SIGKILL')
  return exited
}

/** Kills `node` at a moment the PRNG picks: before a claim, mid-call, or just after a call. */
async function killSomewhere(node: Node, random: () => number): Promise<string> {
  const mode = Math.floor(random() * 3)
  if (mode === 0) {
    await sleep(random() * 60)
    await kill(node)
    return 'anytime'
  }
  const phase = mode === 1 ? 'executing' : 'executed'
  await Promise.race([node.next(phase), sleep(3_000)])
  await sleep(random() * (mode === 1 ? 80 : 4))
  await kill(node)
  return phase
}

export async function runKillTrials(
  t: TestContext,
  url: string,
  trials: number,
  seed: number,
): Promise<void> {
  const random = prng(seed)
  const endpoint = await startEndpoint()
  closeAfter(t, endpoint)
  endpoint.respond = () => ({ status: 200, delayMs: Math.floor(random() * 120) })
  const handle = await openMigrated(t, url)
  const clock = { now: () => new Date() }
  const s = services(handle, clock, executors(endpoint.url))
  const set = policySet()
  const requests: { id: string; verb: string }[] = []
  let victim = await spawnNode(url, endpoint.url, 'node-0')
  t.after(() => kill(victim))
  for (let trial = 1; trial <= trials; trial++) {
    const batch: { id: string; verb: string }[] = []
    for (const verb of random() < 0.5 ? ['http.call', 'http.send'] : ['http.send', 'http.call']) {
      const request = await approvedCall(s, set, clock, {
        verb,
        endpoint: 'accounts',
        path: `/t${trial}/${verb}`,
      })
      await s.executions.enqueue(request.id)
      batch.push({ id: request.id, verb })
    }
    requests.push(...batch)
    const where = await killSomewhere(victim, random)
    victim = await spawnNode(url, endpoint.url, `node-${trial}`)
    await settled(
      s,
      batch.map((r) => r.id),
    )
    t.diagnostic(`trial ${trial}: killed ${where}`)
  }
  await kill(victim)
  await checkOutcome(t, handle, endpoint, s, requests)
}

type Services = ReturnType<typeof services>

async function settled(s: Services, ids: readonly string[]): Promise<void> {
  const deadline = Date.now() + 15_000
  for (;;) {
    const states = await Promise.all(ids.map(async (id) => (await s.approvals.get(id)).state))
    if (states.every((state) => state === 'executed' || state === 'failed')) return
    assert.ok(Date.now() < deadline, `requests still ${states.join(', ')}`)
    await sleep(25)
  }
}

async function checkOutcome(
  t: TestContext,
  handle: Parameters<typeof auditRows>[0],
  endpoint: Awaited<ReturnType<typeof startEndpoint>>,
  s: Services,
  requests: readonly { id: string; verb: string }[],
): Promise<void> {
  const audit = await auditRows(handle)
  assert.equal((await verifyChain(audit)).ok, true)
  let resumed = 0
  let inDoubt = 0
  for (const { id, verb } of requests) {
    const request = await s.approvals.get(id)
    const execution = await s.executions.forRequest(id)
    assert.ok(execution !== undefined)
    const calls = endpoint.calls.get(execution.idempotencyKey) ?? 0
    const effects = endpoint.effects.filter((key) => key === execution.idempotencyKey).length
    const types = audit.filter((e) => e.subject.id === id).map((e) => e.type)
    assert.equal(types.filter((type) => type === 'execution.started').length, 1, `${id}: ${types}`)
    if (verb === 'http.call') {
      assert.equal(request.state, 'executed', `idempotent ${id} ended ${request.state}`)
      assert.equal(effects, 1, `idempotent ${id} took effect ${effects} times`)
      if (execution.attempts > 1) resumed++
    } else {
      assert.ok(calls <= 1, `non-idempotent ${id} was called ${calls} times`)
      if (request.state === 'executed') assert.equal(calls, 1)
      if (request.state === 'failed') inDoubt++
    }
    const ends = types.filter((type) => type === 'execution.finished' || type === 'execution.failed')
    assert.deepEqual(ends, [request.state === 'executed' ? 'execution.finished' : 'execution.failed'])
  }
  const idempotent = requests.filter((r) => r.verb === 'http.call')
  const keys = await Promise.all(
    idempotent.map(async (r) => (await s.executions.forRequest(r.id))?.idempotencyKey),
  )
  assert.equal(new Set(endpoint.effects.filter((key) => keys.includes(key))).size, idempotent.length)
  t.diagnostic(`resumed ${resumed} idempotent executions; failed ${inDoubt} non-idempotent ones in doubt`)
  assert.ok(resumed + inDoubt > 0, 'no trial killed a worker mid-execution')
}
