// `jitgate sql classify`, run in-process on a script from stdin or a file: one JSON line per
// statement, errors in place and on stderr, exit code 1 when any statement failed to parse.
import assert from 'node:assert/strict'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { after, describe, it } from 'node:test'
import { sqlCommand } from '../../../src/cli/sql-command.ts'
import type { Terminal } from '../../../src/cli/terminal.ts'
import { JitgateError } from '../../../src/shared/index.ts'

interface Captured {
  readonly out: string[]
  readonly err: string[]
  readonly exit: number
}

async function run(args: readonly string[], stdin = ''): Promise<Captured> {
  const out: string[] = []
  const err: string[] = []
  let exit = 0
  const term: Terminal = {
    out: (text) => void out.push(text),
    err: (text) => void err.push(text),
    style: (_style, text) => text,
    json: (value) => void out.push(JSON.stringify(value)),
  }
  const command = sqlCommand(term, (code) => (exit = Math.max(exit, code)), { stdin: Readable.from([stdin]) })
  command.exitOverride()
  for (const sub of command.commands) sub.exitOverride()
  await command.parseAsync(args, { from: 'user' })
  return { out, err, exit }
}

const SCRIPT =
  "-- report\nselect email from users where name = 'Jürgen';\nselec 1;\ndelete from orders where id = 7;\n"

describe('jitgate sql classify', () => {
  const dirs: string[] = []
  after(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true })
  })

  it('writes one JSON line per statement and goes on after an error', async () => {
    const { out, err, exit } = await run(['classify'], SCRIPT)
    const lines = out.map((line) => JSON.parse(line))
    assert.equal(lines.length, 3)
    assert.deepEqual(Object.keys(lines[0]), [
      'location',
      'kind',
      'writes',
      'tables',
      'columns',
      'functions',
      'reasons',
      'statement',
      'fingerprint',
    ])
    assert.deepEqual(lines[0].location, { start: 10, end: 55 })
    assert.equal(SCRIPT.slice(10, 55), "select email from users where name = 'Jürgen'")
    assert.deepEqual(
      [lines[0].kind, lines[0].writes, lines[0].tables],
      ['read', false, { read: ['users'], write: [] }],
    )
    assert.deepEqual(lines[0].columns, { read: ['users.email', 'users.name'], write: [] })
    assert.match(lines[0].fingerprint, /^[0-9a-f]{16}$/)
    assert.deepEqual(lines[1], {
      location: { start: 57, end: 64 },
      kind: 'error',
      error: {
        message: 'syntax error at or near "selec"',
        position: 57,
        hint: 'fix the statement at this position: jitgate refuses statements PostgreSQL cannot parse',
      },
    })
    assert.deepEqual(
      [lines[2].kind, lines[2].reasons, lines[2].tables.write],
      ['write', ['DELETE'], ['orders']],
    )
    assert.deepEqual(err, [
      'error statement 2 at 3:1: syntax error at or near "selec"',
      '    hint: fix the statement at this position: jitgate refuses statements PostgreSQL cannot parse',
      '1 statement could not be parsed',
    ])
    assert.equal(exit, 1)
  })

  it('exits 0 when every statement parses, and reads --input', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'jitgate-sql-'))
    dirs.push(dir)
    const file = join(dir, 'script.sql')
    await writeFile(file, 'begin; select 1; commit;')
    const { out, err, exit } = await run(['classify', '--input', file])
    assert.deepEqual(
      out.map((line) => JSON.parse(line).kind),
      ['transaction', 'read', 'transaction'],
    )
    assert.deepEqual([err, exit], [[], 0])
  })

  it('prints a table for people with --pretty', async () => {
    const { out, exit } = await run(['classify', '--pretty'], SCRIPT)
    assert.deepEqual(out, [
      '#  at   kind   writes  tables (→ written) and reasons',
      '1  2:1  read   no      users',
      '2  3:1  error          syntax error at or near "selec"',
      '3  4:1  write  yes     orders → orders DELETE',
    ])
    assert.equal(exit, 1)
  })

  it('writes nothing for an empty script', async () => {
    assert.deepEqual(await run(['classify'], '  -- nothing\n'), { out: [], err: [], exit: 0 })
  })

  it('names the file it cannot read', async () => {
    await assert.rejects(
      run(['classify', '-i', '/nonexistent/script.sql']),
      (e: unknown) => e instanceof JitgateError && e.code === 'input_missing',
    )
  })
})
