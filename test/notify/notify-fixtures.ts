// What the notification tests share: a small policy (a DBA step, an escalation to leads, a
// step-up resource), the approval services and the notification workers over one real store,
// a fake clock, short retries, and local receivers for webhooks, Slack and SMTP.
import assert from 'node:assert/strict'
import { randomBytes, randomUUID } from 'node:crypto'
import type { TestContext } from 'node:test'
import { ApprovalService, ApprovalSweeper } from '../../src/approvals/index.ts'
import type { StoredAuditEvent } from '../../src/audit/index.ts'
import {
  configDirectory,
  createSmtpMailer,
  DeliverySender,
  EmailChannel,
  NotifyDispatcher,
  resolveNotifyConfig,
  SlackChannel,
  SlackClient,
  WebhookChannel,
  WebhookService,
} from '../../src/notify/index.ts'
import { compilePolicySet, type PolicySet } from '../../src/policy/index.ts'
import {
  type DatabaseHandle,
  migrateToLatest,
  openDatabase,
  SqlApprovalStore,
  SqlNotifyStore,
} from '../../src/store/index.ts'
import { fromAuditRow } from '../../src/store/sql-audit-rows.ts'
import { FakeClock } from '../approvals/approval-fixtures.ts'
import { type Answer, type Received, slackAnswers, startReceiver, startSmtpSink } from './local-servers.ts'

export const POLICY = `kind: Groups
groups:
  dbas: { users: [dana, dave] }
  leads: { users: [lee] }
---
kind: Policy
name: notify-test
rules:
  - name: prod-needs-a-dba
    effect: require_approval
    match: { verbs: db.query, resources: "pg://prod/**" }
    approval:
      steps: [ { name: dba, any_of: [group:dbas] } ]
      timeout: 1h
      escalate: { after: 30m, to: [group:leads] }
      grant: { mode: single_use }
  - name: staging-needs-step-up
    effect: require_approval
    match: { verbs: db.query, resources: "pg://staging/**" }
    approval:
      steps: [ { name: dba, any_of: [group:dbas] } ]
      step_up: true
      grant: { mode: single_use }
`

export function policySet(): PolicySet {
  const result = compilePolicySet([{ file: 'policy.yaml', text: POLICY }])
  if (!result.ok) throw new Error(`the test policy does not compile: ${JSON.stringify(result.errors)}`)
  return result.set
}

export interface NotifyTarget {
  readonly dialect: 'sqlite' | 'postgres'
  /** A new, empty database's URL (migrated here). */
  newDatabase(): Promise<string>
}

export interface SetUpOptions {
  /** How the webhook endpoint answers (default 204). */
  readonly webhookAnswer?: (request: Received, count: number) => Answer
  readonly disableAfterFailures?: number
  readonly retryScheduleMs?: readonly number[]
  /** Audit events per dispatch transaction (default 50). */
  readonly dispatchBatch?: number
}

export async function openMigrated(t: TestContext, url: string): Promise<DatabaseHandle> {
  const handle = await openDatabase(url)
  t.after(() => handle.close())
  await migrateToLatest(handle)
  return handle
}

export async function setUp(t: TestContext, target: NotifyTarget, options: SetUpOptions = {}) {
  const url = await target.newDatabase()
  const handle = await openMigrated(t, url)
  const clock = new FakeClock()
  const [hook, slackApi, smtp] = await Promise.all([
    startReceiver(t, options.webhookAnswer),
    startReceiver(t, slackAnswers),
    startSmtpSink(t),
  ])
  const settings = resolveNotifyConfig({
    publicUrl: 'https://jitgate.example.com/',
    retryScheduleMs: [...(options.retryScheduleMs ?? [1_000, 2_000])],
    webhooks: { disableAfterFailures: options.disableAfterFailures ?? 2 },
    slack: {
      signingSecret: 'slack-signing-secret',
      botToken: 'xoxb-test-token',
      channel: 'C0APPROVE',
      escalationChannel: 'C0ESCALATE',
      apiBaseUrl: `${slackApi.url}/api`,
      users: { U0DANA: 'dana' },
    },
    email: {
      host: '127.0.0.1',
      port: smtp.port,
      from: 'jitgate@example.com',
      addresses: {
        dana: 'dana@example.com',
        dave: 'dave@example.com',
        lee: 'lee@example.com',
        bob: 'bob@example.com',
      },
    },
  })
  const newId = () => randomUUID()
  const now = () => clock.now()
  return {
    url,
    handle,
    clock,
    settings,
    hook,
    slackApi,
    smtp,
    set: policySet(),
    ...services(t, handle, clock, settings, options),
    newId,
    now,
  }
}

