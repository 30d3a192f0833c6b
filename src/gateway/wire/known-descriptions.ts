// The RowDescriptions of the session's prepared statements, as PostgreSQL gave them to the
// Describe the gateway injects before a masked Execute, kept so that the next Execute of the
// same statement with the same result formats does not ask again: the Describe and its answer
// were a fifth of a masked prepared statement's cost.
//
// A wrong description would put a field's mask on another field, so what is kept is only what
// PostgreSQL itself holds fixed. A prepared statement's result columns (count and types) do not
// change while it lives: when a plan would change them PostgreSQL fails the statement instead
// ("cached plan must not change result type"). The key is the Parse that made the statement
// (the unnamed one, or a name closed and parsed again, is a new statement, while a portal bound
// from the old one lives on) and the result formats. What the description says of each field's
// origin can only change with the statement's meaning, which within the session takes another
// statement: so everything is forgotten at every simple Query and at every Execute of anything
// but a masked read (DDL, SET, a procedure may all run as one); and an answer asked for before
// such a forget, arriving after it (the client pipelined), is not kept. Another session's DDL changes no origin (a column keeps its number when
// renamed); one dropped and another added of the same type is the case the kept transforms
// (row-masking.ts) already share, and a kept description maps the old field to what the catalog
// now says of it, which masks the unknown.
import type { RowDescription } from './backend-messages.ts'

// A client cycling through more statements than this loses the oldest: they are asked again.
const MAX_KEPT = 256

export class KnownDescriptions {
  readonly #kept = new Map<string, RowDescription>()
  #era = 0

  /**
   * Counts the forgets: a Describe's answer arrives after the messages pipelined behind it were
   * read, so one asked before a forget is kept only if no forget came since (see set).
   */
  get era(): number {
    return this.#era
  }

  /** The key of a portal bound with `resultFormats` from the statement `parse` made. */
  static key(parse: number, resultFormats: readonly number[]): string {
    return resultFormats.length === 0 ? `${parse}` : `${parse}:${resultFormats.join(',')}`
  }

  get(key: string): RowDescription | undefined {
    return this.#kept.get(key)
  }

  /** Keeps `description`, asked for in `era`, unless something was forgotten since. */
  set(key: string, description: RowDescription, era: number): void {
    if (era !== this.#era) return
    if (this.#kept.size >= MAX_KEPT) this.#kept.delete(this.#kept.keys().next().value as string)
    this.#kept.set(key, description)
  }

  /** A statement ran or changed that may change what any description would say. */
  forget(): void {
    this.#era++
    if (this.#kept.size > 0) this.#kept.clear()
  }
}
