// The store contract: one suite that SQLite and PostgreSQL must both pass, so that the
// services above them can rely on the same behaviour from either.
import assert from 'node:assert/strict'
import { describe, it, type TestContext } from 'node:test'
import { Migrator } from 'kysely'
import {
  constraintViolation,
  type Dialect,
  EXECUTION_STATES,
  GRANT_MODES,
  GRANT_STATES,
  migrateToLatest,
  migrationStatus,
  REQUEST_STATES,
  TABLE_NAMES,
  VOTES,
  withTransaction,
} from '../../src/store/index.ts'
import { schemaSnapshot } from './schema-snapshot.ts'
import { appendAuditEvent, claimOne, open, seedExecutions } from './store-operations.ts'
import { executionRow, requestRow, sleep, T0, T1, waitFor } from './store-rows.ts'

export interface ContractTarget {
  readonly dialect: Dialect
  /** A URL of a new, empty database. */
  emptyDatabase(): Promise<string>
  /** A URL of a new database with every migration applied. */
  migratedDatabase(): Promise<string>
}

/** Every migration, in the order it runs. */
export const MIGRATIONS = [
  '0001_initial',
  '0002_approval_records',
  '0003_executions',
  '0004_api_keys',
  '0005_notifications',
  '0006_api_key_scram',
]

export const EXPECTED_INDEXES = [
  'api_keys_subject_idx',
  'approval_comments_request_idx',
  'approval_requests_requester_idx',
  'approval_requests_state_escalate_idx',
  'approval_requests_state_expires_idx',
  'audit_events_subject_idx',
  'audit_events_time_idx',
  'audit_events_type_idx',
  'execution_limits_key_idx',
  'executions_lease_idx',
  'executions_queue_idx',
  'grants_actor_active_idx',
  'grants_state_expires_idx',
  'notify_deliveries_due_idx',
  'notify_deliveries_state_updated_idx',
  'notify_deliveries_subject_idx',
  'notify_deliveries_subscription_idx',
]

