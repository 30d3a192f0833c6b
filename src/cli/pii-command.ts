// `jitgate pii scan`: finds personal data in text, one JSON line out per line in, so the
// output lines up with the input however long it runs. Reads line by line (readline), so
// input of any size streams through. A bad line gets an `{"error": …}` line and a message
// on stderr naming its line number, never its content (it may be personal data), and the
// run goes on; the exit code is 1 at the end if any line failed.

import { once } from 'node:events'
import { createReadStream } from 'node:fs'
import { createInterface } from 'node:readline'
import type { Writable } from 'node:stream'
import { Command } from 'commander'
import {
  createPiiDetector,
  type PiiDetector,
  type PiiDetectorOptions,
  type PiiFinding,
  PiiOptionError,
} from '../anonymize/detect/index.ts'
import { JitgateError } from '../shared/index.ts'
import { EXIT, type Terminal } from './terminal.ts'

interface ScanOptions {
  readonly input?: string
  readonly plain?: boolean
  readonly types?: string
  readonly minScore?: string
  readonly column?: string
  readonly verbose?: boolean
  readonly all?: boolean
}

function minScoreOf(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined
  const n = Number(raw)
  if (raw.trim() === '' || !Number.isFinite(n) || n < 0 || n > 1)
    throw new JitgateError('pii_option_invalid', `--min-score must be a number from 0 to 1, got '${raw}'`, {
      status: 400,
      details: [{ path: '--min-score', message: 'not a number from 0 to 1', hint: 'e.g. --min-score 0.6' }],
    })
  return n
}

/** The detector, with option errors pointing at the flag (`--types`) rather than the option path. */
function detectorFor(options: PiiDetectorOptions): PiiDetector {
  try {
    return createPiiDetector(options)
  } catch (err) {
    if (!(err instanceof PiiOptionError)) throw err
    const details = err.details.map((d) => ({ ...d, path: d.path?.startsWith('types') ? '--types' : d.path }))
    throw new JitgateError(err.code, err.message, { status: err.status, details, cause: err })
  }
}

async function openInput(
  file: string | undefined,
  stdin: NodeJS.ReadableStream,
): Promise<NodeJS.ReadableStream> {
  if (file === undefined || file === '-') return stdin
  const stream = createReadStream(file, { encoding: 'utf8' })
  try {
    await once(stream, 'open')
  } catch {
    throw new JitgateError('input_missing', `cannot read input file '${file}'`, {
      status: 400,
      details: [
        {
          path: file,
          message: 'no such file or not readable',
          hint: 'pass a file of JSON lines, or - for stdin',
        },
      ],
    })
  }
  return stream
}

/** The text and column of one JSON line, or why it cannot be scanned. */
function parseLine(line: string): { text: string; column?: string } | { error: string } {
  let value: unknown
  try {
    value = JSON.parse(line)
  } catch {
    return { error: 'not valid JSON' }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return { error: 'not a JSON object' }
  const { text, column } = value as { text?: unknown; column?: unknown }
  if (typeof text !== 'string') return { error: "no string field 'text'" }
  if (column !== undefined && typeof column !== 'string') return { error: "field 'column' is not a string" }
  return column === undefined ? { text } : { text, column }
}

function entities(findings: readonly PiiFinding[], verbose: boolean): object[] {
  return findings.map((f) =>
    verbose
      ? { type: f.type, start: f.start, end: f.end, score: f.score, detector: f.detector }
      : { type: f.type, start: f.start, end: f.end, score: f.score },
  )
}

/** One output line for one input line: its entities, or why it could not be scanned. */
function scanLine(
  term: Terminal,
  detector: PiiDetector,
  line: string,
  lineNo: number,
  opts: ScanOptions,
): boolean {
  const parsed = opts.plain ? { text: line, column: undefined } : parseLine(line)
  if ('error' in parsed) {
    term.err(`${term.style('red', 'error')} line ${lineNo}: ${parsed.error}; expected {"text": "..."}`)
    term.json({ error: `line ${lineNo}: ${parsed.error}` })
    return false
  }
  const findings = detector.detect(parsed.text, parsed.column ?? opts.column)
  term.json({ entities: entities(findings, opts.verbose === true) })
  return true
}

async function scan(
  term: Terminal,
  detector: PiiDetector,
  input: NodeJS.ReadableStream,
  output: Writable,
  opts: ScanOptions,
): Promise<number> {
  const lines = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY })
  let lineNo = 0
  let failed = 0
  try {
    for await (const line of lines) {
      lineNo++
      if (!scanLine(term, detector, line, lineNo, opts)) failed++
      // A slow reader downstream (a pipe to a file, to `head`) must slow us down, or output
      // would pile up in memory for a large input.
      if (output.writableNeedDrain) await once(output, 'drain')
    }
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'unknown error'
    throw new JitgateError('input_unreadable', `cannot read input after line ${lineNo}: ${code}`, {
      status: 400,
      cause: err,
    })
  }
  return failed
}

/** Where `scan` reads and what it waits on when output backs up; the terminal writes to `stdout`. */
export interface PiiCommandIo {
  readonly stdin?: NodeJS.ReadableStream
  readonly stdout?: Writable
}

export function piiCommand(term: Terminal, setExit: (code: number) => void, io: PiiCommandIo = {}): Command {
  const pii = new Command('pii').description('find personal data in text')

  pii
    .command('scan')
    .description(
      'read JSON lines {"text": ..., "column"?: ...} (or plain text lines with --plain) and write one line ' +
        '{"entities": [{type, start, end, score}]} per input line; offsets are UTF-16 code units (JavaScript string indices)',
    )
    .option('-i, --input <file>', 'read this file instead of stdin (- for stdin)')
    .option('--plain', 'each input line is the text itself, not JSON')
    .option('--types <list>', 'only these entity types, comma-separated (e.g. EMAIL_ADDRESS,PHONE_NUMBER)')
    .option('--min-score <x>', 'drop findings scoring below x, 0–1 (default 0.5)')
    .option('--column <name>', 'column name hint for every line (a JSON line may carry its own "column")')
    .option('--all', 'keep overlapping findings instead of the best of each overlap')
    .option('-v, --verbose', 'add the detector that found each entity')
    .action(async (opts: ScanOptions) => {
      const types = opts.types
        ?.split(',')
        .map((t) => t.trim())
        .filter((t) => t !== '')
      const minScore = minScoreOf(opts.minScore)
      const detector = detectorFor({
        ...(types === undefined ? {} : { types }),
        ...(minScore === undefined ? {} : { minScore }),
        overlaps: opts.all === true ? 'all' : 'resolve',
      })
      const input = await openInput(opts.input, io.stdin ?? process.stdin)
      const failed = await scan(term, detector, input, io.stdout ?? process.stdout, opts)
      if (failed > 0) {
        term.err(`${failed} line${failed === 1 ? '' : 's'} could not be scanned`)
        setExit(EXIT.failed)
      }
    })

  return pii
}
