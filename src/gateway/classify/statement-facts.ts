// What the walk over one statement's parse tree found: tables, columns, functions and the
// reasons it can change data or state. A statement writes exactly when it has a reason.
import type { Classification, StatementKind } from './classification-types.ts'

export class StatementFacts {
  readonly #tablesRead = new Set<string>()
  readonly #tablesWritten = new Set<string>()
  readonly #columnsRead = new Set<string>()
  readonly #columnsWritten = new Set<string>()
  readonly #functions = new Set<string>()
  readonly #reasons = new Set<string>()
  readonly #unknownNodes = new Set<string>()
  readonly #sinks: Set<string>[] = []
  /** Set when the statement is not what its node type says, e.g. `SELECT … INTO` is DDL. */
  kind: StatementKind | undefined

  readTable(key: string): void {
    this.#tablesRead.add(key)
    for (const sink of this.#sinks) sink.add(key)
  }

  writeTable(key: string): void {
    this.#tablesWritten.add(key)
  }

  readColumn(key: string): void {
    this.#columnsRead.add(key)
  }

  writeColumn(key: string): void {
    this.#columnsWritten.add(key)
  }

  call(name: string): void {
    this.#functions.add(name)
  }

  because(reason: string): void {
    this.#reasons.add(reason)
  }

  unknownNode(type: string): void {
    this.#unknownNodes.add(type)
  }

  get writes(): boolean {
    return this.#reasons.size > 0
  }

  /** The tables `walk` reads, e.g. those a `FOR UPDATE` without `OF` locks. */
  tablesReadBy(walk: () => void): Set<string> {
    const sink = new Set<string>()
    this.#sinks.push(sink)
    try {
      walk()
    } finally {
      this.#sinks.pop()
    }
    return sink
  }

  /** Adds another classification's findings, e.g. a prepared statement's for `EXECUTE`. */
  merge(c: Classification): void {
    for (const t of c.tables.read) this.readTable(t)
    for (const t of c.tables.write) this.writeTable(t)
    for (const col of c.columns.read) this.readColumn(col)
    for (const col of c.columns.write) this.writeColumn(col)
    for (const f of c.functions) this.call(f)
    for (const r of c.reasons) this.because(r)
  }

  /**
   * The classification. A node type the walk does not know makes an otherwise harmless statement
   * a write (fail safe): it may be new syntax with effects we have not seen.
   */
  finish(statement: string, kind: StatementKind): Classification {
    if (this.#reasons.size === 0)
      for (const type of this.#unknownNodes) this.because(`unrecognised syntax ${type}`)
    const writes = this.writes
    const declared = this.kind ?? kind
    return {
      kind: writes && declared === 'read' ? 'write' : declared,
      statement,
      writes,
      reasons: [...this.#reasons],
      tables: { read: [...this.#tablesRead], write: [...this.#tablesWritten] },
      columns: { read: [...this.#columnsRead], write: [...this.#columnsWritten] },
      functions: [...this.#functions],
    }
  }
}