export function describeStoreContract(target: ContractTarget): void {
  const migrated = async (t: TestContext) => open(t, await target.migratedDatabase())

  describe(`store contract (${target.dialect})`, () => {
    it('applies the migrations from scratch, and a second run changes nothing', async (t) => {
      const url = await target.emptyDatabase()
      const first = await open(t, url)
      assert.equal(first.dialect, target.dialect)
      assert.deepEqual(await migrationStatus(first), {
        applied: [],
        pending: MIGRATIONS,
      })
      assert.deepEqual(await migrateToLatest(first), MIGRATIONS)
      assert.deepEqual(await migrateToLatest(first), [])
      const again = await open(t, url)
      assert.deepEqual(await migrateToLatest(again), [])
      assert.deepEqual(await migrationStatus(again), {
        applied: MIGRATIONS,
        pending: [],
      })
    })

    it('creates every table and index, and the empty audit chain head', async (t) => {
      const handle = await migrated(t)
      const snapshot = await schemaSnapshot(handle)
      const tables = Object.keys(snapshot.tables).filter((name) => !name.startsWith('jitgate_migrations'))
      assert.deepEqual(tables.sort(), [...TABLE_NAMES].sort())
      assert.deepEqual(snapshot.indexes, EXPECTED_INDEXES)
      const head = await handle.db.selectFrom('audit_head').selectAll().execute()
      assert.deepEqual(head, [{ id: 1, seq: 0, hash: '0'.repeat(64) }])
    })

    it('runs each migration in a transaction: a failed one leaves nothing behind', async (t) => {
      const handle = await open(t, await target.emptyDatabase())
      await handle.db.schema.createTable('grants').addColumn('id', 'text').execute()
      await assert.rejects(migrateToLatest(handle), (error: Error & { code?: string }) => {
        assert.equal(error.code, 'store_migration_failed')
        assert.match(error.message, /^migration 0001_initial failed: .*grants.* already exists/)
        return true
      })
      const tables = (await handle.db.introspection.getTables()).map((table) => table.name)
      assert.deepEqual(tables.filter((name) => !name.startsWith('jitgate_migrations')).sort(), ['grants'])
      const migrator = new Migrator({
        db: handle.db,
        migrationTableName: 'other_migrations',
        migrationLockTableName: 'other_migrations_lock',
        provider: {
          getMigrations: async () => ({
            '0001_half': {
              up: async (db) => {
                await db.schema.createTable('half_done').addColumn('id', 'text').execute()
                throw new Error('boom')
              },
            },
          }),
        },
      })
      assert.equal((await migrator.migrateToLatest()).error instanceof Error, true)
      const after = (await handle.db.introspection.getTables()).map((table) => table.name)
      assert.equal(after.includes('half_done'), false)
    })

    it('refuses what the schema forbids, with the same constraint kind', async (t) => {
      const { db } = await migrated(t)
      await db.insertInto('approval_requests').values(requestRow('r1')).execute()
      const vote = { request_id: 'r1', approver_id: 'bob', vote: 'approve' as const, created_at: T0 }
      await db.insertInto('approval_votes').values(vote).execute()
      const cases: [string, () => Promise<unknown>, string][] = [
        [
          'a second vote by one approver',
          () => db.insertInto('approval_votes').values(vote).execute(),
          'unique',
        ],
        [
          'a vote on a missing request',
          () =>
            db
              .insertInto('approval_votes')
              .values({ ...vote, request_id: 'nope' })
              .execute(),
          'foreign_key',
        ],
        [
          'an unknown state',
          () =>
            db
              .insertInto('approval_requests')
              .values(requestRow('r2', { state: 'maybe' as 'pending' }))
              .execute(),
          'check',
        ],
        [
          'a time not in ISO form',
          () =>
            db
              .insertInto('approval_requests')
              .values(requestRow('r3', { created_at: '2026-11-23 10:00:00' }))
              .execute(),
          'check',
        ],
        [
          'a missing verb',
          () =>
            db
              .insertInto('approval_requests')
              .values(requestRow('r4', { verb: null as unknown as string }))
              .execute(),
          'not_null',
        ],
      ]
      for (const [what, write, kind] of cases) {
        await assert.rejects(write(), (error) => constraintViolation(error) === kind, what)
      }
    })

    it('accepts every state, vote and mode that schema.ts names', async (t) => {
      const { db } = await migrated(t)
      for (const state of REQUEST_STATES) {
        await db.insertInto('approval_requests').values(requestRow(state, { state })).execute()
      }
      for (const [i, vote] of VOTES.entries()) {
        await db
          .insertInto('approval_votes')
          .values({ request_id: 'pending', approver_id: `a${i}`, vote, created_at: T0 })
          .execute()
      }
      for (const mode of GRANT_MODES) {
        for (const state of GRANT_STATES) {
          const grant = {
            id: `${mode}-${state}`,
            request_id: `${mode}-${state}`,
            actor_id: 'alice',
            mode,
            state,
          }
          await db.insertInto('approval_requests').values(requestRow(grant.request_id)).execute()
          const window = {
            verb: 'db.query',
            resource: 'pg://x',
            starts_at: T0,
            expires_at: T1,
            created_at: T0,
          }
          await db
            .insertInto('grants')
            .values({ ...grant, ...window })
            .execute()
        }
      }
      // One execution per request: they borrow the requests made above.
      for (const [i, state] of EXECUTION_STATES.entries()) {
        const execution = executionRow(`e-${state}`, REQUEST_STATES[i] ?? '', T0)
        await db
          .insertInto('executions')
          .values({ ...execution, state })
          .execute()
      }
    })

    it('rolls a failed transaction back completely and rethrows its error', async (t) => {
      const handle = await migrated(t)
      const boom = new Error('boom')
      await assert.rejects(
        withTransaction(handle, async (trx) => {
          await trx.insertInto('approval_requests').values(requestRow('r1')).execute()
          await trx
            .insertInto('approval_votes')
            .values({ request_id: 'r1', approver_id: 'bob', vote: 'approve', created_at: T0 })
            .execute()
          throw boom
        }),
        (error) => error === boom,
      )
      const counts = await Promise.all([
        handle.db
          .selectFrom('approval_requests')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirst(),
        handle.db
          .selectFrom('approval_votes')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirst(),
      ])
      assert.deepEqual(
        counts.map((row) => row?.n),
        [0, 0],
      )
    })

    it('updates nothing when the row version is stale', async (t) => {
      const { db } = await migrated(t)
      await db.insertInto('approval_requests').values(requestRow('r1')).execute()
      const decide = (readVersion: number, state: 'approved' | 'rejected') =>
        db
          .updateTable('approval_requests')
          .set((eb) => ({ state, decided_at: T1, row_version: eb('row_version', '+', 1) }))
          .where('id', '=', 'r1')
          .where('row_version', '=', readVersion)
          .executeTakeFirst()
      assert.equal((await decide(1, 'approved')).numUpdatedRows, 1n)
      assert.equal((await decide(1, 'rejected')).numUpdatedRows, 0n)
      const row = await db
        .selectFrom('approval_requests')
        .select(['state', 'row_version'])
        .executeTakeFirstOrThrow()
      assert.deepEqual(row, { state: 'approved', row_version: 2 })
    })

    it('lets concurrent claimers take different rows, oldest first', async (t) => {
      const handle = await migrated(t)
      await seedExecutions(handle, 3)
      const claims = await Promise.all([claimOne(handle, 'node-a'), claimOne(handle, 'node-b')])
      assert.deepEqual([...claims].sort(), ['e0', 'e1'])
      assert.equal(await claimOne(handle, 'node-c'), 'e2')
      assert.equal(await claimOne(handle, 'node-d'), undefined)
      const owners = await handle.db
        .selectFrom('executions')
        .select(['id', 'lease_owner'])
        .orderBy('id')
        .execute()
      assert.deepEqual(new Set(owners.map((row) => row.lease_owner)).size, 3)
    })

    it('serializes appends to the audit chain: gapless sequence, every link intact', async (t) => {
      const handle = await migrated(t)
      await Promise.all(Array.from({ length: 20 }, (_, i) => appendAuditEvent(handle, `ev${i}`)))
      const events = await handle.db
        .selectFrom('audit_events')
        .select(['seq', 'prev_hash', 'hash'])
        .orderBy('seq')
        .execute()
      assert.deepEqual(
        events.map((event) => event.seq),
        Array.from({ length: 20 }, (_, i) => i + 1),
      )
      events.forEach((event, i) => {
        assert.equal(event.prev_hash, i === 0 ? '0'.repeat(64) : `hash-${i}`)
      })
      const head = await handle.db.selectFrom('audit_head').select(['seq', 'hash']).executeTakeFirstOrThrow()
      assert.deepEqual(head, { seq: 20, hash: 'hash-20' })
    })

    it('sends notifications now, or on commit, and never after a rollback', async (t) => {
      const handle = await migrated(t)
      const received: (string | null)[] = []
      const unsubscribe = await handle.notifier.subscribe('jobs', (payload) => received.push(payload))
      await handle.notifier.notify('jobs', 'now')
      assert.deepEqual(await waitFor(received, 1), ['now'])
      await withTransaction(handle, async (trx) => {
        await handle.notifier.notify('jobs', 'on-commit', trx)
        await sleep(50)
        assert.deepEqual(received, ['now'], 'not before the commit')
      })
      assert.deepEqual(await waitFor(received, 2), ['now', 'on-commit'])
      await assert.rejects(
        withTransaction(handle, async (trx) => {
          await handle.notifier.notify('jobs', 'rolled-back', trx)
          throw new Error('boom')
        }),
      )
      await unsubscribe()
      await handle.notifier.notify('jobs', 'after-unsubscribe')
      await sleep(100)
      assert.deepEqual(received, ['now', 'on-commit'])
    })

    it('refuses channel names and payloads that PostgreSQL would not carry', async (t) => {
      const { notifier } = await migrated(t)
      await assert.rejects(notifier.notify('Jobs; drop table x', ''), { code: 'store_channel_invalid' })
      await assert.rejects(
        notifier.subscribe('', () => undefined),
        { code: 'store_channel_invalid' },
      )
      await assert.rejects(notifier.notify('jobs', 'x'.repeat(8000)), { code: 'store_payload_too_large' })
    })

    it('sends from a transaction only when withTransaction opened it', async (t) => {
      const { db, notifier } = await migrated(t)
      await assert.rejects(
        db.transaction().execute((trx) => notifier.notify('jobs', 'x', trx)),
        { code: 'store_not_in_transaction' },
      )
    })
  })
}
