// `jitgate audit verify|export|tail`: the audit log read straight from the configured store
// (--database, the configuration file, or the default under the data directory), so an
// auditor needs no running server. Nothing here writes to the store.
import { once } from 'node:events'
import { Command } from 'commander'
import type { AuditStore, ChainHead, LogVerifyResult, StoredAuditEvent } from '../audit/index.ts'
import { verifyLog } from '../audit/index.ts'
import { readConfig } from '../config/index.ts'
import { JitgateError } from '../shared/index.ts'
import { type DatabaseHandle, openDatabase } from '../store/index.ts'
import { AUDIT_CHANNEL } from '../store/sql-audit-rows.ts'
import { SqlAuditStore } from '../store/sql-audit-store.ts'
import { csvHeader, csvLine, jsonLine, progressBar, summaryLine } from './audit-output.ts'
import { EXIT, type Terminal } from './terminal.ts'

interface StoreOptions {
  database?: string
  config?: string
  dataDir?: string
}

const POLL_MS = 500

const databaseOption = (cmd: Command): Command =>
  cmd
    .option('-d, --database <url>', 'sqlite:PATH, a file path, or postgres://… (env JITGATE_DATABASE_URL)')
    .option('-c, --config <file>', 'take the store from this configuration file (env JITGATE_CONFIG)')
    .option('--data-dir <dir>', 'the default SQLite store under this data directory (env JITGATE_DATA_DIR)')

export function auditCommand(term: Terminal, setExit: (code: number) => void): Command {
  const audit = new Command('audit').description('verify, export and follow the tamper-evident audit log')
  databaseOption(audit.command('verify'))
    .description('check the hash chain; name the first changed, removed or reordered event (exit 1)')
    .option('--anchor <seq:hash>', 'a head recorded outside the store, which the chain must reach')
    .option('--json', 'print the result as JSON')
    .action((opts: StoreOptions & { anchor?: string; json?: boolean }) =>
      withStore(opts, async (store) => setExit(await verify(term, store, opts))),
    )
  databaseOption(audit.command('export'))
    .description('stream the events to stdout as JSON lines or CSV (a progress bar on a terminal)')
    .option('--format <format>', 'jsonl or csv', 'jsonl')
    .option('--since <time>', 'only events at or after this time (RFC 3339 UTC)')
    .option('--until <time>', 'only events before this time (RFC 3339 UTC)')
    .action((opts: StoreOptions & { format: string; since?: string; until?: string }) =>
      withStore(opts, (store) => exportEvents(store, exportOptions(opts))),
    )
  databaseOption(audit.command('tail'))
    .description('print the newest events; --follow keeps printing new ones')
    .option('-n, --lines <count>', 'how many of the newest events', '10')
    .option('-f, --follow', 'wait for new events until interrupted')
    .option('--json', 'print events as JSON lines')
    .action((opts: StoreOptions & { lines: string; follow?: boolean; json?: boolean }, cmd: Command) =>
      withStore(opts, (store, handle) =>
        tail(term, store, handle, { ...opts, lines: count(opts.lines, cmd) }),
      ),
    )
  return audit
}

/** Opens the store read-only in spirit (a SQLite file is never created), runs `fn`, closes it. */
async function withStore(
  opts: StoreOptions,
  fn: (store: SqlAuditStore, handle: DatabaseHandle) => Promise<void>,
): Promise<void> {
  // The same store `jitgate serve` would use with these settings: flag, variable, file, default.
  const config = await readConfig({
    flags: { database: opts.database, config: opts.config, 'data-dir': opts.dataDir },
    env: process.env,
  })
  const url = config.store.url
  const handle = await openDatabase(url, { create: false, poolSize: 2 })
  try {
    const store = new SqlAuditStore(handle)
    await checkAuditLog(store, handle.display)
    await fn(store, handle)
  } catch (error) {
    if (error instanceof JitgateError) throw error
    // A driver error mid-read: say what failed without a stack trace.
    throw new JitgateError(
      'audit_read_failed',
      `reading the audit log at ${handle.display} failed: ${String((error as Error)?.message ?? error)}`,
    )
  } finally {
    await handle.close()
  }
}

async function checkAuditLog(store: SqlAuditStore, display: string): Promise<void> {
  try {
    await store.head()
  } catch {
    throw new JitgateError('audit_log_missing', `the database at ${display} has no audit log`, {
      details: [
        {
          path: '--database',
          message: 'no audit_head table',
          hint: 'point at a jitgate store that has been started (and so migrated) once',
        },
      ],
    })
  }
}

async function verify(
  term: Terminal,
  store: AuditStore,
  opts: { anchor?: string; json?: boolean },
): Promise<number> {
  const anchor = opts.anchor === undefined ? undefined : parseAnchor(opts.anchor)
  const checkpoint = await store.latestCheckpoint()
  const events = store.read(checkpoint === undefined ? 1 : checkpoint.seq + 1)
  const result = await verifyLog({
    events,
    ...(checkpoint ? { checkpoint } : {}),
    ...(anchor ? { anchor } : {}),
  })
  const from = checkpoint === undefined ? undefined : checkpoint.seq
  if (opts.json === true) term.json(verifyJson(result, from))
  else if (result.ok) {
    const after = from === undefined ? '' : ` after the checkpoint at event ${from}`
    term.out(
      `${term.style('green', 'ok')} ${result.count} events verified${after}, head ${result.lastSeq} ${result.lastHash}`,
    )
  } else term.err(`${term.style('red', 'broken')} at event ${result.seq}: ${result.message}`)
  return result.ok ? EXIT.ok : EXIT.failed
}

