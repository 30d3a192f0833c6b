// `jitgate anonymize`: masks rows with a masking profile of a policy set, streaming
// JSON lines (or CSV with a header row) from stdin or a file to stdout in the same
// format. Keys come from --key-file or JITGATE_ANONYMIZE_KEY, never from a flag's
// value. A line that is not a row stops the run with its line number; the rows
// before it are written whole, nothing of it is.
import { once } from 'node:events'
import { readFileSync } from 'node:fs'
import { open } from 'node:fs/promises'
import { createInterface } from 'node:readline'
import type { Readable, Writable } from 'node:stream'
import { StringDecoder } from 'node:string_decoder'
import { Command, Option } from 'commander'
import {
  AnonymizeError,
  AnonymizeKeys,
  CsvReader,
  formatCsvRow,
  KEY_ENV,
  loadMasterKeyring,
  Masker,
} from '../anonymize/transforms/index.ts'
import { compilePolicySet, readPolicyFiles } from '../policy/index.ts'
import { type ErrorDetail, JitgateError, suggest } from '../shared/index.ts'
import { EXIT, printErrors, type Terminal } from './terminal.ts'

/** What the command reads and writes; tests pass their own streams. */
export interface AnonymizeIo {
  readonly stdin: Readable
  readonly stdout: Writable
  readonly env: Readonly<Record<string, string | undefined>>
  readonly now: () => Date
}

interface Options {
  readonly profile: string
  readonly policies?: string
  readonly format: 'jsonl' | 'csv'
  readonly input?: string
  readonly keyFile?: string
  readonly table?: string
}

/** Output is written in chunks of about this many characters, each ending at a row. */
const FLUSH_AT = 64 * 1024

const processIo = (): AnonymizeIo => ({
  stdin: process.stdin,
  stdout: process.stdout,
  env: process.env,
  now: () => new Date(),
})

export function anonymizeCommand(
  term: Terminal,
  setExit: (code: number) => void,
  io: AnonymizeIo = processIo(),
): Command {
  return new Command('anonymize')
    .description('mask rows (JSON lines or CSV) with a masking profile, from stdin or a file to stdout')
    .requiredOption('--profile <name>', 'the MaskingProfile to apply')
    .option('-p, --policies <dir>', 'policy directory (default: $JITGATE_POLICIES or ./policies)')
    .addOption(
      new Option('--format <format>', 'input and output format').choices(['jsonl', 'csv']).default('jsonl'),
    )
    .option('-i, --input <file>', 'read rows from this file instead of stdin')
    .option('--key-file <file>', `key file (default: the key in $${KEY_ENV})`)
    .option('--table <name>', "the rows' table, so the profile's table.column entries apply")
    .action(async (opts: Options) => {
      const job = await prepare(opts, term, io)
      if (job === undefined) return setExit(EXIT.failed)
      const source = opts.input ?? 'stdin'
      const input = opts.input === undefined ? io.stdin : await openInput(opts.input)
      const out = new Output(io.stdout)
      try {
        const mask = opts.format === 'csv' ? maskCsv : maskJsonLines
        const rows = await mask(input, source, job.masker, out)
        await out.flush()
        if (job.failed.size > 0)
          term.err(
            `${term.style('yellow', 'warning')} values their transform could not handle were redacted: ${[...job.failed].map(([c, n]) => `${c} (${n})`).join(', ')}`,
          )
        term.err(
          term.style('dim', `${rows} row${rows === 1 ? '' : 's'} anonymized with profile '${opts.profile}'`),
        )
      } catch (err) {
        await out.flush()
        if (!(err instanceof AnonymizeError) || err.code !== 'anonymize_input_invalid') throw err
        printErrors(term, err.details)
        term.err('stopped at this line; the rows before it were written')
        setExit(EXIT.failed)
      } finally {
        if (input !== io.stdin) input.destroy()
      }
    })
}

