// The email channel's failures (no address, a refused recipient, a server away) on a fake
// mailer typed against the port, the messages' wording, and the notification settings:
// defaults filled in, every problem listed at once.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { Value } from '@sinclair/typebox/value'
import type { ApprovalRequest } from '../../src/approvals/index.ts'
import {
  type ClaimedDelivery,
  configDirectory,
  EmailChannel,
  emailFor,
  type Mailer,
  NotifyConfigSchema,
  type RequestSummary,
  resolveNotifyConfig,
} from '../../src/notify/index.ts'

const DELIVERY: ClaimedDelivery = {
  id: 'd1',
  channel: 'email',
  kind: 'approval_needed',
  target: 'email:dana',
  recipient: 'dana',
  eventSeq: 1,
  eventId: 'e1',
  eventType: 'request.created',
  subjectId: 'r1',
  payload: '{}',
  state: 'pending',
  attempts: 1,
  nextAttemptAt: '2026-03-03T09:00:00.000Z',
  createdAt: '2026-03-03T09:00:00.000Z',
  updatedAt: '2026-03-03T09:00:00.000Z',
}

const PENDING = {
  id: 'r1',
  state: 'pending',
  requester: { id: 'bob' },
  action: { action: 'db.query', resource: 'pg://prod/x' },
  approval: { steps: [], separationOfDuties: true, stepUp: false },
  groups: {},
  votes: [],
  history: [],
  createdAt: '2026-03-03T09:00:00.000Z',
  expiresAt: '2026-03-03T10:00:00.000Z',
} as unknown as ApprovalRequest

function channel(mailer: Mailer) {
  return new EmailChannel({
    mailer,
    directory: configDirectory({ dana: 'dana@example.com' }),
    requests: { load: async (id) => (id === 'r1' ? PENDING : undefined) },
    clock: { now: () => new Date('2026-03-03T09:00:00.000Z') },
    publicUrl: 'https://j.example.com',
  })
}

describe('email channel', () => {
  const sent: string[] = []
  const ok: Mailer = { send: async (m) => void sent.push(m.to) }
  const failing = (error: object): Mailer => ({
    send: async () => Promise.reject(Object.assign(new Error('550 5.1.1 <dana@example.com> unknown'), error)),
  })

  it('sends to the address the directory has for the recipient', async () => {
    assert.deepEqual(await channel(ok).send(DELIVERY), { ok: true })
    assert.deepEqual(sent, ['dana@example.com'])
  })

  it('gives up on a recipient without an address, or a request that is gone', async () => {
    assert.deepEqual(await channel(ok).send({ ...DELIVERY, recipient: 'zed' }), {
      ok: false,
      error: 'no email address for the recipient',
      permanent: true,
    })
    assert.deepEqual(await channel(ok).send({ ...DELIVERY, subjectId: 'r2' }), {
      ok: false,
      error: 'the request no longer exists',
      permanent: true,
    })
  })

  it('reports SMTP failures by code, never with the server text that quotes the address', async () => {
    assert.deepEqual(await channel(failing({ code: 'EENVELOPE', responseCode: 550 })).send(DELIVERY), {
      ok: false,
      error: 'SMTP EENVELOPE 550',
      status: 550,
      permanent: true,
    })
    assert.deepEqual(await channel(failing({ code: 'ECONNECTION' })).send(DELIVERY), {
      ok: false,
      error: 'SMTP ECONNECTION',
    })
  })
})

describe('email wording', () => {
  const summary: RequestSummary = {
    id: 'r 1',
    requester: 'bob',
    verb: 'db.query',
    resource: 'pg://prod/x\r\nBcc: all@example.com',
    state: 'expired',
    createdAt: '2026-03-03T09:00:00.000Z',
    expiresAt: '2026-03-03T10:00:00.000Z',
    missing: 0,
    steps: [],
    stepUp: false,
  }

  it('keeps header injection out of the subject and links to the request page', () => {
    const message = emailFor('outcome', summary, 'https://j.example.com')
    assert.equal(message.subject, 'Your request was expired: db.query on pg://prod/x Bcc: all@example.com')
    assert.match(
      message.text,
      /^Your request to run db\.query on pg:\/\/prod\/x Bcc: all@example\.com was expired\.$/m,
    )
    assert.ok(message.text.includes('https://j.example.com/requests/r%201'))
  })
})

describe('notification settings', () => {
  it('fills in the defaults', () => {
    const settings = resolveNotifyConfig({ publicUrl: 'https://j.example.com/' })
    assert.deepEqual(
      { ...settings, retry: { ...settings.retry, scheduleMs: settings.retry.scheduleMs.length } },
      {
        publicUrl: 'https://j.example.com',
        pollMs: 1000,
        batchSize: 100,
        sendConcurrency: 8,
        sendTimeoutMs: 10000,
        retry: { scheduleMs: 9, jitter: 0.2 },
        keepDeliveriesDays: 30,
        webhooks: { allowPrivateNetworks: true, disableAfterFailures: 5 },
      },
    )
  })

  it('lists every problem at once', () => {
    assert.throws(
      () =>
        resolveNotifyConfig({
          publicUrl: 'https://j',
          slack: { signingSecret: '12345678', botToken: 'xoxb-1', users: { U0DANA: 'dana', alice: 'alice' } },
          email: { host: 'smtp', port: 25, from: 'j@x', user: 'u', addresses: {} },
        }),
      (error: Error & { code?: string; details?: { path: string; message: string }[] }) => {
        assert.equal(error.code, 'notify_config_invalid')
        assert.deepEqual(error.details, [
          { path: 'notify.slack.channel', message: 'is required with botToken' },
          { path: 'notify.slack.users.alice', message: 'is not a Slack user id (U… or W…)' },
          { path: 'notify.email', message: 'user and password go together' },
        ])
        return true
      },
    )
  })

  it('refuses unknown fields and empty secrets in the schema', () => {
    assert.equal(Value.Check(NotifyConfigSchema, { publicUrl: 'https://j', pollMS: 5 }), false)
    const slack = {
      signingSecret: '12345678',
      webhookUrl: 'https://hooks.slack.com/x',
      users: { U1: 'alice' },
    }
    assert.equal(Value.Check(NotifyConfigSchema, { publicUrl: 'https://j', slack }), true)
    const empty = { ...slack, signingSecret: '' }
    assert.equal(Value.Check(NotifyConfigSchema, { publicUrl: 'https://j', slack: empty }), false)
  })
})
