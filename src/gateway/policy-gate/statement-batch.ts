// The `db.statements` event: the statements of one connection that ran without waiting for
// their audit event (reads the policy allowed outright), written together once a few
// milliseconds have passed. Every statement is in it with what `db.statement` would hold; what
// repeats from one statement to the next (text, fingerprint, decision, rules, what was enforced)
// is written once as a `shape` that each statement names by index. One event, one hash and one
// row for many statements is what lets the gateway audit every statement at the rate it
// forwards them: a row per statement costs more than the statement itself. Pure.
import { type AuditDraft, CanonicalJson, encodeString, type JsonValue } from '../../audit/index.ts'
import {
  clientDetails,
  type MessageOrigin,
  type StatementRecord,
  type StatementResultRecord,
  shapeDetails,
} from './audit-draft.ts'

/** One statement that ran, as the batch keeps it until it is written. */
export interface BatchedStatement {
  readonly record: StatementRecord
  readonly result: StatementResultRecord
  readonly protocol: MessageOrigin['protocol']
  /** When its result came back. */
  readonly at: Date
}

/** The statements of one connection under one policy version, in the order they ran. */
export interface StatementBatch {
  readonly origin: MessageOrigin
  readonly statements: readonly BatchedStatement[]
}

/**
 * What each statement's row holds, in order. Rows rather than objects, written as canonical
 * JSON as they are made (CanonicalJson): a batch is redacted, encoded, hashed and handed to the
 * writer thread on the event loop, and walking a row per statement twice more cost as much as
 * the rest of the gateway's work on it. `at` is milliseconds after the batch's `from`; an
 * absent value is null. The duration is in whole microseconds (what db.statement keeps, in ms
 * with three decimals): an integer is written several times faster than a fraction.
 */
export const STATEMENT_COLUMNS = [
  'id',
  'shape',
  'at',
  'protocol',
  'position',
  'of',
  'outcome',
  'command',
  'rows',
  'durationUs',
  'sqlstate',
] as const

/** A shape already in a batch: the first record that had it, and its index. */
interface KnownShape {
  readonly record: StatementRecord
  readonly index: number
}

/**
 * One connection's batch, built as its statements come: each statement's row is written when
 * it is added, while its objects are fresh, and only the row is kept until the batch is
 * written (a record and its result kept 20 ms outlive a young-generation collection or two, and
 * copying them cost the collector more than writing the row).
 */
export class BatchDraft {
  readonly #shapes: JsonValue[] = []
  // By text first: statements of another text never share a shape, and most batches hold few.
  readonly #byText = new Map<string, KnownShape[]>()
  // Statements in a row are most often alike: the last one's shape is tried first.
  #last: KnownShape | undefined
  readonly #rows: string[] = []
  #from = 0

  constructor(readonly origin: MessageOrigin) {}

  /** Statements added so far. */
  get count(): number {
    return this.#rows.length
  }

