// A jitgate node for the kill -9 trials: one execution worker on the shared store, calling
// the test endpoint, on the real clock. It prints `ready`, then `executing <key>` and
// `executed <key>` around each executor call, so that the trial can kill it at a chosen
// moment. Usage: node --import tsx execution-worker-process.ts DB_URL ENDPOINT_URL OWNER LEASE_MS

import { randomUUID } from 'node:crypto'
import { ExecutionWorker } from '../../src/approvals/execution-worker.ts'
import { type Executor, ExecutorRegistry } from '../../src/approvals/executors/executor.ts'
import { SqlExecutionStore } from '../../src/store/execution-store.ts'
import { openDatabase } from '../../src/store/index.ts'
import { type ClockLike, executors } from './execution-fixtures.ts'

const [url = '', endpointUrl = '', owner = '', leaseText = '600'] = process.argv.slice(2)
const leaseMs = Number(leaseText)
const clock: ClockLike = { now: () => new Date() }

/** The same executor, announcing each call on stdout (synchronous on a pipe). */
function announced(inner: Executor): Executor {
  return {
    verbs: inner.verbs,
    idempotent: inner.idempotent,
    async execute(action, options) {
      process.stdout.write(`executing ${options.idempotencyKey}\n`)
      const result = await inner.execute(action, options)
      process.stdout.write(`executed ${options.idempotencyKey}\n`)
      return result
    },
  }
}

const base = executors(endpointUrl)
const registry = new ExecutorRegistry(
  ['http.call', 'http.send'].map((verb) => {
    const executor = base.forVerb(verb)
    if (executor === undefined) throw new Error(`no executor for ${verb}`)
    return announced(executor)
  }),
)
const handle = await openDatabase(url, { poolSize: 3 })
const store = new SqlExecutionStore(handle, { now: () => clock.now(), newId: randomUUID })
const worker = new ExecutionWorker({
  store,
  executors: registry,
  clock,
  owner,
  leaseMs,
  renewEveryMs: Math.floor(leaseMs / 4),
  pollMs: 20,
  log: { warn: (obj, msg) => process.stderr.write(`${msg} ${String((obj as { err?: unknown }).err)}\n`) },
})
process.on('SIGTERM', () => {
  void worker.stop().then(() => handle.close())
})
worker.start()
process.stdout.write('ready\n')
