// The plain types the statement classifier returns and takes: what a policy sees of one SQL
// statement as the `context` of a `db.query` action.

/** What sort of statement it is. `read` is only ever given to a statement that changes nothing. */
export type StatementKind = 'read' | 'write' | 'ddl' | 'dcl' | 'transaction' | 'utility'

/** PostgreSQL's `provolatile`: immutable, stable or volatile. */
export type Volatility = 'i' | 's' | 'v'

/** Where a statement is in the input: UTF-16 code unit offsets (JavaScript string indices), end exclusive. */
export interface StatementLocation {
  readonly start: number
  readonly end: number
}

/** What a statement reads, writes and calls, and whether it can change data or state. */
export interface Classification {
  readonly kind: StatementKind
  /** The parse tree's statement node, e.g. `SelectStmt`, `ExplainStmt`. */
  readonly statement: string
  /** True whenever data or state may change; then `reasons` says why. */
  readonly writes: boolean
  readonly reasons: readonly string[]
  /** `schema.table` as written (unqualified names depend on the session's search_path). */
  readonly tables: { readonly read: readonly string[]; readonly write: readonly string[] }
  /** `table.column`, `table.*` for every column, `?.column` when the table cannot be told. */
  readonly columns: { readonly read: readonly string[]; readonly write: readonly string[] }
  /** Functions called, with their schema when written with one. */
  readonly functions: readonly string[]
}

export interface ClassifiedStatement extends Classification {
  readonly location: StatementLocation
  /** Set for `PREPARE name AS …`: what `EXECUTE name` will do, to remember for later statements. */
  readonly prepared?: { readonly name: string; readonly classification: Classification }
}

export interface StatementError {
  readonly message: string
  /** UTF-16 offset in the whole input where PostgreSQL's parser stopped. */
  readonly position: number
  readonly hint: string
}

/** A statement PostgreSQL's parser rejects: jitgate denies it. */
export interface UnparseableStatement {
  readonly location: StatementLocation
  readonly kind: 'error'
  readonly error: StatementError
}

export type StatementResult = ClassifiedStatement | UnparseableStatement

/** The volatility of functions and operators outside pg_catalog, as the upstream's catalog says. */
export interface FunctionCatalog {
  /** The most volatile overload of `schema.name`, or of `name` in any schema when `schema` is undefined. */
  functionVolatility(schema: string | undefined, name: string): Volatility | undefined
  operatorVolatility(schema: string | undefined, name: string): Volatility | undefined
}

/** Prepared statements known to the session: name → what executing it does. */
export type PreparedStatements = ReadonlyMap<string, Classification>
