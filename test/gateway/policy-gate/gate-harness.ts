// The policy gate for a test file, wired as the composition root will wire it: a real
// PostgreSQL upstream behind the gateway fixture, a policy set compiled from YAML written here,
// approvals and grants on a SQLite file with the real services, the audit log written by the
// real AuditWriter to that file, request waiters and grant invalidation on the store's
// notifier, the upstream's function catalog read with jitgate's own login, and a small masking
// module (redacts masked columns by name, refuses predicates on ssn).
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import {
  type ApprovalRequest,
  ApprovalService,
  GRANT_CHANNEL,
  GrantService,
  REQUEST_CHANNEL,
  RequestWaiters,
} from '../../../src/approvals/index.ts'
import { AuditWriter, type StoredAuditEvent } from '../../../src/audit/index.ts'
import {
  functionCatalog,
  initClassifier,
  type RowTransformFactory,
  USER_FUNCTIONS_SQL,
  USER_OPERATORS_SQL,
} from '../../../src/gateway/index.ts'
import {
  createPolicyGate,
  type GateMasking,
  type GateMaskPlan,
  type GateMaskPlanInput,
  type PolicyGate,
  type PolicyGateDeps,
  singleUseGrantConsumer,
  statementsOf,
} from '../../../src/gateway/policy-gate/index.ts'
import { compilePolicySet, type PolicySet } from '../../../src/policy/index.ts'
import { uuidV7 } from '../../../src/shared/index.ts'
import {
  type DatabaseHandle,
  migrateToLatest,
  openDatabase,
  SqlApprovalStore,
  SqlAuditStore,
} from '../../../src/store/index.ts'
import { startTestPostgres, type TestPostgres } from '../../store/postgres-harness.ts'
import { type GatewayFixture, startGatewayFixture } from '../wire/gateway-fixture.ts'

export const LINK = 'https://jitgate.test/requests/'

/** Compiles policy YAML; fails the test file when it does not compile. */
export function policySet(yaml: string): PolicySet {
  const result = compilePolicySet([{ file: 'gateway.yaml', text: yaml }])
  if (!result.ok) throw new Error(`the test policy does not compile: ${JSON.stringify(result.errors)}`)
  return result.set
}

/** Redacts the values of masked columns (by `table.column`, or their class), refuses predicates on ssn. */
export class NameMasking implements GateMasking {
  readonly plans: GateMaskPlanInput[] = []

  async plan(input: GateMaskPlanInput): Promise<GateMaskPlan> {
    this.plans.push(input)
    if (/\bwhere\b[\s\S]*\bssn\b/i.test(input.sql))
      return {
        kind: 'refuse',
        message: 'jitgate: customers.ssn is masked, and a condition on it would reveal it',
        hint: 'SET jitgate.unmask = on asks for approval to see raw values.',
      }
    const { mask, classOf } = input
    const rows: RowTransformFactory = (description) => {
      const masked = description.map((column) => {
        const field = `customers.${column.name}`
        const transform = mask[field] ?? mask[classOf(field) ?? ''] ?? mask['*']
        return transform !== undefined && transform.transform !== 'keep'
      })
      if (!masked.includes(true)) return undefined
      return { transform: (values) => values.map((v, i) => (masked[i] === true && v !== null ? '***' : v)) }
    }
    return { kind: 'forward', rows }
  }
}

export interface GateHarness {
  readonly gate: PolicyGate
  readonly gateway: GatewayFixture
  readonly postgres: TestPostgres
  /** jitgate's own login to the upstream (also the tests' view of its data). */
  readonly admin: pg.Client
  readonly store: DatabaseHandle
  readonly approvals: ApprovalService
  readonly grants: GrantService
  readonly masking: NameMasking
  /** Swap `current` to reload the policy; set mode and timeoutMs to change approval handling. */
  readonly policies: { current: PolicySet }
  readonly approval: { mode: 'wait' | 'fail'; timeoutMs: number }
  /** What the gate logged. */
  readonly logs: { readonly level: string; readonly message: string; readonly details: object }[]
  /** Every audit event so far, oldest first (after the gate's writes settled). */
  auditEvents(): Promise<StoredAuditEvent[]>
  /**
   * Every statement the log records (db.statement events, and each of db.statements), in
   * order, as db.statement details; `after`: only from events past that many.
   */
  statements(after?: number): Promise<Record<string, unknown>[]>
  /** The pending requests, newest first. */
  pending(): Promise<readonly ApprovalRequest[]>
  close(): Promise<void>
}

