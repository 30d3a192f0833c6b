// The demo's sample database: made in the data directory on the first start, seeded once with
// plainly synthetic rows in the tables the example classifications name, kept across
// restarts, and reached by the gateway's own role, which is no superuser.
import assert from 'node:assert/strict'
import { rm } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import pg from 'pg'
import {
  SAMPLE_DATABASE,
  samplePasswords,
  seedSampleDatabase,
  startSamplePostgres,
} from '../../src/app/demo/sample-postgres.ts'
import { tempDir } from '../helpers/temp-dir.ts'

const COUNTS = `select
  (select count(*) from public.customers) as customers,
  (select count(*) from public.orders) as orders,
  (select count(*) from billing.payment_methods) as payment_methods,
  (select count(*) from public.sessions) as sessions,
  (select count(*) from support.tickets) as tickets`
const SEEDED = { customers: '24', orders: '48', payment_methods: '24', sessions: '36', tickets: '12' }

async function query<T extends pg.QueryResultRow>(url: string, password: string, text: string) {
  const withPassword = new URL(url)
  withPassword.password = password
  const client = new pg.Client({ connectionString: withPassword.toString() })
  await client.connect()
  try {
    return (await client.query<T>(text)).rows
  } finally {
    await client.end()
  }
}

describe('the demo’s sample database', () => {
  it('is made and seeded on the first start, and kept as it is across restarts', async (t) => {
    const dataDir = await tempDir(t)
    const passwords = await samplePasswords(dataDir)
    assert.deepEqual(await samplePasswords(dataDir), passwords, 'the passwords are kept')
    const first = await startSamplePostgres({ dataDir, passwords })
    t.after(() => first.stop())
    assert.equal(first.seeded, true)
    assert.equal(first.server.initialised, true)
    const { upstreamUrl } = first
    assert.equal(upstreamUrl, `postgres://jitgate@127.0.0.1:${first.server.port}/${SAMPLE_DATABASE}`)
    assert.deepEqual(await query(upstreamUrl, passwords.gateway, COUNTS), [SEEDED])

    // Plainly synthetic: reserved domains, numbers and address ranges.
    const people = await query<{ email: string; ssn: string; phone: string }>(
      upstreamUrl,
      passwords.gateway,
      'select email, ssn, phone from public.customers',
    )
    for (const person of people) {
      assert.match(person.email, /@example\.com$/)
      assert.match(person.ssn, /^000-00-\d{4}$/)
      assert.match(person.phone, /^\+1 555 01\d\d$/)
    }
    const ips = await query<{ ip: string }>(
      upstreamUrl,
      passwords.gateway,
      'select host(ip_address) as ip from public.sessions',
    )
    for (const { ip } of ips) assert.match(ip, /^(192\.0\.2|198\.51\.100|203\.0\.113)\./)

    // The gateway's role reads and writes rows, and nothing more.
    await query(
      upstreamUrl,
      passwords.gateway,
      "update support.tickets set status = 'open' where id = 'tkt_0002'",
    )
    await assert.rejects(
      query(upstreamUrl, passwords.gateway, 'create table public.probe (id int)'),
      /permission denied for schema public/,
    )

    // Seeding again changes nothing, and what someone changed stays.
    assert.deepEqual(await seedSampleDatabase(first.server.url, passwords.gateway), { seeded: false })
    await first.stop()
    const again = await startSamplePostgres({ dataDir, passwords })
    t.after(() => again.stop())
    assert.deepEqual([again.seeded, again.server.initialised], [false, false])
    assert.deepEqual(await query(again.upstreamUrl, passwords.gateway, COUNTS), [SEEDED])
    const [ticket] = await query<{ status: string }>(
      again.upstreamUrl,
      passwords.gateway,
      "select status from support.tickets where id = 'tkt_0002'",
    )
    assert.equal(ticket?.status, 'open')
  })

  it('starts over when its passwords are lost: the cluster holds sample data only', async (t) => {
    const dataDir = await tempDir(t)
    const first = await startSamplePostgres({ dataDir, passwords: await samplePasswords(dataDir) })
    await first.stop()
    await rm(join(dataDir, 'sample-postgres.json'))
    const passwords = await samplePasswords(dataDir)
    const fresh = await startSamplePostgres({ dataDir, passwords })
    t.after(() => fresh.stop())
    assert.deepEqual([fresh.server.initialised, fresh.seeded], [true, true])
  })
})
