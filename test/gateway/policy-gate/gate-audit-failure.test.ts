// The gate fails closed when the audit log fails: a read already sent still completes (its
// event is lost and logged), and from then on every statement waits for its own event to be
// durable and is refused when it cannot be, until a write succeeds again. The audit log is
// made to fail for real: a trigger on the SQLite store aborts every insert into the log.
import assert from 'node:assert/strict'
import { after, describe, it } from 'node:test'
import type { PgError } from '../../helpers/pg-failure.ts'
import { startGateHarness } from './gate-harness.ts'
import { POLICY, SCHEMA } from './gate-policy.ts'

const h = await startGateHarness({ policy: POLICY, schema: SCHEMA })
after(() => h.close())

// A trigger, not a pragma on one connection: the audit log may write on a connection of its own.
async function failing(on: boolean): Promise<void> {
  const sqlite = h.store.sqlite
  if (sqlite === undefined) assert.fail('the test store is SQLite')
  await sqlite.run((database) =>
    database.exec(
      on
        ? "CREATE TRIGGER audit_fails BEFORE INSERT ON audit_events BEGIN SELECT RAISE(ABORT, 'the disk is full'); END"
        : 'DROP TRIGGER IF EXISTS audit_fails',
    ),
  )
}

describe('an audit log that fails', () => {
  it('closes the gate until it recovers', async (t) => {
    const bob = await h.gateway.connect(t, 'bob')
    assert.deepEqual((await bob.query('SELECT id FROM events WHERE id = 1')).rows, [{ id: 1 }])
    await h.gate.flush()
    await failing(true)
    t.after(() => failing(false))
    // Sent while the log still looked healthy: it runs, and its event cannot be written.
    assert.deepEqual((await bob.query('SELECT id FROM events WHERE id = 2')).rows, [{ id: 2 }])
    await h.gate.flush()
    assert.ok(
      h.logs.some(
        (entry) =>
          entry.level === 'error' &&
          entry.message ===
            'the audit log could not record a statement that ran; statements now wait for their events',
      ),
    )
    for (const sql of ['SELECT id FROM events WHERE id = 3', 'BEGIN']) {
      const refused = await bob.query(sql).then(
        () => assert.fail(`${sql} ran without its audit event`),
        (error: PgError) => error,
      )
      assert.deepEqual(
        [refused.code, refused.message, refused.hint],
        [
          '58000',
          'jitgate cannot write its audit log, so it runs no statement until it can',
          'Try again shortly; tell the jitgate operators if it lasts.',
        ],
      )
    }
    await failing(false)
    assert.deepEqual((await bob.query('SELECT id FROM events WHERE id = 4')).rows, [{ id: 4 }])
    assert.deepEqual((await bob.query('SELECT id FROM events WHERE id = 5')).rows, [{ id: 5 }])
    const texts = (await h.statements()).map((d) => d.outcome)
    // 1 ran; 2 lost; 3 and BEGIN refused, unrecorded; 4 recorded before it ran, then 5 after.
    assert.deepEqual(texts, ['ran', 'forwarded', 'ran'])
  })
})