export interface HarnessOptions {
  readonly policy: string
  /** SQL run upstream first (tables and rows). */
  readonly schema: string
  /** Replaces the audit append (to make it fail for real, say). */
  readonly audit?: (writer: AuditWriter, store: DatabaseHandle) => PolicyGateDeps['audit']
}

export async function startGateHarness(options: HarnessOptions): Promise<GateHarness> {
  await initClassifier()
  const postgres = await startTestPostgres()
  const upstreamUrl = await postgres.emptyDatabase()
  const admin = new pg.Client({ connectionString: upstreamUrl })
  await admin.connect()
  await admin.query(options.schema)
  const dir = await mkdtemp(join(tmpdir(), 'jitgate-gate-'))
  const store = await openDatabase(`sqlite:${join(dir, 'jitgate.db')}`)
  await migrateToLatest(store)
  const clock = { now: () => new Date() }
  const approvalStore = new SqlApprovalStore(store, { now: clock.now, newId: uuidV7 })
  const approvals = new ApprovalService({ store: approvalStore, clock, newId: uuidV7 })
  const grants = new GrantService({ store: approvalStore, clock })
  const writer = new AuditWriter({ store: new SqlAuditStore(store), newId: uuidV7, now: clock.now })
  const waiters = new RequestWaiters()
  await waiters.start(store.notifier)
  const policies = { current: policySet(options.policy) }
  const approval = { mode: 'fail' as 'wait' | 'fail', timeoutMs: 10_000 }
  const masking = new NameMasking()
  const logs: GateHarness['logs'][number][] = []
  const gate = createPolicyGate({
    policies,
    grantFacts: (actorId, now) => grants.activeGrantFacts(actorId, now),
    audit: options.audit?.(writer, store) ?? ((draft) => writer.append(draft)),
    createRequest: (command) => approvals.createRequest(command),
    waitForRequest: waitingOn(waiters, approvals),
    cancelRequest: (id, by) => approvals.cancel(id, by),
    consumeSingleUseGrant: singleUseGrantConsumer({ store: approvalStore, grants, clock }),
    functionCatalog: async () => {
      const [functions, operators] = [
        await admin.query(USER_FUNCTIONS_SQL),
        await admin.query(USER_OPERATORS_SQL),
      ]
      return functionCatalog(functions.rows, operators.rows)
    },
    masking,
    clock,
    newId: uuidV7,
    approvalLink: (id) => `${LINK}${id}`,
    approval: {
      get mode() {
        return approval.mode
      },
      get timeoutMs() {
        return approval.timeoutMs
      },
    },
    log: {
      warn: (details, message) => void logs.push({ level: 'warn', message, details }),
      error: (details, message) => void logs.push({ level: 'error', message, details }),
    },
  })
  // As the composition does: a grant used or revoked, or a request decided, anywhere.
  const unsubscribe = await Promise.all(
    [GRANT_CHANNEL, REQUEST_CHANNEL].map((channel) =>
      store.notifier.subscribe(channel, () => gate.invalidate()),
    ),
  )
  const gateway = await startGatewayFixture({ upstreamUrl, gate, tls: 'none' })
  const auditStore = new SqlAuditStore(store)
  const auditEvents = async () => {
    await gate.flush()
    await writer.idle()
    const events: StoredAuditEvent[] = []
    for await (const page of auditStore.read(1)) events.push(...page)
    return events
  }
  return {
    gate,
    gateway,
    postgres,
    admin,
    store,
    approvals,
    grants,
    masking,
    policies,
    approval,
    logs,
    auditEvents,
    async statements(after = 0) {
      return (await auditEvents())
        .slice(after)
        .flatMap((e) => statementsOf(e.type, JSON.parse(e.detailsJson) as Record<string, unknown>))
    },
    async pending() {
      return (await approvals.list({ state: 'pending' })).items
    },
    async close() {
      await gateway.close()
      await gate.flush()
      for (const stop of unsubscribe) await stop()
      await waiters.stop()
      await admin.end()
      await store.close()
      await postgres.stop()
      await rm(dir, { recursive: true, force: true })
    },
  }
}

/** The wait-for-request port over the request waiters, as the long poll does it. */
function waitingOn(waiters: RequestWaiters, approvals: ApprovalService): PolicyGateDeps['waitForRequest'] {
  return async (id, timeoutMs, signal) => {
    const watch = waiters.watch(id)
    const timer = setTimeout(() => watch.end(), timeoutMs)
    const stop = () => watch.end()
    signal.addEventListener('abort', stop, { once: true })
    try {
      for (;;) {
        const request = await approvals.get(id)
        if (request.state !== 'pending' || !(await watch.next())) return request
      }
    } finally {
      clearTimeout(timer)
      signal.removeEventListener('abort', stop)
      watch.end()
    }
  }
}
