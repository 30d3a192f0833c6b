// How `jitgate audit` writes events: JSON lines, CSV (RFC 4180) and one-line summaries,
// plus a progress bar for exports to a terminal. Rows are written as stored, details
// included as their canonical text, so an export can be verified again elsewhere.
import type { StoredAuditEvent } from '../audit/index.ts'
import { AUDIT_COLUMNS } from '../store/index.ts'

/** CSV columns are the stored columns, in the same order. */
export const CSV_COLUMNS = AUDIT_COLUMNS

/**
 * One JSON line. Details go in as their stored text, unparsed: the text is canonical JSON
 * when intact, and a damaged row is exported as damaged rather than refused or repaired.
 */
export function jsonLine(row: StoredAuditEvent): string {
  const { detailsJson, ...rest } = row
  const head = JSON.stringify({ ...rest, policyVersion: row.policyVersion })
  return `${head.slice(0, -1)},"details":${isJsonObjectText(detailsJson) ? detailsJson : JSON.stringify(detailsJson)}}\n`
}

export function csvHeader(): string {
  return `${CSV_COLUMNS.join(',')}\r\n`
}

export function csvLine(row: StoredAuditEvent): string {
  const cells = [
    String(row.seq),
    row.id,
    row.time,
    row.actor.type,
    row.actor.id,
    row.type,
    row.subject.type,
    row.subject.id,
    row.detailsJson,
    row.policyVersion ?? '',
    row.prevHash,
    row.hash,
  ]
  return `${cells.map(csvCell).join(',')}\r\n`
}

// Quoted when needed; a leading = + - @ is prefixed with ' so a spreadsheet never runs it.
function csvCell(text: string): string {
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe
}

/** `seq  time  type  actor  subject  details` for a person reading `tail`. */
export function summaryLine(row: StoredAuditEvent): string {
  const version = row.policyVersion === undefined ? '' : `  policy ${row.policyVersion}`
  return (
    `${row.seq}  ${row.time}  ${row.type}  ${row.actor.type}:${row.actor.id}` +
    `  ${row.subject.type}:${row.subject.id}  ${row.detailsJson}${version}`
  )
}

function isJsonObjectText(text: string): boolean {
  try {
    const value: unknown = JSON.parse(text)
    return typeof value === 'object' && value !== null && !Array.isArray(value)
  } catch {
    return false
  }
}

export interface Progress {
  update(done: number): void
  finish(): void
}

const WIDTH = 30
const NO_PROGRESS: Progress = { update: () => undefined, finish: () => undefined }

/**
 * A one-line bar on `stream`, redrawn at most every 100 ms; nothing when it is not a
 * terminal, so files and pipes get only the data. Twenty lines of our own rather than a
 * dependency: an auditor's tool should pull in as little as it can.
 */
export function progressBar(stream: NodeJS.WriteStream, total: number, label: string): Progress {
  if (stream.isTTY !== true || total <= 0) return NO_PROGRESS
  let last = 0
  const draw = (done: number) => {
    const share = Math.min(1, done / total)
    const filled = Math.round(share * WIDTH)
    const bar = `${'#'.repeat(filled)}${'-'.repeat(WIDTH - filled)}`
    stream.write(`\r${label} [${bar}] ${Math.floor(share * 100)}% ${done}/${total}`)
  }
  return {
    update(done) {
      const at = Date.now()
      if (at - last < 100) return
      last = at
      draw(done)
    },
    finish() {
      stream.write('\r\x1b[2K')
    },
  }
}
