// Slack and email end to end, on SQLite and PostgreSQL: approvers are asked (Block Kit with
// buttons, emails with a sign-in link), the outcome updates the Slack message and reaches the
// requester, escalation reaches the escalation group, and a message about a request decided
// meanwhile is skipped. The running workers pick events up by themselves.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { NotifyWorkers } from '../../src/notify/index.ts'
import { AUDIT_CHANNEL } from '../../src/store/index.ts'
import { ask, deliveryRows, dispatchAll, type NotifyTarget, setUp } from './notify-fixtures.ts'

const DANA = { id: 'dana', groups: [] }

type Block = { type: string; text?: { text: string }; elements?: { action_id?: string; value?: string }[] }

function slackCall(s: Awaited<ReturnType<typeof setUp>>, i: number) {
  const call = s.slackApi.received[i]
  assert.ok(call, `Slack call ${i} was made`)
  const body = JSON.parse(call.body) as { channel: string; ts?: string; text: string; blocks: Block[] }
  const header = body.blocks.find((b) => b.type === 'header')?.text?.text
  const actions = body.blocks.find((b) => b.type === 'actions')?.elements ?? []
  return { method: call.path, auth: call.headers.authorization, ...body, header, actions }
}

export function describeChannels(target: NotifyTarget): void {
  describe(`Slack and email notifications on ${target.dialect}`, () => {
    it('asks in Slack with buttons, then updates the message with the outcome', async (t) => {
      const s = await setUp(t, target)
      const request = await ask(s, 'pg://prod/public.customers')
      await dispatchAll(s)
      await s.sender.sendDue()
      const asked = slackCall(s, 0)
      assert.equal(asked.method, '/api/chat.postMessage')
      assert.equal(asked.auth, 'Bearer xoxb-test-token')
      assert.equal(asked.channel, 'C0APPROVE')
      assert.equal(asked.header, ':lock: Approval needed')
      assert.deepEqual(
        asked.actions.map((a) => [a.action_id, a.value]),
        [
          ['jitgate_approve', request.id],
          ['jitgate_reject', request.id],
          ['jitgate_open', undefined],
        ],
      )
      const rows = await deliveryRows(s.handle)
      assert.equal(rows.find((r) => r.channel === 'slack')?.external_ref, 'C0APPROVE:1700000000.000100')

      await s.approvals.approve(request.id, DANA)
      await dispatchAll(s)
      await s.sender.sendDue()
      const outcome = slackCall(s, 1)
      assert.equal(outcome.method, '/api/chat.update')
      assert.deepEqual([outcome.channel, outcome.ts], ['C0APPROVE', '1700000000.000100'])
      assert.equal(outcome.header, ':white_check_mark: Approved by dana')
      assert.deepEqual(outcome.actions, [], 'no buttons once decided')
    })

    it('emails the approvers a sign-in link, and the requester the outcome', async (t) => {
      const s = await setUp(t, target)
      const request = await ask(s, 'pg://prod/public.customers')
      await dispatchAll(s)
      await s.sender.sendDue()
      const link = `https://jitgate.example.com/requests/${request.id}`
      assert.deepEqual(s.smtp.messages.map((m) => [m.from, m.to, m.headers.subject]).sort(), [
        [
          'jitgate@example.com',
          ['dana@example.com'],
          'Approval needed: db.query on pg://prod/public.customers',
        ],
        [
          'jitgate@example.com',
          ['dave@example.com'],
          'Approval needed: db.query on pg://prod/public.customers',
        ],
      ])
      const asked = s.smtp.messages[0]?.text ?? ''
      assert.match(asked, /^bob asks for approval to run db\.query on pg:\/\/prod\/public\.customers\.$/m)
      assert.match(asked, /^Reason: INC-2291: refund stuck$/m)
      assert.ok(asked.includes(`(you will be asked to sign in):\n${link}\n`))
      for (const secret of ['xoxb-test-token', 'slack-signing-secret', 'whsec_', 'token=', 'approve?'])
        assert.equal(asked.includes(secret), false, `no ${secret} in the email`)

      await s.approvals.reject(request.id, DANA, 'not during the freeze')
      await dispatchAll(s)
      await s.sender.sendDue()
      const told = s.smtp.messages[2]
      assert.deepEqual(told?.to, ['bob@example.com'])
      assert.equal(told?.headers.subject, 'Your request was rejected: db.query on pg://prod/public.customers')
      assert.match(
        told?.text ?? '',
        /^Your request to run db\.query on pg:\/\/prod\/public\.customers was rejected by dana\.$/m,
      )
      assert.match(told?.text ?? '', /^Reason given: not during the freeze$/m)
      assert.ok(told?.text.includes(link))
    })

    it('tells the escalation group, in its own Slack channel', async (t) => {
      const s = await setUp(t, target)
      await ask(s, 'pg://prod/public.customers')
      await dispatchAll(s)
      s.clock.advance(31 * 60)
      assert.equal((await s.sweeper.sweep(s.clock.now())).escalated.length, 1)
      await dispatchAll(s)
      const escalations = (await deliveryRows(s.handle)).filter((r) => r.event_type === 'request.escalated')
      assert.deepEqual(
        escalations.map((r) => r.target),
        ['email:lee', 'slack'],
      )
      await s.sender.sendDue()
      const posted = s.slackApi.received
        .map((_, i) => slackCall(s, i))
        .find((c) => c.channel === 'C0ESCALATE')
      assert.equal(posted?.header, ':rotating_light: Escalated: approval needed')
      const mail = s.smtp.messages.find((m) => m.to.includes('lee@example.com'))
      assert.match(
        mail?.headers.subject ?? '',
        /^Escalated: approval needed: db\.query on pg:\/\/prod\/public\.customers$/,
      )
    })

    it('skips asking for a request decided before the message went out, and still tells the outcome', async (t) => {
      const s = await setUp(t, target)
      const request = await ask(s, 'pg://prod/public.customers')
      await dispatchAll(s)
      await s.approvals.cancel(request.id, 'bob')
      await dispatchAll(s)
      await s.sender.sendDue()
      const rows = await deliveryRows(s.handle)
      assert.deepEqual(
        rows.map((r) => [r.event_type, r.target, r.state, r.last_error]),
        [
          ['request.created', 'email:dana', 'skipped', 'the request was decided before the message went out'],
          ['request.created', 'email:dave', 'skipped', 'the request was decided before the message went out'],
          ['request.created', 'slack', 'skipped', 'the request was decided before the message went out'],
          // The requester canceled it: no email to tell them; Slack posts the outcome anew.
          ['request.canceled', 'slack', 'delivered', null],
        ],
      )
      assert.equal(s.smtp.messages.length, 0)
      assert.equal(slackCall(s, 0).header, ':no_entry_sign: Canceled by bob')
    })

    it('runs by itself: workers woken by the store deliver without being driven', async (t) => {
      const s = await setUp(t, target)
      await s.webhooks.create({ url: `${s.hook.url}/in`, events: ['request.*'] }, { type: 'user', id: 'ada' })
      const workers = new NotifyWorkers({
        dispatcher: s.dispatcher,
        sender: s.sender,
        wakeUps: s.handle.notifier,
        auditChannel: AUDIT_CHANNEL,
      })
      await workers.start()
      t.after(() => workers.stop())
      const request = await ask(s, 'pg://prod/public.customers')
      for (let i = 0; i < 200 && s.hook.received.length === 0; i++)
        await new Promise((r) => setTimeout(r, 10))
      assert.equal(JSON.parse(s.hook.received[0]?.body ?? '{}').data?.subject?.id, request.id)
    })
  })
}