  add(
    record: StatementRecord,
    result: StatementResultRecord,
    protocol: MessageOrigin['protocol'],
    at: Date,
  ): void {
    const shape = this.#shapeOf(record)
    const time = at.getTime()
    if (this.#rows.length === 0) this.#from = time
    const { outcome, command, rows: count, durationMs, sqlstate } = result
    // In STATEMENT_COLUMNS order. Every value is the gateway's own (ids, counts, names it
    // chose) or PostgreSQL's (a command tag, an SQLSTATE), never a client's text: written as
    // canonical JSON here rather than walked by the redactor and the encoder. Positions,
    // shapes and offsets are integers the gateway counted.
    const row =
      `[${encodeString(record.id)},${shape},${time - this.#from},${quoted(protocol)},${record.position},` +
      `${record.of},${quoted(outcome)},${command === undefined ? 'null' : quoted(command)},` +
      `${number(count)},${durationMs === undefined ? 'null' : number(Math.round(durationMs * 1000))},` +
      `${sqlstate === undefined ? 'null' : quoted(sqlstate)}]`
    // Flat now, while fresh: a row kept as the tree of its ~20 pieces until the batch is
    // written outlived young-generation collections piece by piece.
    row.charCodeAt(0)
    this.#rows.push(row)
  }

  /** The `db.statements` event of the statements added. */
  draft(): AuditDraft {
    const { origin } = this
    return {
      actor: { type: 'user', id: origin.actorId },
      type: 'db.statements',
      subject: { type: 'connection', id: origin.connection },
      policyVersion: origin.policyVersion,
      details: {
        database: origin.database,
        connection: origin.connection,
        client: clientDetails(origin.client),
        count: this.#rows.length,
        from: new Date(this.#from).toISOString(),
        shapes: this.#shapes,
        columns: [...STATEMENT_COLUMNS],
        // One join: a flat string, not a tree of pieces for the hash to flatten.
        statements: new CanonicalJson(`[${this.#rows.join(',')}]`),
      },
    }
  }

  #shapeOf(record: StatementRecord): number {
    const last = this.#last
    if (last !== undefined && sameShape(last.record, record)) return last.index
    let alike = this.#byText.get(record.text)
    if (alike === undefined) {
      alike = []
      this.#byText.set(record.text, alike)
    }
    for (const known of alike)
      if (sameShape(known.record, record)) {
        this.#last = known
        return known.index
      }
    const known = { record, index: this.#shapes.length }
    alike.push(known)
    this.#shapes.push(shapeOf(record))
    this.#last = known
    return known.index
  }
}

/** The event of a whole batch at once. */
export function statementsDraft(batch: StatementBatch): AuditDraft {
  const draft = new BatchDraft(batch.origin)
  for (const { record, result, protocol, at } of batch.statements) draft.add(record, result, protocol, at)
  return draft.draft()
}

// The few strings that repeat from row to row (protocols, outcomes, command tags), encoded once.
const QUOTED = new Map<string, string>()

function quoted(text: string): string {
  let encoded = QUOTED.get(text)
  if (encoded === undefined) {
    encoded = encodeString(text)
    if (QUOTED.size >= 1024) QUOTED.clear()
    QUOTED.set(text, encoded)
  }
  return encoded
}

/** A number as canonical JSON; null when absent or not finite. */
function number(value: number | undefined): string | number {
  return value === undefined || !Number.isFinite(value) ? 'null' : value
}

function shapeOf(record: StatementRecord): JsonValue {
  const shape: Record<string, JsonValue> = {}
  shapeDetails(shape, record)
  return shape
}

/** Two records share a shape when every field shapeDetails shows is equal. */
function sameShape(a: StatementRecord, b: StatementRecord): boolean {
  return (
    a.text === b.text &&
    a.fingerprint === b.fingerprint &&
    a.kind === b.kind &&
    a.writes === b.writes &&
    sameList(a.resources, b.resources) &&
    a.decision === b.decision &&
    sameList(a.rules, b.rules) &&
    sameList(a.requests ?? [], b.requests ?? []) &&
    sameList(a.grants ?? [], b.grants ?? []) &&
    a.enforced?.rowLimit === b.enforced?.rowLimit &&
    a.enforced?.statementTimeoutSeconds === b.enforced?.statementTimeoutSeconds &&
    (a.enforced === undefined) === (b.enforced === undefined) &&
    (a.enforced?.masked === true) === (b.enforced?.masked === true) &&
    a.refusal === b.refusal
  )
}

function sameList(a: readonly string[] | undefined, b: readonly string[] | undefined): boolean {
  if (a === b) return true
  if (a === undefined || b === undefined || a.length !== b.length) return false
  return a.every((value, i) => value === b[i])
}
/**
 * The statements an audit event records, each as the details of a `db.statement` event would
 * give it: one for `db.statement`, each of a `db.statements` (its row named by the batch's
 * columns, its shape and the batch's origin filled in, its time made absolute again), none for
 * any other type. For readers of the log: exports, tests, tools.
 */
export function statementsOf(
  type: string,
  details: Readonly<Record<string, unknown>>,
): Record<string, unknown>[] {
  if (type === 'db.statement') return [{ ...details }]
  if (type !== 'db.statements') return []
  const shapes = Array.isArray(details.shapes) ? (details.shapes as Record<string, unknown>[]) : []
  const columns = Array.isArray(details.columns) ? (details.columns as string[]) : []
  const rows = Array.isArray(details.statements) ? (details.statements as unknown[][]) : []
  const from = typeof details.from === 'string' ? Date.parse(details.from) : Number.NaN
  const { database, connection, client } = details
  return rows.map((row) => {
    const entry: Record<string, unknown> = {}
    columns.forEach((column, i) => {
      const value = row[i]
      if (value !== null && value !== undefined) entry[column] = value
    })
    const { shape, at, durationUs, ...rest } = entry
    return {
      database,
      connection,
      client,
      ...(typeof shape === 'number' ? shapes[shape] : {}),
      ...rest,
      ...(typeof durationUs === 'number' ? { durationMs: durationUs / 1000 } : {}),
      ...(typeof at === 'number' && Number.isFinite(from) ? { at: new Date(from + at).toISOString() } : {}),
    }
  })
}