export type Setup = Awaited<ReturnType<typeof setUp>>

/** Everything a node runs, over `handle`: a second call over the same URL is a second node. */
export function services(
  t: TestContext,
  handle: DatabaseHandle,
  clock: FakeClock,
  settings: ReturnType<typeof resolveNotifyConfig>,
  options: SetUpOptions = {},
) {
  const newId = () => randomUUID()
  const approvalStore = new SqlApprovalStore(handle, { now: () => clock.now(), newId })
  const store = new SqlNotifyStore(handle, { now: () => clock.now(), newId })
  const slack = settings.slack
  const client = new SlackClient({ settings: slack ?? { apiBaseUrl: '' }, timeoutMs: 2_000 })
  const email = settings.email
  const mailer = email === undefined ? undefined : createSmtpMailer(email, 2_000)
  if (mailer !== undefined) t.after(() => mailer.close())
  const channels = {
    webhook: new WebhookChannel({
      settings: settings.webhooks,
      timeoutMs: 2_000,
      now: () => clock.now(),
      userAgent: 'jitgate-test',
    }),
    slack: new SlackChannel({
      client,
      store,
      clock,
      publicUrl: settings.publicUrl,
      ...(slack?.channel === undefined ? {} : { channel: slack.channel }),
      ...(slack?.escalationChannel === undefined ? {} : { escalationChannel: slack.escalationChannel }),
    }),
    ...(mailer === undefined || email === undefined
      ? {}
      : {
          email: new EmailChannel({
            mailer,
            directory: configDirectory(email.addresses),
            requests: store.requests,
            clock,
            publicUrl: settings.publicUrl,
          }),
        }),
  }
  return {
    approvals: new ApprovalService({ store: approvalStore, clock, newId }),
    sweeper: new ApprovalSweeper({ store: approvalStore }),
    store,
    client,
    dispatcher: new NotifyDispatcher({
      store,
      clock,
      newId,
      routing: { slack: true, email: true },
      batchSize: options.dispatchBatch ?? 50,
    }),
    sender: new DeliverySender({
      store,
      channels,
      clock,
      retry: { ...settings.retry, jitter: 0 },
      random: () => 0.5,
      disableAfterFailures: options.disableAfterFailures ?? settings.webhooks.disableAfterFailures,
      concurrency: 20,
      sendTimeoutMs: 2_000,
    }),
    webhooks: new WebhookService({
      store,
      clock,
      newId,
      randomBytes: (n) => randomBytes(n),
      settings: settings.webhooks,
    }),
  }
}

/** A request from bob for `resource`, with the decision the test policy gives. */
export async function ask(s: Setup, resource: string, reason = 'INC-2291: refund stuck') {
  const input = {
    actor: { id: 'bob' },
    action: 'db.query',
    resource,
    context: { time: s.clock.now().toISOString() },
  }
  const decision = s.set.evaluate(input)
  assert.equal(decision.effect, 'require_approval')
  return s.approvals.createRequest({
    requester: { id: 'bob' },
    input,
    decision,
    groups: s.set.groups,
    reason,
  })
}

/** Dispatches until the cursor reaches the head; returns the deliveries made. */
export async function dispatchAll(s: Pick<Setup, 'dispatcher'>): Promise<number> {
  let made = 0
  for (;;) {
    const result = await s.dispatcher.dispatchOnce()
    made += result.deliveries
    if (result.events === 0) return made
  }
}

export async function auditRows(handle: DatabaseHandle): Promise<StoredAuditEvent[]> {
  const rows = await handle.db.selectFrom('audit_events').selectAll().orderBy('seq').execute()
  return rows.map(fromAuditRow)
}

export async function deliveryRows(handle: DatabaseHandle) {
  return handle.db
    .selectFrom('notify_deliveries')
    .selectAll()
    .orderBy('event_seq')
    .orderBy('target')
    .execute()
}
