// `jitgate audit verify|export|tail` as real processes on a real store: verification
// passes, then fails naming the event once a row is changed, deleted or swapped in the
// database; exports round-trip; retention keeps verification working. Run on both dialects.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { type AuditEvent, type StoredAuditEvent, verifyChain } from '../../src/audit/index.ts'
import { follow, jitgate, retainUpTo, seed, tamper } from './audit-cli-harness.ts'
import { parseCsv } from './csv.ts'

const SWAP_12_13 = [
  'update audit_events set seq = 1000000 where seq = 12',
  'update audit_events set seq = 12 where seq = 13',
  'update audit_events set seq = 13 where seq = 1000000',
]

const TAMPERING: [string, string[], RegExp][] = [
  [
    'a row is changed',
    [`update audit_events set details = replace(details, '12', '99') where seq = 12`],
    /^broken at event 12: event 12 \(id [0-9a-f-]+\) was changed/,
  ],
  [
    'a row is deleted',
    ['delete from audit_events where seq = 12'],
    /^broken at event 12: event 12 was removed: event 13 \(id [0-9a-f-]+\) follows event 11\n$/,
  ],
  ['two rows are swapped', SWAP_12_13, /^broken at event 12: /],
]

export function describeAuditCli(dialect: string, database: () => Promise<string>): void {
  describe(`jitgate audit on ${dialect}`, () => {
    it('verifies an intact log, with and without an anchor', async (t) => {
      const url = await database()
      const events = await seed(t, url, 30)
      const head = events[29]
      const ok = await jitgate(['audit', 'verify', '--database', url])
      assert.deepEqual(ok, { code: 0, stdout: `ok 30 events verified, head 30 ${head?.hash}\n`, stderr: '' })
      const json = await jitgate(['audit', 'verify', '-d', url, '--json', '--anchor', `30:${head?.hash}`])
      assert.equal(json.code, 0)
      assert.deepEqual(JSON.parse(json.stdout), { ok: true, count: 30, head: { seq: 30, hash: head?.hash } })
      const wrong = await jitgate(['audit', 'verify', '-d', url, '--anchor', `30:${'a'.repeat(64)}`])
      assert.equal(wrong.code, 1)
      assert.match(wrong.stderr, /^broken at event 30: event 30 \(id .*\) does not match the anchored head/)
      const bad = await jitgate(['audit', 'verify', '-d', url, '--anchor', 'latest'])
      assert.equal(bad.code, 2)
      assert.match(bad.stderr, /^error --anchor 'latest' is not SEQ:HASH\n/)
    })

    for (const [what, statements, message] of TAMPERING) {
      it(`fails naming the event when ${what}`, async (t) => {
        const url = await database()
        await seed(t, url, 20)
        await tamper(url, statements)
        const run = await jitgate(['audit', 'verify', '-d', url])
        assert.equal(run.code, 1, run.stderr)
        assert.equal(run.stdout, '')
        assert.match(run.stderr, message)
        const json = await jitgate(['audit', 'verify', '-d', url, '--json'])
        assert.equal(json.code, 1)
        assert.equal(JSON.parse(json.stdout).seq, 12)
      })
    }

    it('exports JSON lines and CSV that verify again, within --since and --until', async (t) => {
      const url = await database()
      const events = await seed(t, url, 25)
      const jsonl = await jitgate(['audit', 'export', '-d', url])
      assert.equal(jsonl.code, 0, jsonl.stderr)
      assert.equal(jsonl.stderr, '', 'no progress bar when stderr is not a terminal')
      const parsed = jsonl.stdout
        .trimEnd()
        .split('\n')
        .map((line) => JSON.parse(line) as AuditEvent)
      assert.deepEqual(
        parsed,
        events.map(({ detailsJson: _text, ...event }) => event),
      )
      assert.equal(verifyChain(parsed).ok, true)
      const csv = await jitgate(['audit', 'export', '-d', url, '--format', 'csv'])
      const rows = parseCsv(csv.stdout).map(csvEvent)
      assert.deepEqual(
        rows,
        events.map(({ details: _details, ...event }) => event),
      )
      assert.equal(verifyChain(rows).ok, true)
      const none = await jitgate(['audit', 'export', '-d', url, '--since', '2026-11-23T15:00:00.001Z'])
      assert.deepEqual(none, { code: 0, stdout: '', stderr: '' })
      const all = await jitgate([
        'audit',
        'export',
        '-d',
        url,
        '--since',
        '2026-11-23',
        '--until',
        '2026-11-24',
      ])
      assert.equal(all.stdout, jsonl.stdout)
    })

    it('keeps verifying after retention, and catches a changed checkpoint', async (t) => {
      const url = await database()
      await seed(t, url, 40)
      await retainUpTo(t, url, 30)
      const ok = await jitgate(['audit', 'verify', '-d', url])
      assert.match(
        ok.stdout,
        /^ok 11 events verified after the checkpoint at event 30, head 41 [0-9a-f]{64}\n$/,
      )
      await tamper(url, ['update audit_checkpoints set count = 29'])
      const run = await jitgate(['audit', 'verify', '-d', url, '--json'])
      assert.equal(run.code, 1)
      assert.deepEqual(JSON.parse(run.stdout), {
        ok: false,
        seq: 30,
        problem: 'checkpoint',
        message: 'the checkpoint covering events up to 30 was changed: its seal does not match its fields',
        checkpoint: 30,
      })
    })

    it('tails the newest events and follows new ones', async (t) => {
      const url = await database()
      await seed(t, url, 12)
      const run = await jitgate(['audit', 'tail', '-d', url, '-n', '3'])
      assert.deepEqual(
        run.stdout
          .trimEnd()
          .split('\n')
          .map((line) => line.split('  ')[0]),
        ['10', '11', '12'],
      )
      const lines = await follow(['-d', url, '-n', '1', '--json'], 4, async () => {
        await seed(t, url, 3, 100)
      })
      assert.deepEqual(
        lines.map((line) => JSON.parse(line).seq),
        [12, 13, 14, 15],
      )
    })
  })
}

function csvEvent(cells: Record<string, string>): StoredAuditEvent {
  const event = {
    seq: Number(cells.seq),
    id: cells.id ?? '',
    time: cells.time ?? '',
    actor: { type: cells.actor_type as StoredAuditEvent['actor']['type'], id: cells.actor_id ?? '' },
    type: cells.type as StoredAuditEvent['type'],
    subject: { type: cells.subject_type ?? '', id: cells.subject_id ?? '' },
    detailsJson: cells.details ?? '',
    prevHash: cells.prev_hash ?? '',
    hash: cells.hash ?? '',
  }
  return cells.policy_version === '' ? event : { ...event, policyVersion: cells.policy_version ?? '' }
}
