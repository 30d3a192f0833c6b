// The outbox contract, run on SQLite and PostgreSQL: audit events become deliveries exactly
// once, webhooks are signed, retried with backoff and given up, an endpoint that keeps failing
// is disabled and can be enabled again, and a sender that dies mid-send only delays a delivery.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { AuditActor } from '../../src/audit/index.ts'
import { DELIVERY_CHANNELS, DELIVERY_STATES, MESSAGE_KINDS, verifyWebhook } from '../../src/notify/index.ts'
import { ask, auditRows, deliveryRows, dispatchAll, type NotifyTarget, setUp } from './notify-fixtures.ts'

export const ADMIN: AuditActor = { type: 'user', id: 'ada' }
const DANA = { id: 'dana', groups: [] }

export function describeDispatch(target: NotifyTarget): void {
  describe(`notification outbox on ${target.dialect}`, () => {
    it('stores every channel, kind and state the core names', async (t) => {
      const s = await setUp(t, target)
      const at = s.clock.now().toISOString()
      const values = [
        ...DELIVERY_CHANNELS.map((channel) => ({ channel })),
        ...MESSAGE_KINDS.map((kind) => ({ kind })),
        ...DELIVERY_STATES.map((state) => ({ state })),
      ]
      for (const [i, value] of values.entries()) {
        await s.handle.db
          .insertInto('notify_deliveries')
          .values({
            ...{ id: `d${i}`, channel: 'slack', kind: 'outcome', target: 'slack', subscription_id: null },
            ...{ recipient: null, event_seq: i + 1, event_id: `e${i}`, event_type: 'request.approved' },
            ...{ subject_id: 'r', payload: '{}', next_attempt_at: at, last_status: null, last_error: null },
            ...{ external_ref: null, created_at: at, updated_at: at, delivered_at: null },
            ...value,
          })
          .execute()
      }
      assert.equal((await deliveryRows(s.handle)).length, values.length)
    })

    it('turns each audit event into its deliveries once, from the subscription on', async (t) => {
      const s = await setUp(t, target)
      const early = await ask(s, 'pg://prod/public.orders')
      const requests = await s.webhooks.create(
        { url: `${s.hook.url}/requests`, events: ['request.*'] },
        ADMIN,
      )
      const grants = await s.webhooks.create({ url: `${s.hook.url}/grants`, events: ['grant.*'] }, ADMIN)
      const request = await ask(s, 'pg://prod/public.customers')
      await s.approvals.approve(request.id, DANA)
      assert.equal(await dispatchAll(s), 8)

      const rows = await deliveryRows(s.handle)
      const sub = (id: string) => (id === requests.subscription.id ? 'requests' : 'grants')
      assert.deepEqual(
        rows.map((r) => [
          r.subject_id === early.id ? 'early' : 'later',
          r.event_type,
          r.target.replace(/[0-9a-f-]{36}/, sub),
        ]),
        [
          ['early', 'request.created', 'email:dana'],
          ['early', 'request.created', 'email:dave'],
          ['early', 'request.created', 'slack'],
          // Approved before the dispatcher saw it: nobody is asked to approve it any more.
          ['later', 'request.created', 'webhook:requests'],
          ['later', 'request.approved', 'email:bob'],
          ['later', 'request.approved', 'slack'],
          ['later', 'request.approved', 'webhook:requests'],
          ['later', 'grant.created', 'webhook:grants'],
        ],
      )
      assert.ok(rows.every((r) => r.state === 'pending' && r.attempts === 0))
      assert.equal(grants.subscription.consecutiveFailures, 0)
      assert.equal(await dispatchAll(s), 0)
      const head = await s.handle.db.selectFrom('audit_head').select('seq').executeTakeFirstOrThrow()
      const cursor = await s.handle.db.selectFrom('notify_cursor').select('seq').executeTakeFirstOrThrow()
      assert.equal(cursor.seq, head.seq)

      // Even a cursor set back (a restored backup, a bug) makes no second delivery.
      await s.handle.db.updateTable('notify_cursor').set({ seq: 0 }).execute()
      assert.equal(await dispatchAll(s), 0)
      assert.equal((await deliveryRows(s.handle)).length, 8)
    })

    it('reads whole only the events someone is to hear of, and still moves past the rest', async (t) => {
      const s = await setUp(t, target)
      await s.webhooks.create({ url: `${s.hook.url}/grants`, events: ['grant.*'] }, ADMIN)
      // What the gateway writes for every few milliseconds of reads: nobody subscribed to it.
      const reads = { actor: { type: 'user', id: 'bob' }, type: 'db.statements' } as const
      await s.store.transact((tx) =>
        tx.audit(
          [1, 2, 3].map((n) => ({ ...reads, subject: { type: 'connection', id: `c${n}` }, details: { n } })),
        ),
      )
      const request = await ask(s, 'pg://prod/public.customers')
      await s.approvals.approve(request.id, DANA)
      const loaded: string[] = []
      const transact = s.store.transact.bind(s.store)
      s.store.transact = (fn) =>
        transact((tx) =>
          fn({
            ...tx,
            events: {
              ...tx.events,
              load: async (seqs) => {
                const events = await tx.events.load(seqs)
                loaded.push(...events.map((e) => e.type))
                return events
              },
            },
          }),
        )
      // grant.created to its webhook; request.approved to bob and Slack; request.created to nobody
      // (approved before the dispatcher saw it), but read to know that.
      assert.equal(await dispatchAll(s), 3)
      assert.deepEqual(loaded.sort(), ['grant.created', 'request.approved', 'request.created'])
      const head = await s.handle.db.selectFrom('audit_head').select('seq').executeTakeFirstOrThrow()
      const cursor = await s.handle.db.selectFrom('notify_cursor').select('seq').executeTakeFirstOrThrow()
      assert.equal(cursor.seq, head.seq)
    })

    it('signs webhooks, retries a failing endpoint with backoff and logs each attempt', async (t) => {
      const s = await setUp(t, target, { webhookAnswer: (_, n) => ({ status: n < 2 ? 503 : 204 }) })
      const { subscription, secret } = await s.webhooks.create(
        { url: `${s.hook.url}/in`, events: ['request.created'] },
        ADMIN,
      )
      const request = await ask(s, 'pg://prod/public.customers')
      await dispatchAll(s)
      const states = async () =>
        (await s.webhooks.deliveries(subscription.id, {})).items.map((d) => [
          d.state,
          d.attempts,
          d.lastStatus,
          d.lastError,
        ])

      await s.sender.sendDue()
      assert.deepEqual(await states(), [['failed', 1, 503, 'HTTP 503']])
      await s.sender.sendDue()
      assert.equal(s.hook.received.length, 1, 'not due again before its backoff')
      s.clock.advance(1)
      await s.sender.sendDue()
      assert.deepEqual(await states(), [['failed', 2, 503, 'HTTP 503']])
      s.clock.advance(2)
      await s.sender.sendDue()
      assert.deepEqual(await states(), [['delivered', 3, 204, undefined]])

      const [delivery] = (await s.webhooks.deliveries(subscription.id, {})).items
      assert.equal(s.hook.received.length, 3)
      for (const received of s.hook.received) {
        const headers = received.headers as Record<string, string>
        assert.equal(verifyWebhook(secret, headers, received.body, { now: s.clock.now() }), delivery?.id)
        assert.equal(headers['content-type'], 'application/json')
      }
      const body = JSON.parse(s.hook.received[0]?.body ?? '{}')
      assert.equal(body.type, 'request.created')
      assert.deepEqual(body.data.subject, { type: 'request', id: request.id })
      assert.deepEqual(body.data.actor, { type: 'user', id: 'bob' })
      assert.equal(s.hook.received[0]?.body.includes('INC-2291'), false, 'no free text people typed')
    })

    it('gives up after the schedule, disables an endpoint that keeps failing, and sends what waited once enabled', async (t) => {
      let up = false
      const s = await setUp(t, target, {
        webhookAnswer: () => ({ status: up ? 200 : 500 }),
        retryScheduleMs: [1_000],
        disableAfterFailures: 1,
      })
      const { subscription } = await s.webhooks.create(
        { url: `${s.hook.url}/in`, events: ['request.created'] },
        ADMIN,
      )
      await ask(s, 'pg://prod/a')
      await dispatchAll(s)
      await s.sender.sendDue()
      s.clock.advance(0.5)
      await ask(s, 'pg://prod/b')
      await dispatchAll(s)
      await s.sender.sendDue()
      s.clock.advance(0.5)
      await s.sender.sendDue()
      const log = async () =>
        (await s.webhooks.deliveries(subscription.id, {})).items.map((d) => [d.state, d.attempts])
      assert.deepEqual(await log(), [
        ['failed', 1],
        ['dead', 2],
      ])
      const disabled = await s.webhooks.get(subscription.id)
      assert.equal(disabled.disabledReason, '1 deliveries in a row failed every attempt')
      assert.equal(disabled.consecutiveFailures, 1)
      const audit = (await auditRows(s.handle)).filter((e) => e.type.startsWith('webhook.'))
      assert.deepEqual(
        audit.map((e) => [e.type, e.actor.id]),
        [
          ['webhook.created', 'ada'],
          ['webhook.disabled', 'jitgate'],
        ],
      )

      s.clock.advance(5)
      await s.sender.sendDue()
      assert.equal(s.hook.received.length, 3, 'a disabled endpoint gets nothing')
      await ask(s, 'pg://prod/c')
      await dispatchAll(s)
      assert.equal((await log()).length, 2, 'and no new deliveries')

      up = true
      const enabled = await s.webhooks.enable(subscription.id, ADMIN)
      assert.equal(enabled.disabledAt, undefined)
      assert.equal(enabled.consecutiveFailures, 0)
      await s.sender.sendDue()
      assert.deepEqual(await log(), [
        ['delivered', 2],
        ['dead', 2],
      ])
    })

    it('sends a delivery again when the node that claimed it died before recording', async (t) => {
      const s = await setUp(t, target)
      await s.webhooks.create({ url: `${s.hook.url}/in`, events: ['request.created'] }, ADMIN)
      await ask(s, 'pg://prod/public.customers')
      await dispatchAll(s)
      const claimed = await s.store.transact((tx) =>
        tx.deliveries.claimDue(s.clock.now(), 100, new Date(s.clock.now().getTime() + 30_000)),
      )
      assert.equal(claimed.length, 4)
      await s.sender.sendDue()
      assert.equal(s.hook.received.length, 0, 'claimed by the node that died')
      s.clock.advance(31)
      await s.sender.sendDue()
      assert.equal(s.hook.received.length, 1)
      const rows = await deliveryRows(s.handle)
      assert.deepEqual(
        rows.map((r) => [r.target.split(':')[0], r.state, r.attempts]),
        [
          ['email', 'delivered', 2],
          ['email', 'delivered', 2],
          ['slack', 'delivered', 2],
          ['webhook', 'delivered', 2],
        ],
      )
    })
  })
}
