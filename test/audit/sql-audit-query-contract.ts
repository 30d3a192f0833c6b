// SqlAuditStore.query on a real database, run on SQLite and PostgreSQL: every filter alone
// and combined, cursor pages (empty ones, the end, a cursor kept while events are appended),
// the capped limit, and the 400 for a cursor or filter the API cannot take.
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { describe, it, type TestContext } from 'node:test'
import { type AuditDraft, appendEvents, GENESIS_HEAD, headAfter } from '../../src/audit/index.ts'
import { type AuditPage, AuditQueryError, encodeCursor, SqlAuditStore } from '../../src/store/index.ts'
import { openMigrated } from './audit-fixtures.ts'
import type { AuditStoreTarget } from './sql-audit-store-contract.ts'

const T1 = '2026-11-23T10:00:00.000Z'
const T2 = '2026-11-23T11:00:00.000Z'
const T3 = '2026-11-23T12:00:00.000Z'

function event(actor: string, type: string, subject: string): AuditDraft {
  const [subjectType = '', subjectId = ''] = subject.split('/')
  return {
    actor: { type: actor === 'sweeper' ? 'system' : 'user', id: actor },
    type: type as AuditDraft['type'],
    subject: { type: subjectType, id: subjectId },
    details: { note: `${actor} ${type}` },
  }
}

/** Ten events in three batches at T1, T2 and T3 (seqs 1-3, 4-7, 8-10). */
const BATCHES: readonly (readonly [string, readonly AuditDraft[]])[] = [
  [
    T1,
    [
      event('alice', 'decision.made', 'action/a1'),
      event('bob', 'request.created', 'request/r1'),
      event('alice', 'request.approved', 'request/r1'),
    ],
  ],
  [
    T2,
    [
      event('sweeper', 'request.expired', 'request/r2'),
      event('alice', 'grant.created', 'grant/g1'),
      event('bob', 'request.approved', 'request/r1'),
      event('alice', 'decision.made', 'action/a2'),
    ],
  ],
  [
    T3,
    [
      event('alice', 'request.rejected', 'request/r3'),
      event('carol', 'requests.listed', 'request/r1'),
      event('bob', 'decision.made', 'action/a1'),
    ],
  ],
]

async function append(store: SqlAuditStore, batches: typeof BATCHES): Promise<void> {
  let head = (await store.head()) ?? GENESIS_HEAD
  for (const [time, drafts] of batches) {
    const events = appendEvents(
      head,
      drafts,
      drafts.map(() => randomUUID()),
      () => new Date(time),
    )
    await store.appendBatch(events)
    head = headAfter(head, events)
  }
}

const seqs = (page: AuditPage) => page.events.map((row) => row.seq)

