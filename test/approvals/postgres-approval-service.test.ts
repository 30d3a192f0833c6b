// The approval service contract on a real PostgreSQL (DATABASE_URL, else embedded), and
// what only several connections show: concurrent approvals from two nodes.
import assert from 'node:assert/strict'
import { after, describe, it } from 'node:test'
import { startTestPostgres } from '../store/postgres-harness.ts'
import { auditRows, ERIN, MIA, openMigrated } from './approval-fixtures.ts'
import { ask, describeApprovalService, services, setUp } from './approval-service-suite.ts'

const postgres = await startTestPostgres()
after(() => postgres.stop())
const target = { dialect: 'postgres' as const, newDatabase: () => postgres.migratedDatabase() }

describeApprovalService(target)

describe('approval service on PostgreSQL with two nodes', () => {
  it('counts an approver once when they approve from two nodes at the same time', async (t) => {
    const s = await setUp(t, target)
    const other = services(await openMigrated(t, s.url), s.clock)
    const request = await ask(s, 'pg://prod/public.customers')
    const results = await Promise.all([
      s.approvals.approve(request.id, ERIN),
      other.approvals.approve(request.id, ERIN),
    ])
    assert.deepEqual(
      results.map((r) => r.votes.length),
      [1, 1],
    )
    const stored = await s.approvals.get(request.id)
    assert.deepEqual(
      stored.votes.map((v) => v.approverId),
      ['erin'],
    )
    const votes = (await auditRows(s.handle)).filter((e) => e.type === 'request.vote')
    assert.equal(votes.length, 1)
  })

  it('approves once, with one grant, when the peer and the manager approve at the same time', async (t) => {
    const s = await setUp(t, target)
    const other = services(await openMigrated(t, s.url), s.clock)
    const request = await ask(s, 'pg://prod/public.customers')
    await Promise.all([s.approvals.approve(request.id, ERIN), other.approvals.approve(request.id, MIA)])
    const stored = await s.approvals.get(request.id)
    assert.equal(stored.state, 'approved')
    assert.deepEqual(stored.votes.map((v) => v.approverId).sort(), ['erin', 'mia'])
    const types = (await auditRows(s.handle)).map((e) => e.type)
    assert.deepEqual(types, ['request.created', 'request.vote', 'request.approved', 'grant.created'])
    assert.equal((await s.grants.activeGrantFacts('bob')).length, 1)
  })
})
