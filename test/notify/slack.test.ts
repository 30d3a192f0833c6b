// Slack: the signature check (Slack's published example, bad and stale requests), the Block
// Kit message, and the interaction endpoint on the real HTTP server: a verified click calls
// the approval port as the mapped user, and the clicker hears privately what happened.
import assert from 'node:assert/strict'
import { createHmac } from 'node:crypto'
import { describe, it, type TestContext } from 'node:test'
import pino from 'pino'
import { ApprovalError } from '../../src/approvals/index.ts'
import { createHttpServer } from '../../src/http/index.ts'
import {
  type RequestSummary,
  SlackClient,
  slackInteractionRoute,
  slackRequestMessage,
  verifySlackSignature,
} from '../../src/notify/index.ts'
import { startReceiver } from './local-servers.ts'

// Slack's worked example (docs.slack.dev, "Verifying requests from Slack").
const DOC_SECRET = '8f742231b10e8888abcd99yyyzzz85a5'
const DOC_TIMESTAMP = '1531420618'
const DOC_BODY =
  'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c'
const DOC_SIGNATURE = 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503'
const DOC_TIME = new Date(Number(DOC_TIMESTAMP) * 1000)

describe('Slack signatures', () => {
  it("accepts Slack's published example", () => {
    verifySlackSignature(
      DOC_SECRET,
      { rawBody: DOC_BODY, signature: DOC_SIGNATURE, timestamp: DOC_TIMESTAMP },
      DOC_TIME,
    )
  })

  const refusals: [string, Partial<Parameters<typeof verifySlackSignature>[1]>, Date, string][] = [
    ['a changed body', { rawBody: `${DOC_BODY}&x=1` }, DOC_TIME, 'X-Slack-Signature does not match'],
    [
      'another signature',
      { signature: `v0=${'0'.repeat(64)}` },
      DOC_TIME,
      'X-Slack-Signature does not match',
    ],
    [
      'a signature of another scheme',
      { signature: DOC_SIGNATURE.replace('v0=', 'v1=') },
      DOC_TIME,
      'X-Slack-Signature does not match',
    ],
    [
      'no signature',
      { signature: undefined },
      DOC_TIME,
      'the X-Slack-Signature or X-Slack-Request-Timestamp header is missing',
    ],
    [
      'a bad timestamp',
      { timestamp: '15314206l8' },
      DOC_TIME,
      'X-Slack-Request-Timestamp is not unix seconds',
    ],
    [
      'a stale request',
      {},
      new Date(DOC_TIME.getTime() + 301_000),
      'X-Slack-Request-Timestamp is more than 5 minutes away (a replay?)',
    ],
  ]
  for (const [name, change, now, why] of refusals) {
    it(`refuses ${name}`, () => {
      const request = { rawBody: DOC_BODY, signature: DOC_SIGNATURE, timestamp: DOC_TIMESTAMP, ...change }
      assert.throws(
        () => verifySlackSignature(DOC_SECRET, request, now),
        (error: Error & { code?: string; status?: number }) => {
          assert.deepEqual(
            [error.code, error.status, error.message],
            ['slack_signature_invalid', 401, `the request is not from Slack: ${why}`],
          )
          return true
        },
      )
    })
  }
})

const SUMMARY: RequestSummary = {
  id: 'req-1',
  requester: 'bob',
  verb: 'db.query',
  resource: 'pg://prod/public.customers',
  purpose: 'support',
  reason: 'INC-1 <!channel> & <https://evil.example|click>',
  state: 'pending',
  createdAt: '2026-03-03T09:00:00.000Z',
  expiresAt: '2026-03-03T10:00:00.000Z',
  missing: 2,
  steps: [{ name: 'dba', missing: 2 }],
  stepUp: false,
}

