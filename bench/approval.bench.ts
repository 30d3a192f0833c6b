// `npm run bench -- approval`: how soon a client waiting on a request learns of its approval.
// A client long-polls GET /v1/requests/{id}/wait; the time runs from just before the
// approving POST is sent until the waiting client has its answer. The clients run in a
// process of their own (approval/client-process.ts), with keep-alive connections, as
// real clients do. One node on SQLite, then
// two nodes on one PostgreSQL (the wait on one, the approval on the other: LISTEN/NOTIFY).
// The baseline in the same run is one authenticated HTTP round trip on the same node
// (GET /v1/requests/{id}), the floor under any unblocking; the ratio is unblock p99 over it.
// Options: --trials N (default 200).
import { fork } from 'node:child_process'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { pino } from 'pino'
import { type RunningServer, startServer } from '../src/app/start-server.ts'
import { loadConfig } from '../src/config/index.ts'
import { startTestPostgres } from '../test/store/postgres-harness.ts'
import type { TrialCommand, TrialReply } from './approval/client-process.ts'
import { fmt, table } from './policy/report.ts'

const POLICY = `kind: Groups
groups:
  approvers: { users: [ann] }
---
kind: Policy
name: bench
rules:
  - name: exports-need-one-approval
    effect: require_approval
    match: { verbs: data.export, resources: "svc://**" }
    approval:
      steps: [ { any_of: [group:approvers] } ]
      grant: { mode: single_use }
`

interface Node {
  readonly server: RunningServer
  readonly requester: string
  readonly approver: string
}

async function startNode(dir: string, policies: string, database?: string): Promise<Node> {
  const config = loadConfig({
    flags: {
      policies,
      port: '0',
      watch: false,
      'data-dir': dir,
      'log-level': 'silent',
      ...(database === undefined ? {} : { database }),
    },
    env: {},
    cwd: dir,
    // Every trial creates a request: lift the per-caller creation limit for the bench.
    file: { path: join(dir, 'jitgate.yaml'), text: 'server: { requestLimit: { max: 1000000, window: 1m } }' },
  })
  const server = await startServer(config, pino({ level: 'silent' }))
  const key = async (id: string, role: 'requester' | 'approver') =>
    (
      await server.node.apiKeys.create(
        { subject: id, name: 'bench', roles: [role], groups: [] },
        { type: 'system', id: 'bench' },
      )
    ).token
  return { server, requester: await key('rob', 'requester'), approver: await key('ann', 'approver') }
}

const p = (sorted: readonly number[], q: number): number =>
  sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? Number.NaN

/** The clients' process (client-process.ts), one trial at a time. */
function startClients(): { trial(command: TrialCommand): Promise<TrialReply>; stop(): void } {
  const child = fork(fileURLToPath(new URL('./approval/client-process.ts', import.meta.url)), {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  })
  return {
    trial: (command) =>
      new Promise((resolve, reject) => {
        const onExit = (code: number | null) => reject(new Error(`the client process exited (${code})`))
        child.once('exit', onExit)
        child.once('message', (reply: TrialReply) => {
          child.off('exit', onExit)
          resolve(reply)
        })
        child.send(command)
      }),
    stop: () => child.kill(),
  }
}

type Clients = ReturnType<typeof startClients>

/** Unblock times in ms: wait on `waiter`, approve on `approver`, `trials` times. */
async function measure(
  clients: Clients,
  waiter: Node,
  approver: Node,
  trials: number,
): Promise<{ unblock: number[]; rtt: number[] }> {
  const unblock: number[] = []
  const rtt: number[] = []
  for (let i = 0; i < trials; i++) {
    const reply = await clients.trial({
      waiterUrl: waiter.server.url,
      approverUrl: approver.server.url,
      requester: waiter.requester,
      approver: approver.approver,
      resource: `svc://crm/customers/${i}`,
    })
    if (!reply.ok) throw new Error(reply.error)
    unblock.push(reply.unblockMs)
    rtt.push(reply.rttMs)
  }
  return { unblock: unblock.sort((a, b) => a - b), rtt: rtt.sort((a, b) => a - b) }
}

export async function run(args: string[]): Promise<void> {
  const at = args.indexOf('--trials')
  const trials = at < 0 ? 200 : Number(args[at + 1])
  if (!Number.isInteger(trials) || trials <= 0) throw new Error('--trials needs a positive integer')
  const dir = await mkdtemp(join(process.cwd(), '.bench-approval-'))
  const policies = join(dir, 'policies')
  await mkdir(policies, { recursive: true })
  await writeFile(join(policies, 'bench.yaml'), POLICY)
  const postgres = await startTestPostgres()
  const clients = startClients()
  try {
    console.log(`approval: ${trials} requests per setup, each waited on and approved`)
    const one = await startNode(join(dir, 'one'), policies)
    await measure(clients, one, one, 10)
    const single = await measure(clients, one, one, trials)
    await one.server.close()
    const url = await postgres.migratedDatabase()
    const a = await startNode(join(dir, 'a'), policies, url)
    const b = await startNode(join(dir, 'b'), policies, url)
    await measure(clients, a, b, 10)
    const pair = await measure(clients, a, b, trials)
    await a.server.close()
    await b.server.close()
    const rows = [
      ['one node, SQLite: unblock', fmt(p(single.unblock, 0.5), 2), fmt(p(single.unblock, 0.99), 2)],
      ['one node, SQLite: baseline round trip', fmt(p(single.rtt, 0.5), 2), fmt(p(single.rtt, 0.99), 2)],
      ['two nodes, PostgreSQL: unblock', fmt(p(pair.unblock, 0.5), 2), fmt(p(pair.unblock, 0.99), 2)],
      ['two nodes, PostgreSQL: baseline round trip', fmt(p(pair.rtt, 0.5), 2), fmt(p(pair.rtt, 0.99), 2)],
    ]
    console.log('')
    console.log(table(['setup', 'p50 ms', 'p99 ms'], rows))
    const oneP99 = p(single.unblock, 0.99)
    const twoP99 = p(pair.unblock, 0.99)
    console.log('')
    console.log(`unblock p99 one node ${fmt(oneP99, 2)} ms (target < 10): ${oneP99 < 10 ? 'met' : 'MISSED'}`)
    console.log(`unblock p99 two nodes ${fmt(twoP99, 2)} ms (target < 50): ${twoP99 < 50 ? 'met' : 'MISSED'}`)
    console.log(
      JSON.stringify({
        bench: 'approval',
        trials,
        unblock_p50_ms_one_node: round(p(single.unblock, 0.5)),
        unblock_p99_ms_one_node: round(oneP99),
        unblock_p99_ms_two_nodes: round(twoP99),
        baseline_rtt_p99_ms_one_node: round(p(single.rtt, 0.99)),
        baseline_rtt_p99_ms_two_nodes: round(p(pair.rtt, 0.99)),
        ratio_one_node: round(oneP99 / p(single.rtt, 0.99)),
        ratio_two_nodes: round(twoP99 / p(pair.rtt, 0.99)),
      }),
    )
  } finally {
    clients.stop()
    await postgres.stop()
    await rm(dir, { recursive: true, force: true })
  }
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000
}
