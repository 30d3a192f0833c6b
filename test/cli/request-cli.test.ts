// `jitgate request|approve|reject|grant` as people run them against a real server: bob asks
// for an account reset that needs a peer (support) AND a manager (mia), waits in the
// background while erin and mia approve, and gets a grant that lets the same call through.
import assert from 'node:assert/strict'
import type { TestContext } from 'node:test'
import { describe, it } from 'node:test'
import type { RunningServer } from '../../src/app/start-server.ts'
import type { GrantView, RequestView } from '../../src/approvals/index.ts'
import { tempDir } from '../helpers/temp-dir.ts'
import { keyFor, startTestServer } from '../helpers/test-server.ts'
import { POLICY } from '../walkthrough/walkthrough-fixtures.ts'
import { jitgate, json, type Run, spawnJitgate } from './cli-harness.ts'

const RESET = [
  '--action',
  'http.call',
  '--resource',
  'http://accounts/c1/reset',
  '--context',
  '{"endpoint":"accounts","method":"POST","path":"/c1/reset"}',
]

interface World {
  readonly server: RunningServer
  /** bob asks (and, as an approver too, is refused on his own request); erin is a peer; mia a manager. */
  readonly tokens: { bob: string; erin: string; mia: string; ida: string }
}

async function world(t: TestContext): Promise<World> {
  const dir = await tempDir(t, { 'accounts.yaml': POLICY })
  const server = await startTestServer(t, dir)
  const tokens = {
    bob: await keyFor(server, { id: 'bob', roles: ['requester', 'approver'], groups: ['support'] }),
    erin: await keyFor(server, { id: 'erin', roles: ['approver'], groups: ['support'] }),
    mia: await keyFor(server, { id: 'mia', roles: ['approver'] }),
    ida: await keyFor(server, { id: 'ida', roles: ['requester'], groups: ['support'] }),
  }
  return { server, tokens }
}

function ok(run: Run): Run {
  assert.equal(run.code, 0, `exit ${run.code}\n${run.stdout}\n${run.stderr}`)
  return run
}

async function create(w: World, ...extra: string[]): Promise<RequestView> {
  const run = ok(
    await jitgate(
      ['request', 'create', ...RESET, '--reason', 'locked out', '--json', ...extra],
      as(w, 'bob'),
    ),
  )
  return json<{ request: RequestView }>(run).request
}

function as(w: World, user: keyof World['tokens']) {
  return { server: w.server.url, token: w.tokens[user] }
}

