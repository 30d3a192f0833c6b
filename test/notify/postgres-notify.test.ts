// The notification contract on a real PostgreSQL (DATABASE_URL, else embedded), and what only
// several nodes show: dispatchers racing over the same audit events create each delivery
// once, and senders racing over the same outbox send each delivery once.
import assert from 'node:assert/strict'
import { after, describe, it } from 'node:test'
import { startTestPostgres } from '../store/postgres-harness.ts'
import { describeChannels } from './channels-suite.ts'
import { ADMIN, describeDispatch } from './dispatch-suite.ts'
import { ask, deliveryRows, dispatchAll, openMigrated, services, setUp } from './notify-fixtures.ts'

const postgres = await startTestPostgres()
after(() => postgres.stop())
const target = { dialect: 'postgres' as const, newDatabase: () => postgres.migratedDatabase() }

describeDispatch(target)
describeChannels(target)

describe('notifications on PostgreSQL with several nodes', () => {
  it('creates each delivery once when three dispatchers race', async (t) => {
    const s = await setUp(t, target)
    // Small batches, so that the nodes take turns many times.
    const small = { dispatchBatch: 2 }
    const others = await Promise.all([1, 2].map(async () => openMigrated(t, s.url)))
    const nodes = [s.handle, ...others].map((handle) => services(t, handle, s.clock, s.settings, small))
    // `*` matches its own webhook.created too: it is after the subscription's start.
    await s.webhooks.create({ url: `${s.hook.url}/in`, events: ['*'] }, ADMIN)
    const asked = await Promise.all(Array.from({ length: 12 }, (_, i) => ask(s, `pg://prod/t${i}`)))
    const head = (await s.handle.db.selectFrom('audit_head').select('seq').executeTakeFirstOrThrow()).seq
    let made = 0
    // Each node keeps going until the cursor reaches the head, whoever moved it.
    const race = async (node: (typeof nodes)[number]) => {
      for (;;) {
        const { deliveries } = await node.dispatcher.dispatchOnce()
        made += deliveries
        const cursor = await s.handle.db.selectFrom('notify_cursor').select('seq').executeTakeFirstOrThrow()
        if (cursor.seq === head) return
      }
    }
    await Promise.all(nodes.map(race))
    assert.equal(made, 1 + 12 * 4, 'webhook, Slack and two emails per request')
    const rows = await deliveryRows(s.handle)
    assert.equal(rows.length, 49)
    assert.equal(new Set(rows.map((r) => `${r.event_seq}/${r.target}`)).size, 49)
    const requests = new Set(rows.filter((r) => r.event_type === 'request.created').map((r) => r.subject_id))
    assert.deepEqual(requests, new Set(asked.map((r) => r.id)))
  })

  it('sends each delivery once when three senders race', async (t) => {
    const s = await setUp(t, target)
    const nodes = [
      s,
      ...(await Promise.all(
        [1, 2].map(async () => services(t, await openMigrated(t, s.url), s.clock, s.settings)),
      )),
    ]
    await s.webhooks.create({ url: `${s.hook.url}/in`, events: ['request.created'] }, ADMIN)
    for (let i = 0; i < 30; i++) await ask(s, `pg://prod/t${i}`)
    await dispatchAll(s)
    const drain = async (node: (typeof nodes)[number]) => {
      while (await node.sender.sendDue()) {}
    }
    await Promise.all(nodes.map(drain))
    await Promise.all(nodes.map(drain))
    const ids = s.hook.received.map((r) => r.headers['webhook-id'])
    assert.equal(ids.length, 30)
    assert.equal(new Set(ids).size, 30)
    const rows = await deliveryRows(s.handle)
    assert.ok(rows.every((r) => r.state === 'delivered' && r.attempts === 1))
  })
})
