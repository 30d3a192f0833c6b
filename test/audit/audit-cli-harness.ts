// Runs `jitgate audit …` as a user does (a real process), seeds a store through the real
// writer, and tampers with its rows behind jitgate's back, on SQLite or PostgreSQL.
import { execFile, spawn } from 'node:child_process'
import type { TestContext } from 'node:test'
import BetterSqlite3 from 'better-sqlite3'
import pg from 'pg'
import { type ChainedEvent, checkpointDraft, createCheckpoint } from '../../src/audit/index.ts'
import { parseDatabaseUrl } from '../../src/store/index.ts'
import { draft, NOW, openMigrated, readAll, writerOn } from './audit-fixtures.ts'

const BIN = new URL('../../bin/jitgate.js', import.meta.url).pathname

export interface Run {
  readonly code: number
  readonly stdout: string
  readonly stderr: string
}

export function jitgate(args: readonly string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      { env: { ...process.env, NO_COLOR: '1' }, maxBuffer: 1 << 26 },
      (error, stdout, stderr) =>
        resolve({
          code: error === null ? 0 : typeof error.code === 'number' ? error.code : -1,
          stdout,
          stderr,
        }),
    )
  })
}

/** `jitgate audit tail --follow`: resolves once `lines` lines came out, then stops it with SIGTERM. */
export function follow(
  args: readonly string[],
  lines: number,
  onReady: () => Promise<void>,
): Promise<string[]> {
  const child = spawn(process.execPath, [BIN, 'audit', 'tail', '--follow', ...args], {
    env: { ...process.env, NO_COLOR: '1' },
  })
  let out = ''
  let started = false
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`tail --follow printed only: ${out}`))
    }, 20_000)
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString()
      const got = out.split('\n').filter((line) => line !== '')
      // The first line printed means it is up and reading; then the new events go in.
      if (!started && got.length > 0) {
        started = true
        onReady().catch(reject)
      }
      if (got.length >= lines) {
        clearTimeout(timer)
        child.kill('SIGTERM')
        child.once('exit', () => resolve(got))
      }
    })
  })
}

/** Appends `count` events through the group-commit writer and returns them. */
export async function seed(t: TestContext, url: string, count: number, from = 1): Promise<ChainedEvent[]> {
  const { writer } = writerOn(await openMigrated(t, url))
  return Promise.all(Array.from({ length: count }, (_, i) => writer.append(draft(from + i))))
}

/** Appends the checkpoint event covering events up to `seq`, then deletes them. */
export async function retainUpTo(t: TestContext, url: string, seq: number): Promise<void> {
  const { store, writer } = writerOn(await openMigrated(t, url))
  const covered = (await readAll(store, seq, 1))[0]
  if (covered === undefined) throw new Error(`no event ${seq}`)
  const checkpoint = createCheckpoint(covered, undefined, NOW.toISOString())
  await writer.append(checkpointDraft(checkpoint))
  await store.retain(checkpoint)
}

/** Runs SQL on the database directly, as someone with write access to it would. */
export async function tamper(url: string, statements: readonly string[]): Promise<void> {
  const location = parseDatabaseUrl(url)
  if (location.dialect === 'sqlite') {
    const db = new BetterSqlite3(location.path)
    try {
      for (const statement of statements) db.exec(statement)
    } finally {
      db.close()
    }
    return
  }
  const client = new pg.Client({ connectionString: location.url })
  await client.connect()
  try {
    for (const statement of statements) await client.query(statement)
  } finally {
    await client.end()
  }
}