function verifyJson(result: LogVerifyResult, checkpoint: number | undefined): object {
  const from = checkpoint === undefined ? {} : { checkpoint }
  if (!result.ok) return { ...result, ...from }
  return { ok: true, count: result.count, head: { seq: result.lastSeq, hash: result.lastHash }, ...from }
}

function parseAnchor(text: string): ChainHead {
  const match = /^(\d{1,15}):([0-9a-f]{64})$/.exec(text.trim())
  if (match === null)
    throw usage(
      `--anchor '${text.slice(0, 90)}' is not SEQ:HASH`,
      '--anchor',
      'give the seq and the 64 hex digit hash of an event, e.g. 1200:3f9a…',
    )
  return { seq: Number(match[1]), hash: match[2] as string }
}

interface ExportOptions {
  readonly format: 'jsonl' | 'csv'
  readonly since?: string
  readonly until?: string
}

function exportOptions(opts: { format: string; since?: string; until?: string }): ExportOptions {
  if (opts.format !== 'jsonl' && opts.format !== 'csv')
    throw usage(`--format '${opts.format.slice(0, 40)}' is not known`, '--format', 'use jsonl or csv')
  return { format: opts.format, ...time('--since', opts.since), ...time('--until', opts.until) }
}

function time(
  flag: '--since' | '--until',
  text: string | undefined,
): Partial<Record<'since' | 'until', string>> {
  if (text === undefined) return {}
  const ms = Date.parse(text)
  if (Number.isNaN(ms))
    throw usage(
      `${flag} '${text.slice(0, 40)}' is not a time`,
      flag,
      'use RFC 3339, e.g. 2026-11-23T00:00:00Z',
    )
  // Stored times are toISOString() text, so comparing the same form as text orders them.
  const iso = new Date(ms).toISOString()
  return flag === '--since' ? { since: iso } : { until: iso }
}

async function exportEvents(store: AuditStore, opts: ExportOptions): Promise<void> {
  const first = (await readFirst(store)) ?? 0
  const total = ((await store.head())?.seq ?? 0) - first + (first === 0 ? 0 : 1)
  const progress = progressBar(process.stderr, total, 'exporting')
  const line = opts.format === 'csv' ? csvLine : jsonLine
  if (opts.format === 'csv') await write(csvHeader())
  let done = 0
  for await (const page of store.read(first)) {
    let chunk = ''
    for (const row of page) if (inWindow(row, opts)) chunk += line(row)
    if (chunk !== '') await write(chunk)
    done += page.length
    progress.update(done)
  }
  progress.finish()
}

function inWindow(row: StoredAuditEvent, opts: ExportOptions): boolean {
  return (
    (opts.since === undefined || row.time >= opts.since) &&
    (opts.until === undefined || row.time < opts.until)
  )
}

async function readFirst(store: AuditStore): Promise<number | undefined> {
  for await (const page of store.read(1, 1)) return page[0]?.seq
  return undefined
}

/** Writes to stdout and waits when the pipe is full, so a slow reader never fills memory. */
async function write(text: string): Promise<void> {
  if (!process.stdout.write(text)) await once(process.stdout, 'drain')
}

async function tail(
  term: Terminal,
  store: AuditStore,
  handle: DatabaseHandle,
  opts: { lines: number; follow?: boolean; json?: boolean },
): Promise<void> {
  const print = (row: StoredAuditEvent) =>
    opts.json === true ? void process.stdout.write(jsonLine(row)) : term.out(summaryLine(row))
  const head = (await store.head())?.seq ?? 0
  let next = Math.max(1, head - opts.lines + 1)
  const printFrom = async () => {
    for await (const page of store.read(next))
      for (const row of page) {
        print(row)
        next = row.seq + 1
      }
  }
  await printFrom()
  if (opts.follow === true) await follow(handle, printFrom)
}

/** Prints new events until SIGINT or SIGTERM: woken by NOTIFY on PostgreSQL, by polling on SQLite. */
async function follow(handle: DatabaseHandle, printNew: () => Promise<void>): Promise<void> {
  let wake: () => void = () => undefined
  let stopped = false
  const stop = () => {
    stopped = true
    wake()
  }
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
  // A null payload (reconnected) also wakes us: something may have been missed.
  const unsubscribe =
    handle.dialect === 'postgres' ? await handle.notifier.subscribe(AUDIT_CHANNEL, () => wake()) : undefined
  const waitMs = handle.dialect === 'postgres' ? 30_000 : POLL_MS
  try {
    // Events appended after the first read but before LISTEN took effect notified nobody:
    // read once more now that we listen, so none waits for the fallback timer.
    await printNew()
    while (!stopped) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, waitMs)
        wake = () => {
          clearTimeout(timer)
          resolve()
        }
      })
      if (!stopped) await printNew()
    }
  } finally {
    await unsubscribe?.()
  }
}

function count(text: string, cmd: Command): number {
  const n = Number(text)
  if (Number.isSafeInteger(n) && n >= 0) return n
  return cmd.error(`error: -n '${text.slice(0, 40)}' must be a whole number of events`, {
    exitCode: EXIT.usage,
  })
}

function usage(message: string, path: string, hint: string): JitgateError {
  return new JitgateError('audit_usage', message, { status: 400, details: [{ path, message, hint }] })
}