describe('Slack Block Kit message', () => {
  it('summarizes the request with Approve / Reject buttons carrying its id', () => {
    const message = slackRequestMessage(SUMMARY, 'approval_needed', 'https://jitgate.example.com')
    const [header, section, actions, context] = message.blocks as Record<string, unknown>[]
    assert.deepEqual(header, {
      type: 'header',
      text: { type: 'plain_text', text: ':lock: Approval needed', emoji: true },
    })
    const fields = ((section?.fields ?? []) as { text: string }[]).map((f) => f.text)
    assert.deepEqual(fields, [
      '*Requester*\n`bob`',
      '*Action*\n`db.query`',
      '*Resource*\n`pg://prod/public.customers`',
      '*Purpose*\nsupport',
      '*Reason*\nINC-1 &lt;!channel&gt; &amp; &lt;https://evil.example|click&gt;',
      '*Approvals needed*\n2 (dba)',
      '*Expires*\n<!date^1772532000^{date_short_pretty} {time}|2026-03-03T10:00:00.000Z>',
    ])
    const buttons = (actions?.elements ?? []) as Record<string, unknown>[]
    assert.deepEqual(
      buttons.map((b) => [b.action_id, b.value, b.style, b.url]),
      [
        ['jitgate_approve', 'req-1', 'primary', undefined],
        ['jitgate_reject', 'req-1', 'danger', undefined],
        ['jitgate_open', undefined, undefined, 'https://jitgate.example.com/requests/req-1'],
      ],
    )
    assert.ok(buttons.slice(0, 2).every((b) => typeof b.confirm === 'object'))
    assert.deepEqual(context, {
      type: 'context',
      elements: [{ type: 'mrkdwn', text: 'Request <https://jitgate.example.com/requests/req-1|req-1>' }],
    })
    assert.equal(message.text, ':lock: Approval needed: bob asks for db.query on pg://prod/public.customers')
  })

  it('leaves Approve out when approving needs step-up, and all buttons once decided', () => {
    const stepUp = slackRequestMessage({ ...SUMMARY, stepUp: true }, 'approval_needed', 'https://j')
    const ids = (
      (stepUp.blocks.find((b) => b.type === 'actions')?.elements ?? []) as { action_id: string }[]
    ).map((b) => b.action_id)
    assert.deepEqual(ids, ['jitgate_reject', 'jitgate_open'])
    const decided = slackRequestMessage(
      { ...SUMMARY, state: 'rejected', decidedBy: 'dana' },
      'outcome',
      'https://j',
    )
    assert.equal(
      decided.blocks.some((b) => b.type === 'actions'),
      false,
    )
    assert.equal((decided.blocks[0]?.text as { text: string } | undefined)?.text, ':x: Rejected by dana')
  })
})

const SECRET = 'interaction-signing-secret'
const NOW = new Date('2026-03-03T09:00:00.000Z')

function form(actionId: string, user = 'U0DANA'): string {
  const payload = {
    type: 'block_actions',
    user: { id: user },
    channel: { id: 'C0APPROVE' },
    actions: [{ action_id: actionId, value: 'req-1' }],
  }
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString()
}

function signed(body: string, at = NOW): Record<string, string> {
  const timestamp = String(Math.floor(at.getTime() / 1000))
  const signature = `v0=${createHmac('sha256', SECRET).update(`v0:${timestamp}:${body}`).digest('hex')}`
  return {
    'content-type': 'application/x-www-form-urlencoded',
    'x-slack-request-timestamp': timestamp,
    'x-slack-signature': signature,
  }
}

async function server(t: TestContext, refuse?: Error) {
  const calls: string[] = []
  const slackApi = await startReceiver(t, () => ({ status: 200, body: '{"ok":true}' }))
  const feedback = new SlackClient({
    settings: { apiBaseUrl: slackApi.url, botToken: 'xoxb-1' },
    timeoutMs: 1_000,
  })
  const approvals = {
    approve: async (id: string, user: string) => {
      calls.push(`approve ${id} ${user}`)
      if (refuse !== undefined) throw refuse
    },
    reject: async (id: string, user: string, reason: string) =>
      void calls.push(`reject ${id} ${user} ${reason}`),
  }
  const route = slackInteractionRoute({
    signingSecret: SECRET,
    users: { U0DANA: 'dana' },
    rejectReason: 'rejected in Slack',
    approvals,
    feedback,
    now: () => NOW,
  })
  const app = await createHttpServer({ logger: pino({ level: 'silent' }), version: 'test', routes: [route] })
  t.after(() => app.close())
  const post = (payload: string, headers = signed(payload)) =>
    app.inject({ method: 'POST', url: '/v1/slack/interactions', payload, headers })
  const ephemeral = async () => {
    for (let i = 0; i < 100 && slackApi.received.length === 0; i++) await new Promise((r) => setTimeout(r, 5))
    return slackApi.received.map((r) => [r.path, JSON.parse(r.body)])
  }
  return { calls, post, ephemeral }
}

