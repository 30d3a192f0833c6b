// `jitgate pii scan`: one output line per input line, errors that name the line and not
// its content, the exit code at the end, and options passed through to the detector.
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { join } from 'node:path'
import { PassThrough, Readable } from 'node:stream'
import { describe, it } from 'node:test'
import type { Command } from 'commander'
import { piiCommand } from '../../../src/cli/pii-command.ts'
import type { Terminal } from '../../../src/cli/terminal.ts'
import { JitgateError } from '../../../src/shared/index.ts'
import { tempDir } from '../../helpers/temp-dir.ts'

interface Run {
  readonly out: string[]
  readonly err: string[]
  readonly exit: number
}

async function scan(args: readonly string[], input: string): Promise<Run> {
  const out: string[] = []
  const err: string[] = []
  let exit = 0
  const term: Terminal = {
    out: (text) => out.push(text),
    err: (text) => err.push(text),
    style: (_style, text) => text,
    json: (value) => out.push(JSON.stringify(value)),
  }
  const command = piiCommand(
    term,
    (code) => {
      exit = Math.max(exit, code)
    },
    { stdin: Readable.from([input]), stdout: new PassThrough() },
  )
  const quiet = (cmd: Command): void => {
    cmd
      .exitOverride()
      .configureOutput({ writeErr: (s) => err.push(s.trimEnd()), writeOut: (s) => out.push(s) })
    for (const sub of cmd.commands) quiet(sub)
  }
  quiet(command)
  await command.parseAsync(['scan', ...args], { from: 'user' })
  return { out, err, exit }
}

describe('jitgate pii scan', () => {
  it('writes one entities line per JSON line', async () => {
    const run = await scan([], '{"text": "mail ana@example.com"}\n{"text": "nothing here"}\n')
    assert.deepEqual(run.out, [
      '{"entities":[{"type":"EMAIL_ADDRESS","start":5,"end":20,"score":1}]}',
      '{"entities":[]}',
    ])
    assert.equal(run.exit, 0)
  })

  it('keeps going past a bad line, keeps output aligned, and exits 1 at the end', async () => {
    const input =
      '{"text": "SSN 536-22-1784"}\n{"text": secret 536-22-1784}\n[1]\n{"text": 5}\n{"text": "a@example.com"}\n'
    const run = await scan([], input)
    assert.equal(run.out.length, 5)
    assert.deepEqual(run.out.slice(1, 4), [
      '{"error":"line 2: not valid JSON"}',
      '{"error":"line 3: not a JSON object"}',
      '{"error":"line 4: no string field \'text\'"}',
    ])
    assert.match(run.out[4] ?? '', /EMAIL_ADDRESS/)
    assert.deepEqual(run.err, [
      'error line 2: not valid JSON; expected {"text": "..."}',
      'error line 3: not a JSON object; expected {"text": "..."}',
      'error line 4: no string field \'text\'; expected {"text": "..."}',
      '3 lines could not be scanned',
    ])
    assert.ok(!run.err.join('\n').includes('536'), 'no input content in error messages')
    assert.equal(run.exit, 1)
  })

  it('reads plain text lines with --plain, and adds the detector with --verbose', async () => {
    const run = await scan(['--plain', '--verbose'], 'IBAN DE89370400440532013000\n\n')
    assert.deepEqual(run.out, [
      '{"entities":[{"type":"IBAN_CODE","start":5,"end":27,"score":1,"detector":"iban"}]}',
      '{"entities":[]}',
    ])
  })

  it('filters with --types and --min-score, and takes column hints', async () => {
    const input = '{"text": "a@example.com 536-22-1784"}\n{"text": "Smith", "column": "surname"}\n'
    const run = await scan(['--types', 'US_SSN, PERSON', '--min-score', '0.6'], input)
    assert.deepEqual(
      run.out.map((line) =>
        (JSON.parse(line) as { entities: { type: string }[] }).entities.map((e) => e.type),
      ),
      [['US_SSN'], ['PERSON']],
    )
    const high = await scan(['--min-score', '0.99'], input)
    assert.match(high.out[0] ?? '', /"EMAIL_ADDRESS"/)
    assert.doesNotMatch(high.out[0] ?? '', /US_SSN/)
  })

  it('rejects an unknown type and a bad score as usage errors', async () => {
    await assert.rejects(scan(['--types', 'EMAIL'], ''), (err: unknown) => {
      return (
        err instanceof JitgateError &&
        err.code === 'pii_option_invalid' &&
        err.message === "unknown entity type 'EMAIL'" &&
        err.details[0]?.path === '--types'
      )
    })
    await assert.rejects(
      scan(['--min-score', 'high'], ''),
      /--min-score must be a number from 0 to 1, got 'high'/,
    )
  })

  it('reads --input FILE and names a missing one', async (t) => {
    const dir = await tempDir(t, { 'in.jsonl': '{"text": "call +44 20 7946 0958"}\n' })
    const run = await scan(['--input', join(dir, 'in.jsonl')], '')
    assert.match(run.out[0] ?? '', /"PHONE_NUMBER","start":5,"end":21/)
    await assert.rejects(scan(['--input', join(dir, 'missing.jsonl')], ''), /cannot read input file/)
    await assert.rejects(scan(['--input', dir], ''), /cannot read input after line 0: EISDIR/)
  })

  it('streams stdin in a real process', async () => {
    const script = [
      "import { piiCommand } from './src/cli/pii-command.ts'",
      "import { createTerminal } from './src/cli/terminal.ts'",
      'let code = 0',
      "await piiCommand(createTerminal(), (c) => { code = c }).parseAsync(['scan'], { from: 'user' })",
      'process.exitCode = code',
    ].join('\n')
    const run = await new Promise<{ code: number; stdout: string }>((resolve) => {
      const child = execFile(
        process.execPath,
        ['--import', 'tsx', '--input-type=module', '-e', script],
        { cwd: new URL('../../../', import.meta.url).pathname },
        (error, stdout) => resolve({ code: error === null ? 0 : Number(error.code), stdout }),
      )
      child.stdin?.end('{"text": "ana@example.com"}\nnot json\n')
    })
    assert.equal(run.code, 1)
    assert.deepEqual(run.stdout.trim().split('\n'), [
      '{"entities":[{"type":"EMAIL_ADDRESS","start":0,"end":15,"score":1}]}',
      '{"error":"line 2: not valid JSON"}',
    ])
  })
})