export function describeAuditQueryContract(target: AuditStoreTarget): void {
  const seeded = async (t: TestContext, batches = BATCHES) => {
    const store = new SqlAuditStore(await openMigrated(t, await target.database()))
    await append(store, batches)
    return store
  }

  describe(`SqlAuditStore.query on ${target.dialect}`, () => {
    it('pages through every event by cursor, to an empty page at the end', async (t) => {
      const store = await seeded(t)
      const first = await store.query({ limit: 4 })
      assert.deepEqual([seqs(first), first.hasMore, first.nextCursor], [[1, 2, 3, 4], true, encodeCursor(4)])
      assert.equal(first.events[0]?.detailsJson, '{"note":"alice decision.made"}')
      const second = await store.query({ limit: 4, cursor: first.nextCursor ?? '' })
      assert.deepEqual([seqs(second), second.hasMore], [[5, 6, 7, 8], true])
      const third = await store.query({ limit: 4, cursor: second.nextCursor ?? '' })
      assert.deepEqual([seqs(third), third.hasMore, third.nextCursor], [[9, 10], false, encodeCursor(10)])
      const end = await store.query({ limit: 4, cursor: third.nextCursor ?? '' })
      assert.deepEqual(end, { events: [], nextCursor: null, hasMore: false })
      // The cursor at the end stays good: asked again later, it gives what was appended since.
      await append(store, [[T3, [event('dave', 'decision.made', 'action/a9')]]])
      const later = await store.query({ limit: 4, cursor: third.nextCursor ?? '' })
      assert.deepEqual([seqs(later), later.hasMore], [[11], false])
    })

    it('filters by type prefix, actor, subject and time, alone and combined', async (t) => {
      const store = await seeded(t)
      const cases: [Parameters<SqlAuditStore['query']>[0], number[]][] = [
        [{ typePrefix: 'request.' }, [2, 3, 4, 6, 8]],
        [{ typePrefix: 'request' }, [2, 3, 4, 6, 8, 9]],
        [{ typePrefix: 'request.approved' }, [3, 6]],
        [{ typePrefix: 'request.approvedx' }, []],
        [{ actorId: 'alice' }, [1, 3, 5, 7, 8]],
        [{ subjectType: 'request' }, [2, 3, 4, 6, 8, 9]],
        [{ subjectType: 'request', subjectId: 'r1' }, [2, 3, 6, 9]],
        [{ since: T2 }, [4, 5, 6, 7, 8, 9, 10]],
        [{ until: T2 }, [1, 2, 3]],
        [{ since: T2, until: T3 }, [4, 5, 6, 7]],
        [{ since: T3, until: T3 }, []],
        [{ typePrefix: 'request.', actorId: 'alice', until: T3 }, [3]],
        [{ typePrefix: 'request.', subjectType: 'request', subjectId: 'r1', since: T2 }, [6]],
        [{ actorId: 'alice', subjectType: 'action', subjectId: 'a1' }, [1]],
        [{ actorId: 'nobody' }, []],
      ]
      for (const [query, expected] of cases)
        assert.deepEqual(seqs(await store.query(query)), expected, JSON.stringify(query))
    })

    it('pages through a filtered query, skipping the events it does not match', async (t) => {
      const store = await seeded(t)
      const query = { subjectType: 'request', subjectId: 'r1', limit: 2 }
      const first = await store.query(query)
      assert.deepEqual([seqs(first), first.hasMore], [[2, 3], true])
      const second = await store.query({ ...query, cursor: first.nextCursor ?? '' })
      assert.deepEqual([seqs(second), second.hasMore, second.nextCursor], [[6, 9], false, encodeCursor(9)])
      const none = await store.query({ ...query, typePrefix: 'grant.' })
      assert.deepEqual(none, { events: [], nextCursor: null, hasMore: false })
    })

    it('gives empty pages on an empty log and past the head', async (t) => {
      const store = new SqlAuditStore(await openMigrated(t, await target.database()))
      assert.deepEqual(await store.query({}), { events: [], nextCursor: null, hasMore: false })
      await append(store, BATCHES)
      assert.deepEqual(await store.query({ cursor: encodeCursor(1000) }), {
        events: [],
        nextCursor: null,
        hasMore: false,
      })
    })

    it('defaults to 100 events a page and caps the limit at 1,000', async (t) => {
      const drafts = Array.from({ length: 1001 }, (_, i) =>
        event(`user-${i}`, 'decision.made', `action/${i}`),
      )
      const store = await seeded(t, [[T1, drafts]])
      const byDefault = await store.query({})
      assert.deepEqual([byDefault.events.length, byDefault.hasMore], [100, true])
      const capped = await store.query({ limit: 5000 })
      assert.deepEqual(
        [capped.events.length, capped.hasMore, capped.nextCursor],
        [1000, true, encodeCursor(1000)],
      )
    })

    it('refuses a cursor it did not make with a 400 naming the field', async (t) => {
      const store = await seeded(t)
      const forged = [
        'not a cursor',
        '',
        '42',
        Buffer.from('seq:0').toString('base64url'),
        Buffer.from('seq:-1').toString('base64url'),
        Buffer.from('seq:01').toString('base64url'),
        Buffer.from('seq:9007199254740993').toString('base64url'),
        `${encodeCursor(4)}=`,
        encodeCursor(4).slice(0, -1),
      ]
      for (const cursor of forged) {
        await assert.rejects(store.query({ cursor }), (error: unknown) => {
          assert.ok(error instanceof AuditQueryError, cursor)
          assert.equal(error.status, 400)
          assert.deepEqual(error.toJSON(), {
            code: 'audit_query_invalid',
            message:
              'the audit query is invalid: cursor is not a cursor this API returned: pass nextCursor unchanged',
            details: [
              { path: 'cursor', message: 'is not a cursor this API returned: pass nextCursor unchanged' },
            ],
          })
          return true
        })
      }
    })

    it('names every invalid filter at once', async (t) => {
      const store = await seeded(t)
      const query = {
        typePrefix: 'Request.%',
        actorId: '',
        subjectId: 'r1',
        since: '2026-02-30T00:00:00.000Z',
        until: '2026-11-23',
        limit: 0,
        cursor: 'x',
      }
      await assert.rejects(store.query(query), (error: unknown) => {
        assert.ok(error instanceof AuditQueryError)
        assert.equal(error.code, 'audit_query_invalid')
        assert.deepEqual(
          error.details.map((detail) => detail.path),
          ['typePrefix', 'actorId', 'subjectId', 'since', 'until', 'limit', 'cursor'],
        )
        assert.equal(
          error.message,
          'the audit query is invalid: typePrefix must be 1 to 64 lowercase letters, digits, _ or ., like request.',
        )
        return true
      })
    })
  })
}
