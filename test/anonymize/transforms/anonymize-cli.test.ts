// `jitgate anonymize` as its Command runs it: real policy files, a key from the
// environment or a key file, rows streamed in as JSON lines or CSV and read back.
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { join } from 'node:path'
import { Readable, Writable } from 'node:stream'
import { describe, it, type TestContext } from 'node:test'
import { type AnonymizeIo, anonymizeCommand } from '../../../src/cli/anonymize-command.ts'
import type { Terminal } from '../../../src/cli/terminal.ts'
import { JitgateError } from '../../../src/shared/index.ts'
import { tempDir } from '../../helpers/temp-dir.ts'

const POLICIES = `kind: Classifications
classifications:
  pii.email: {}
  pii.phone: {}
fields:
  customers.email: pii.email
  customers.mobile: pii.phone
---
kind: MaskingProfile
name: support
fields:
  pii.email: { transform: partial, keep: email_domain }
  pii.phone: { transform: fpe, format: phone }
  customers.id: { transform: pseudonym, purpose: support }
  customers.ssn: redact
  customers.status: keep
default: "null"
`

interface Run {
  readonly code: number
  readonly stdout: string
  readonly stderr: string
}

async function anonymize(
  t: TestContext,
  args: readonly string[],
  stdin: string | Iterable<string>,
  env: Record<string, string> = { JITGATE_ANONYMIZE_KEY: KEY },
): Promise<Run> {
  const dir = await tempDir(t, { 'policies/masking.yaml': POLICIES })
  const err: string[] = []
  const term: Terminal = {
    out: (text) => err.push(`(out) ${text}`),
    err: (text) => err.push(text),
    style: (_style, text) => text,
    json: (value) => err.push(JSON.stringify(value)),
  }
  const chunks: string[] = []
  const stdout = new Writable({
    highWaterMark: 1024,
    write(chunk: Buffer, _enc, done) {
      chunks.push(chunk.toString())
      setImmediate(done)
    },
  })
  const io: AnonymizeIo = {
    stdin: Readable.from(typeof stdin === 'string' ? [Buffer.from(stdin)] : stdin),
    stdout,
    env,
    now: () => new Date('2026-03-15T12:00:00Z'),
  }
  let code = 0
  const command = anonymizeCommand(
    term,
    (c) => {
      code = Math.max(code, c)
    },
    io,
  ).exitOverride()
  await command.parseAsync(['--policies', join(dir, 'policies'), ...args], { from: 'user' })
  return { code, stdout: chunks.join(''), stderr: err.join('\n') }
}

const KEY = randomBytes(32).toString('base64')
const ROWS = [
  {
    id: 1001,
    email: 'ada@example.com',
    mobile: '+44 20 7946 0958',
    ssn: '123-45-6789',
    status: 'active',
    notes: 'vip',
  },
  {
    id: 1002,
    email: 'grace@example.org',
    mobile: '+1 (555) 123-4567',
    ssn: '987-65-4321',
    status: 'closed',
    notes: null,
  },
]
const jsonLines = (rows: readonly unknown[]): string => rows.map((r) => `${JSON.stringify(r)}\n`).join('')