describe('jitgate request, approve and grant', () => {
  it('takes a two-step request from creation through both approvals to a grant', async (t) => {
    const w = await world(t)
    const created = ok(await jitgate(['request', 'create', ...RESET, '--reason', 'locked out'], as(w, 'bob')))
    const id = /^(\S+) pending: needs 2 more approvals before \S+Z$/m.exec(created.stdout)?.[1] ?? ''
    assert.notEqual(id, '', created.stdout)
    assert.match(created.stdout, /^ {2}waiting for peer: 1 more from group:support$/m)
    assert.match(created.stdout, /^ {2}waiting for manager: 1 more from group:support-managers \(mia\)$/m)

    const waiting = spawnJitgate(['request', 'wait', id, '--timeout', '1m'], as(w, 'bob'))
    const own = await jitgate(['approve', id], as(w, 'bob'))
    assert.equal(own.code, 1)
    assert.match(
      own.stderr,
      /^refused the requester cannot approve their own request \(separation of duties\); another eligible approver must approve it$/m,
    )
    const peer = ok(await jitgate(['approve', id, '--comment', 'checked the ticket'], as(w, 'erin')))
    assert.match(peer.stdout, new RegExp(`^${id} pending: needs 1 more approval before`))
    const manager = ok(await jitgate(['approve', id], as(w, 'mia')))
    assert.match(
      manager.stdout,
      new RegExp(`^${id} approved by erin, mia\\n {2}grant \\S+ \\(window, active\\)`),
    )

    const waited = await waiting.done
    assert.equal(waited.code, 0, waited.stderr)
    assert.equal(waited.stderr, '', 'no spinner and no chatter off a terminal')
    assert.match(waited.stdout, new RegExp(`^${id} approved by erin, mia\\n {2}grant `))

    const shown = ok(await jitgate(['request', 'show', id], as(w, 'mia'))).stdout
    assert.match(shown, new RegExp(`^request ${id} {2}approved$`, 'm'))
    assert.match(shown, /^ {2}requester +bob \(support\)$/m)
    assert.match(shown, /^ {2}reason +locked out$/m)
    assert.match(shown, /^ {2}peer {5}1\/1 {2}approved by erin$/m)
    assert.match(shown, /^ {2}manager {2}1\/1 {2}approved by mia$/m)
    assert.match(shown, /^ {2}\S+Z {2}approve +mia +pending → approved$/m)
    assert.match(shown, /^ {2}\S+Z {2}erin: checked the ticket$/m)
    assert.doesNotMatch(shown, /who can still approve/)
    const view = json<RequestView>(ok(await jitgate(['request', 'show', id, '--json'], as(w, 'bob'))))
    assert.deepEqual(
      view.steps.map((s) => [s.name, s.approvedBy]),
      [
        ['peer', ['erin']],
        ['manager', ['mia']],
      ],
    )

    // The grant lets the same call through at once.
    const again = ok(await jitgate(['request', 'create', ...RESET], as(w, 'bob')))
    assert.match(again.stdout, /^allowed \(decision \S+\)\n$/)
    const late = await jitgate(['reject', id, '--reason', 'too late'], as(w, 'erin'))
    assert.equal(late.code, 1, 'a decided request refuses a rejection')
    assert.match(late.stderr, /^refused /)

    const grants = json<{ items: GrantView[] }>(ok(await jitgate(['grant', 'list', '--json'], as(w, 'mia'))))
    assert.equal(grants.items.length, 1)
    const grant = grants.items[0] as GrantView
    assert.deepEqual([grant.actorId, grant.requestId, grant.status], ['bob', id, 'active'])
    const table = ok(await jitgate(['grant', 'list', '--actor', 'bob'], as(w, 'mia'))).stdout
    assert.match(table, /^ID +STATUS +ACTOR +ACTION +RESOURCE +MODE +STARTS +EXPIRES +REQUEST$/m)
    assert.match(
      table,
      new RegExp(`^${grant.id} +active +bob +http.call +http://accounts/c1/reset +window `, 'm'),
    )
    const byRequester = await jitgate(['grant', 'revoke', grant.id], as(w, 'ida'))
    assert.equal(byRequester.code, 1)
    assert.match(byRequester.stderr, /needs the permission grant\.revoke/)
    const revoked = ok(await jitgate(['grant', 'revoke', grant.id, '--reason', 'done'], as(w, 'mia')))
    assert.match(revoked.stdout, new RegExp(`^${grant.id} revoked at \\S+Z by mia\\n$`))
    const after = json<{ items: GrantView[] }>(ok(await jitgate(['grant', 'list', '--json'], as(w, 'bob'))))
    assert.equal(after.items[0]?.status, 'revoked')
  })

  it('ends a wait with exit 1 on a rejection, and refuses a rejection without a reason (exit 2)', async (t) => {
    const w = await world(t)
    const waiting = spawnJitgate(
      ['request', 'create', ...RESET, '--reason', 'locked out', '--wait', '--timeout', '1m'],
      as(w, 'bob'),
    )
    const pending = await eventually(async () => {
      const page = json<{ items: RequestView[] }>(
        ok(await jitgate(['request', 'list', '--state', 'pending', '--json'], as(w, 'erin'))),
      )
      return page.items[0]
    })
    const mine = json<{ items: RequestView[] }>(
      ok(await jitgate(['request', 'list', '--mine', '--json'], as(w, 'bob'))),
    )
    assert.ok(
      mine.items.some((item) => item.id === pending.id),
      'bob sees his request with --mine',
    )
    const bare = await jitgate(['reject', pending.id], as(w, 'erin'))
    assert.equal(bare.code, 2)
    assert.match(bare.stderr, /^error: required option '--reason <text>' not specified$/m)
    ok(await jitgate(['reject', pending.id, '--reason', 'use the self-service reset'], as(w, 'erin')))
    const waited = await waiting.done
    assert.equal(waited.code, 1, waited.stderr)
    assert.equal(waited.stdout, `${pending.id} rejected by erin: use the self-service reset\n`)
    assert.equal(waited.stderr, `request ${pending.id} pending\n`)
  })

  it('gives up with exit 3 after --timeout, and cancels on the requester’s word only', async (t) => {
    const w = await world(t)
    const request = await create(w)
    const started = Date.now()
    const waited = await jitgate(['request', 'wait', request.id, '--timeout', '1s'], as(w, 'bob'))
    assert.equal(waited.code, 3, waited.stderr)
    assert.ok(Date.now() - started < 20_000)
    assert.match(waited.stderr, new RegExp(`^gave up waiting after 1s; ${request.id} is still pending$`, 'm'))
    const help = ok(await jitgate(['request', 'wait', '--help'])).stdout
    assert.match(help, /^ {2}3 {2}still waiting when --timeout ran out$/m)

    const byOther = await jitgate(['request', 'cancel', request.id], as(w, 'erin'))
    assert.equal(byOther.code, 1)
    const canceled = ok(await jitgate(['request', 'cancel', request.id], as(w, 'bob')))
    assert.equal(canceled.stdout, `${request.id} canceled\n`)
    const over = await jitgate(['request', 'wait', request.id, '--json'], as(w, 'bob'))
    assert.equal(over.code, 1, 'a canceled request ends a wait with 1')
    assert.equal(json<RequestView>(over).state, 'canceled')
  })

  it('lists requests as a table, one page or all of them', async (t) => {
    const w = await world(t)
    const first = await create(w)
    const second = await create(w)
    const table = ok(await jitgate(['request', 'list'], as(w, 'erin'))).stdout.split('\n')
    assert.match(table[0] ?? '', /^ID +STATE +REQUESTER +ACTION +RESOURCE +CREATED +EXPIRES$/)
    assert.match(
      table[1] ?? '',
      new RegExp(`^${second.id} +pending +bob +http.call +http://accounts/c1/reset +\\S+Z +\\S+Z$`),
    )
    assert.match(table[2] ?? '', new RegExp(`^${first.id} +pending `))
    const onePage = await jitgate(['request', 'list', '--limit', '1', '--json'], as(w, 'erin'))
    const page = json<{ items: RequestView[]; nextCursor: string | null }>(ok(onePage))
    assert.deepEqual([page.items.length, typeof page.nextCursor], [1, 'string'])
    const human = ok(await jitgate(['request', 'list', '--limit', '1'], as(w, 'erin')))
    assert.match(human.stderr, /^more on the next page: pass --all$/m)
    const all = json<{ items: RequestView[] }>(
      ok(await jitgate(['request', 'list', '--limit', '1', '--all', '--json'], as(w, 'erin'))),
    )
    assert.deepEqual(
      all.items.map((r) => r.id),
      [second.id, first.id],
    )
    const none = ok(await jitgate(['request', 'list', '--state', 'approved'], as(w, 'ida')))
    assert.deepEqual([none.stdout, none.stderr], ['', 'no requests\n'])
  })

  it('checks its flags before asking the server, and says what is wrong (exit 2)', async (t) => {
    const w = await world(t)
    const cases: [string[], RegExp][] = [
      [['--context', '{oops'], /^error --context is not valid JSON: /m],
      [['--context', '[1]'], /^error --context must be a JSON object$/m],
      [['--grant-for', 'soon'], /^error --grant-for 'soon' is not a duration$/m],
      [['--grant-start', 'tomorrow'], /^error --grant-start 'tomorrow' is not a time$/m],
      [['--context-file', '/nonexistent.json'], /^error cannot read '\/nonexistent.json': no such file$/m],
    ]
    for (const [flags, message] of cases) {
      const run = await jitgate(
        ['request', 'create', '--action', 'http.call', '--resource', 'x', ...flags],
        as(w, 'bob'),
      )
      assert.equal(run.code, 2, flags.join(' '))
      assert.match(run.stderr, message)
    }
    const noReason = await jitgate(['request', 'create', ...RESET], as(w, 'bob'))
    assert.equal(noReason.code, 2, 'the server’s 400 is a usage error')
    assert.match(noReason.stderr, /^error the policy requires a reason for this request$/m)
    const fromStdin = ok(
      await jitgate(
        [
          'request',
          'create',
          ...RESET.slice(0, 4),
          '--context-file',
          '-',
          '--reason',
          'r',
          '--grant-for',
          '30m',
          '--json',
        ],
        { ...as(w, 'bob'), stdin: '{"endpoint":"accounts","method":"POST","path":"/c1/reset"}' },
      ),
    )
    assert.equal(json<{ request: RequestView }>(fromStdin).request.grantRequest.durationSeconds, 1800)
  })
})

/** Polls `fn` until it returns something (a background command may take a second to start). */
async function eventually<T>(fn: () => Promise<T | undefined>): Promise<T> {
  for (let i = 0; i < 100; i++) {
    const value = await fn()
    if (value !== undefined) return value
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  throw new Error('never happened')
}