/** The masker for the profile, with its keys; undefined (errors printed) when the policies do not compile. */
async function prepare(
  opts: Options,
  term: Terminal,
  io: AnonymizeIo,
): Promise<{ masker: Masker; failed: Map<string, number> } | undefined> {
  const dir = opts.policies ?? io.env.JITGATE_POLICIES ?? 'policies'
  const compiled = compilePolicySet(await readPolicyFiles(dir))
  if (!compiled.ok) {
    printErrors(term, compiled.errors)
    term.err(`${compiled.errors.length} error(s) in ${dir}; nothing was anonymized`)
    return undefined
  }
  const set = compiled.set
  const profile = set.profiles.get(opts.profile)
  if (profile === undefined) throw unknownProfile(opts.profile, [...set.profiles.keys()])
  const keyring = loadMasterKeyring({
    ...(opts.keyFile === undefined ? {} : { keyFile: opts.keyFile }),
    readFile: (path) => readFileSync(path, 'utf8'),
    env: io.env,
  })
  const failed = new Map<string, number>()
  const masker = new Masker(profile.fields, {
    keys: new AnonymizeKeys(keyring),
    ...(opts.table === undefined ? {} : { table: opts.table }),
    classOf: (field) => set.fieldClasses.get(field),
    now: io.now(),
    onFailure: (f) => failed.set(f.column, (failed.get(f.column) ?? 0) + 1),
  })
  return { masker, failed }
}

async function maskJsonLines(input: Readable, source: string, masker: Masker, out: Output): Promise<number> {
  let line = 0
  let rows = 0
  for await (const text of createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY })) {
    line++
    if (text.trim() === '') continue
    let row: unknown
    try {
      row = JSON.parse(text)
    } catch {
      // JSON.parse's message quotes the input: it is personal data, so it is not shown.
      throw badLine(source, line, 'not valid JSON', 'each line must be one JSON object')
    }
    if (typeof row !== 'object' || row === null || Array.isArray(row))
      throw badLine(
        source,
        line,
        'not a JSON object',
        'each line must be one JSON object, {"column": value, …}',
      )
    await out.line(JSON.stringify(masker.maskObject(row as Record<string, unknown>)))
    rows++
  }
  return rows
}

async function maskCsv(input: Readable, source: string, masker: Masker, out: Output): Promise<number> {
  const reader = new CsvReader(source)
  let header: readonly string[] | undefined
  let mask: ((row: readonly unknown[]) => unknown[]) | undefined
  let rows = 0
  const decoder = new StringDecoder('utf8')
  const take = async (records: ReturnType<CsvReader['push']>): Promise<void> => {
    for (const { line, fields } of records) {
      if (header === undefined || mask === undefined) {
        header = fields
        mask = masker.rows(fields)
        await out.line(formatCsvRow(fields))
        continue
      }
      if (fields.length !== header.length)
        throw badLine(
          source,
          line,
          `${fields.length} fields where the header has ${header.length}`,
          'every row needs one field per header column',
        )
      await out.line(formatCsvRow(mask(fields)))
      rows++
    }
  }
  for await (const chunk of input)
    await take(reader.push(typeof chunk === 'string' ? chunk : decoder.write(chunk as Buffer)))
  await take(reader.push(decoder.end()))
  await take(reader.end())
  return rows
}

/** Buffers whole lines and writes them in large chunks, waiting when stdout is full. */
class Output {
  readonly #stream: Writable
  #pending = ''

  constructor(stream: Writable) {
    this.#stream = stream
  }

  async line(text: string): Promise<void> {
    this.#pending += `${text}\n`
    if (this.#pending.length >= FLUSH_AT) await this.flush()
  }

  async flush(): Promise<void> {
    if (this.#pending === '') return
    const chunk = this.#pending
    this.#pending = ''
    if (!this.#stream.write(chunk)) await once(this.#stream, 'drain')
  }
}

async function openInput(path: string): Promise<Readable> {
  try {
    return (await open(path)).createReadStream()
  } catch {
    throw new JitgateError('input_missing', `cannot read input file '${path}'`, {
      status: 400,
      details: [
        { path: '--input', message: 'cannot be opened', hint: 'check the path, or pipe rows to stdin' },
      ],
    })
  }
}

function badLine(source: string, line: number, message: string, hint: string): AnonymizeError {
  const detail: ErrorDetail = { file: source, line, message, hint }
  return new AnonymizeError('anonymize_input_invalid', `${source}:${line}: ${message}`, [detail])
}

function unknownProfile(name: string, known: readonly string[]): JitgateError {
  const guess = suggest(name, known)
  return new JitgateError('profile_unknown', `no masking profile '${name}' in the policy set`, {
    status: 400,
    details: [
      {
        path: '--profile',
        message: `unknown masking profile '${name}'`,
        hint:
          guess !== undefined
            ? `did you mean '${guess}'?`
            : known.length === 0
              ? 'declare one in a MaskingProfile document'
              : `known profiles: ${known.join(', ')}`,
      },
    ],
  })
}