describe('jitgate anonymize', () => {
  it('masks JSON lines with the profile and writes JSON lines', async (t) => {
    const run = await anonymize(t, ['--profile', 'support', '--table', 'customers'], jsonLines(ROWS))
    assert.equal(run.code, 0, run.stderr)
    const out = run.stdout
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>)
    assert.equal(out.length, 2)
    assert.deepEqual(Object.keys(out[0] ?? {}), ['id', 'email', 'mobile', 'ssn', 'status', 'notes'])
    assert.match(String(out[0]?.id), /^ps_[a-z2-7]{16}$/)
    assert.equal(out[0]?.email, '***@example.com')
    assert.match(String(out[0]?.mobile), /^\+44 \d\d \d{4} \d{4}$/)
    assert.notEqual(out[0]?.mobile, ROWS[0]?.mobile)
    assert.match(String(out[1]?.mobile), /^\+1 \(\d{3}\) \d{3}-\d{4}$/)
    assert.deepEqual(
      [out[0]?.ssn, out[0]?.status, out[0]?.notes, out[1]?.notes],
      ['[redacted]', 'active', null, null],
    )
    assert.equal(run.stderr, "2 rows anonymized with profile 'support'")
    const again = await anonymize(t, ['--profile', 'support', '--table', 'customers'], jsonLines(ROWS))
    assert.equal(again.stdout, run.stdout)
  })

  it('masks CSV with a header row and writes CSV', async (t) => {
    const csv =
      'id,email,ssn,status\r\n1001,ada@example.com,123-45-6789,"active, vip"\r\n1002,"grace@example.org",,closed\r\n'
    const run = await anonymize(t, ['--profile', 'support', '--table', 'customers', '--format', 'csv'], csv)
    assert.equal(run.code, 0, run.stderr)
    const [header, first, second, end] = run.stdout.split('\n')
    assert.equal(header, 'id,email,ssn,status')
    assert.match(first ?? '', /^ps_[a-z2-7]{16},\*\*\*@example\.com,\[redacted\],"active, vip"$/)
    assert.match(second ?? '', /^ps_[a-z2-7]{16},\*\*\*@example\.org,,closed$/)
    assert.equal(end, '')
  })

  it('reads --input and --key-file, and the same key gives the same pseudonyms', async (t) => {
    const dir = await tempDir(t, {
      'rows.jsonl': jsonLines(ROWS),
      'keys.json': JSON.stringify({ current: 'k2', keys: { k1: randomBytes(32).toString('hex'), k2: KEY } }),
    })
    const fromFile = await anonymize(
      t,
      [
        '--profile',
        'support',
        '--table',
        'customers',
        '--input',
        join(dir, 'rows.jsonl'),
        '--key-file',
        join(dir, 'keys.json'),
      ],
      '',
      {},
    )
    const fromEnv = await anonymize(t, ['--profile', 'support', '--table', 'customers'], jsonLines(ROWS), {
      JITGATE_ANONYMIZE_KEY: `k2:${KEY}`,
    })
    assert.equal(fromFile.code, 0, fromFile.stderr)
    assert.equal(fromFile.stdout, fromEnv.stdout)
  })

  it('stops at a line that is not a row, naming it, after writing the rows before it whole', async (t) => {
    const input = `${jsonLines(ROWS)}{"id": 3, "email": "secret@example.com"\n${jsonLines(ROWS)}`
    const run = await anonymize(t, ['--profile', 'support'], input)
    assert.equal(run.code, 1)
    assert.equal(run.stdout.split('\n').length, 3)
    assert.ok(run.stdout.endsWith('}\n'))
    assert.equal(
      run.stderr,
      'error stdin:3:1: not valid JSON\n    hint: each line must be one JSON object\nstopped at this line; the rows before it were written',
    )
    assert.ok(!run.stderr.includes('secret'))
    const array = await anonymize(t, ['--profile', 'support'], '\n["a"]\n')
    assert.equal(array.code, 1)
    assert.match(array.stderr, /^error stdin:2:1: not a JSON object/)
  })

  it('stops at a CSV row with the wrong number of fields', async (t) => {
    const run = await anonymize(t, ['--profile', 'support', '--format', 'csv'], 'a,b\n1,2\n"x\ny",2,3\n4,5\n')
    assert.equal(run.code, 1)
    assert.equal(run.stdout, 'a,b\n,\n')
    assert.match(run.stderr, /^error stdin:3:1: 3 fields where the header has 2\n/)
  })

  it('warns, by column, when values were redacted because their transform could not handle them', async (t) => {
    const run = await anonymize(
      t,
      ['--profile', 'support', '--table', 'customers'],
      jsonLines([{ email: 'nope' }, { email: 42 }]),
    )
    assert.equal(run.code, 0)
    assert.equal(run.stdout, '{"email":"[redacted]"}\n{"email":"[redacted]"}\n')
    assert.equal(
      run.stderr,
      "warning values their transform could not handle were redacted: email (2)\n2 rows anonymized with profile 'support'",
    )
  })

  it('streams: many rows through a slow stdout', async (t) => {
    function* lines(): Generator<string> {
      for (let i = 0; i < 5000; i++) yield `${JSON.stringify({ id: i, email: `u${i}@example.com` })}\n`
    }
    const run = await anonymize(t, ['--profile', 'support', '--table', 'customers'], lines())
    assert.equal(run.code, 0, run.stderr)
    assert.equal(run.stdout.split('\n').length, 5001)
  })

  const refusals: [string, readonly string[], Record<string, string>, string, string][] = [
    ['no key', ['--profile', 'support'], {}, 'anonymize_key_missing', 'no anonymization key is configured'],
    [
      'an unknown profile',
      ['--profile', 'suport'],
      { JITGATE_ANONYMIZE_KEY: KEY },
      'profile_unknown',
      "no masking profile 'suport' in the policy set",
    ],
    [
      'a missing input file',
      ['--profile', 'support', '--input', '/nonexistent/rows.jsonl'],
      { JITGATE_ANONYMIZE_KEY: KEY },
      'input_missing',
      "cannot read input file '/nonexistent/rows.jsonl'",
    ],
  ]
  for (const [name, args, env, code, message] of refusals) {
    it(`refuses ${name}`, async (t) => {
      await assert.rejects(anonymize(t, args, '', env), (err: unknown) => {
        assert.ok(err instanceof JitgateError)
        assert.deepEqual([err.code, err.message], [code, message])
        return true
      })
    })
  }
})