describe('Slack interaction endpoint', () => {
  it('approves and rejects as the mapped user, and tells the clicker', async (t) => {
    const s = await server(t)
    assert.equal((await s.post(form('jitgate_approve'))).statusCode, 200)
    assert.equal((await s.post(form('jitgate_reject'))).statusCode, 200)
    assert.equal((await s.post(form('jitgate_open'))).statusCode, 200)
    assert.deepEqual(s.calls, ['approve req-1 dana', 'reject req-1 dana rejected in Slack'])
    const [first] = await s.ephemeral()
    assert.deepEqual(first, [
      '/chat.postEphemeral',
      { channel: 'C0APPROVE', user: 'U0DANA', text: 'Your approval of request req-1 is recorded.' },
    ])
  })

  it('answers a refusal by the rules privately, with its reason', async (t) => {
    const s = await server(
      t,
      new ApprovalError('step_up_required', 'this approval needs a TOTP code (step-up)'),
    )
    assert.equal((await s.post(form('jitgate_approve'))).statusCode, 200)
    const [first] = await s.ephemeral()
    assert.equal(
      first?.[1].text,
      'jitgate did not record your approval: this approval needs a TOTP code (step-up)',
    )
  })

  const refusals: [string, () => [string, Record<string, string>], number, string][] = [
    [
      'a bad signature',
      () => [
        form('jitgate_approve'),
        { ...signed(form('jitgate_approve')), 'x-slack-signature': `v0=${'1'.repeat(64)}` },
      ],
      401,
      'slack_signature_invalid',
    ],
    [
      'a stale request',
      () => [form('jitgate_approve'), signed(form('jitgate_approve'), new Date(NOW.getTime() - 600_000))],
      401,
      'slack_signature_invalid',
    ],
    [
      'JSON, whose raw bytes are gone',
      () => ['{"payload":"{}"}', { ...signed('{"payload":"{}"}'), 'content-type': 'application/json' }],
      401,
      'slack_signature_invalid',
    ],
    [
      'an unmapped Slack user',
      () => [form('jitgate_approve', 'U0MALLORY'), signed(form('jitgate_approve', 'U0MALLORY'))],
      403,
      'slack_user_unmapped',
    ],
    [
      'a payload that is not JSON',
      () => ['payload=%7Bnope', signed('payload=%7Bnope')],
      400,
      'slack_payload_invalid',
    ],
  ]
  for (const [name, make, status, code] of refusals) {
    it(`refuses ${name}`, async (t) => {
      const s = await server(t)
      const [payload, headers] = make()
      const response = await s.post(payload, headers)
      assert.deepEqual([response.statusCode, response.json().code], [status, code])
      assert.deepEqual(s.calls, [])
    })
  }
})

describe('Slack client', () => {
  const message = { text: 'hello', blocks: [{ type: 'section' }] }

  it('posts through an incoming webhook when no bot is configured, and cannot update', async (t) => {
    const hook = await startReceiver(t, () => ({ status: 200, body: 'ok' }))
    const client = new SlackClient({
      settings: { apiBaseUrl: 'http://unused', webhookUrl: `${hook.url}/services/T/B/x` },
      timeoutMs: 1_000,
    })
    assert.equal(client.canUpdate, false)
    assert.equal(await client.post('C1', message), undefined)
    assert.deepEqual(
      hook.received.map((r) => [r.path, JSON.parse(r.body), r.headers.authorization]),
      [['/services/T/B/x', message, undefined]],
    )
  })

  it("reports Slack's refusals by their error code", async (t) => {
    const api = await startReceiver(t, (r) =>
      r.path.endsWith('/chat.update')
        ? { status: 429 }
        : { status: 200, body: JSON.stringify({ ok: false, error: 'channel_not_found' }) },
    )
    const client = new SlackClient({
      settings: { apiBaseUrl: api.url, botToken: 'xoxb-1' },
      timeoutMs: 1_000,
    })
    await assert.rejects(client.post('C1', message), {
      name: 'SlackApiError',
      message: 'Slack refused: channel_not_found',
    })
    await assert.rejects(client.update('C1:1.2', message), {
      name: 'SlackApiError',
      message: 'Slack answered HTTP 429',
      status: 429,
    })
    assert.deepEqual(JSON.parse(api.received[1]?.body ?? '{}'), { channel: 'C1', ts: '1.2', ...message })
  })
})
