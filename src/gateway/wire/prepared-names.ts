// The SQL behind each prepared statement and portal of a session, as the gateway saw the
// client send it, so Bind and Execute reach the gate with the SQL they run. Named ones are
// kept up to a bound (a client cannot grow the gateway's memory at will); the oldest beyond
// it is forgotten, and a forgotten or never-seen name reaches the gate as unknown SQL. A portal
// also counts the rows its Executes sent, for row limits that span them.
import type { PortalRows } from './result-watch.ts'
import type { GateStatement } from './statement-gate.ts'

export interface PortalInfo {
  readonly statement: string
  readonly sql: string | undefined
  readonly params: readonly (Buffer | null)[]
  readonly paramFormats: readonly number[]
  readonly resultFormats: readonly number[]
  /**
   * Which Parse made the statement it was bound from (each has its own number: the unnamed
   * statement, or a name closed and parsed again, is another statement); undefined if unknown.
   */
  readonly parse: number | undefined
  /** Rows its Executes sent so far: a row limit counts across them. */
  readonly sent: PortalRows
}

const MAX_NAMED = 10_000

interface Parsed {
  readonly sql: string
  readonly parse: number
}

export class PreparedNames {
  readonly #statements = new Map<string, Parsed>()
  readonly #portals = new Map<string, PortalInfo>()
  #parses = 0

  sqlOf(statement: string): string | undefined {
    return this.#statements.get(statement)?.sql
  }

  portal(name: string): PortalInfo | undefined {
    return this.#portals.get(name)
  }

  /** A forwarded Parse, Bind or simple Query. */
  record(statement: GateStatement): void {
    if (statement.kind === 'simple') {
      // A simple Query drops the unnamed statement and portal.
      this.#statements.delete('')
      this.#portals.delete('')
    } else if (statement.phase === 'parse') {
      remember(this.#statements, statement.statement, { sql: statement.sql, parse: this.#parses++ })
    } else if (statement.phase === 'bind') {
      const named = statement.portal !== ''
      remember(this.#portals, statement.portal, {
        statement: statement.statement ?? '',
        sql: statement.sql,
        // Views into the received chunk would keep it alive as long as a named portal lives.
        params: named ? statement.params.map((p) => (p === null ? null : Buffer.from(p))) : statement.params,
        paramFormats: statement.paramFormats,
        resultFormats: statement.resultFormats ?? [],
        parse: this.#statements.get(statement.statement ?? '')?.parse,
        sent: { rows: 0 },
      })
    }
  }

  close(target: 'S' | 'P', name: string): void {
    if (target === 'S') this.#statements.delete(name)
    else this.#portals.delete(name)
  }
}

function remember<T>(map: Map<string, T>, name: string, value: T): void {
  map.delete(name)
  map.set(name, value)
  if (map.size <= MAX_NAMED) return
  const oldest = map.keys().next()
  if (oldest.done !== true) map.delete(oldest.value)
}
