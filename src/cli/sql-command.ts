// `jitgate sql classify`: reads a SQL script (stdin or --input) and writes one JSON line per
// statement: where it is, its kind, whether it can change data or state and why, the tables,
// columns and functions it touches, and its fingerprint; a statement PostgreSQL cannot parse
// gets `"kind": "error"` and the run goes on. Exit code 1 when any statement failed to parse.
import { readFile } from 'node:fs/promises'
import { Command } from 'commander'
import { classify, initClassifier, type StatementResult, statementFingerprint } from '../gateway/index.ts'
import { JitgateError } from '../shared/index.ts'
import { EXIT, type Terminal } from './terminal.ts'

interface ClassifyOptions {
  readonly input?: string
  readonly pretty?: boolean
}

/** Where `classify` reads when no file is given. */
export interface SqlCommandIo {
  readonly stdin?: NodeJS.ReadableStream
}

async function readInput(file: string | undefined, stdin: NodeJS.ReadableStream): Promise<string> {
  if (file !== undefined && file !== '-') {
    try {
      return await readFile(file, 'utf8')
    } catch (err) {
      throw new JitgateError('input_missing', `cannot read input file '${file}'`, {
        status: 400,
        cause: err,
        details: [
          { path: file, message: 'no such file or not readable', hint: 'pass a SQL file, or - for stdin' },
        ],
      })
    }
  }
  const chunks: Buffer[] = []
  for await (const chunk of stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk)
  // Decoded as a whole, so a letter split between two chunks stays one letter.
  return Buffer.concat(chunks).toString('utf8')
}

/** 1-based line and column of a UTF-16 offset, for messages an editor can jump to. */
function lineColumn(text: string, offset: number): string {
  const before = text.slice(0, offset)
  const line = before.split('\n').length
  return `${line}:${offset - before.lastIndexOf('\n')}`
}

function withFingerprint(sql: string, result: StatementResult): object {
  if (result.kind === 'error') return result
  const { fingerprint } = statementFingerprint(sql.slice(result.location.start, result.location.end))
  return { ...result, fingerprint }
}

function printTable(term: Terminal, sql: string, results: readonly StatementResult[]): void {
  const rows = results.map((r, i) => {
    const where = lineColumn(sql, r.location.start)
    if (r.kind === 'error') return [String(i + 1), where, 'error', '', r.error.message]
    const tables = [
      r.tables.read.join(', '),
      r.tables.write.length > 0 ? `→ ${r.tables.write.join(', ')}` : '',
    ]
    return [
      String(i + 1),
      where,
      r.kind,
      r.writes ? 'yes' : 'no',
      [...tables, r.reasons.join('; ')].join(' ').trim(),
    ]
  })
  const header = ['#', 'at', 'kind', 'writes', 'tables (→ written) and reasons']
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? '').length)))
  const line = (cells: readonly string[]) =>
    cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0))).join('  ')
  term.out(term.style('bold', line(header)))
  for (const row of rows) {
    const styled = row.map((c, i) => (i === 2 && c === 'error' ? term.style('red', c) : c))
    term.out(line(styled).replace(/\s+$/, ''))
  }
}

export function sqlCommand(term: Terminal, setExit: (code: number) => void, io: SqlCommandIo = {}): Command {
  const sql = new Command('sql').description('inspect SQL as the PostgreSQL gateway sees it')

  sql
    .command('classify')
    .description(
      'read a SQL script and write one JSON line per statement: {location: {start, end}, kind, writes, ' +
        'tables: {read, write}, columns: {read, write}, functions, reasons, statement, fingerprint}; ' +
        'offsets are UTF-16 code units (JavaScript string indices); a statement that does not parse ' +
        'gets {location, kind: "error", error: {message, position, hint}}',
    )
    .option('-i, --input <file>', 'read this file instead of stdin (- for stdin)')
    .option('--pretty', 'a table for people instead of JSON lines')
    .action(async (opts: ClassifyOptions) => {
      const text = await readInput(opts.input, io.stdin ?? process.stdin)
      await initClassifier()
      const results = classify(text)
      if (opts.pretty === true) printTable(term, text, results)
      else for (const r of results) term.json(withFingerprint(text, r))
      const failed = results.filter((r) => r.kind === 'error')
      for (const [i, r] of results.entries()) {
        if (r.kind !== 'error') continue
        const where = lineColumn(text, r.error.position)
        term.err(`${term.style('red', 'error')} statement ${i + 1} at ${where}: ${r.error.message}`)
        term.err(`    hint: ${r.error.hint}`)
      }
      if (failed.length > 0) {
        term.err(`${failed.length} statement${failed.length === 1 ? '' : 's'} could not be parsed`)
        setExit(EXIT.failed)
      }
    })

  return sql
}
