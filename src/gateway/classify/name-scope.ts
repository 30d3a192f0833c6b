// Name resolution while walking a statement: which tables, subqueries and CTEs a column
// reference can see, so `u.email` in `FROM users u` is reported as `users.email`. Without the
// database's schema an unqualified column is only tied to a table when one table is in reach.

export type RelationRole = 'read' | 'write'

/** A FROM item: a table (with its key) or a derived relation (subquery, CTE, function). */
export interface RangeEntry {
  /** The alias, or the relation's own name when it has none. */
  readonly name: string
  /** Only when the relation was written `schema.table` without an alias. */
  readonly schema?: string
  /** Set for tables: the key reported in `tables` and `columns`. */
  readonly table?: string
  /** Reached only by name (`excluded.x`, `old.x`), never by an unqualified column or `*`. */
  readonly qualifiedOnly?: boolean
}

export interface ScopeOptions {
  /** How a bare relation met here counts: read, or a DDL/DML target. */
  readonly role?: RelationRole
  /** Why a nested INSERT/UPDATE/DELETE/MERGE here is a write, e.g. `data-modifying CTE`. */
  readonly nestedIn?: string
  /** Inside an object's definition (a rule's actions, a function body): nothing runs now. */
  readonly inDefinition?: boolean
}

export class Scope {
  readonly entries: RangeEntry[] = []
  readonly ctes = new Set<string>()
  readonly role: RelationRole
  readonly nestedIn: string | undefined
  readonly inDefinition: boolean

  constructor(
    readonly parent: Scope | undefined,
    options: ScopeOptions = {},
  ) {
    this.role = options.role ?? parent?.role ?? 'read'
    this.nestedIn = options.nestedIn ?? parent?.nestedIn
    this.inDefinition = options.inDefinition ?? parent?.inDefinition ?? false
  }

  child(options: ScopeOptions = {}): Scope {
    return new Scope(this, options)
  }

  hasCte(name: string): boolean {
    for (let s: Scope | undefined = this; s !== undefined; s = s.parent) if (s.ctes.has(name)) return true
    return false
  }

  /** The entry a qualifier (`u`, `public.users`) names, innermost scope first. */
  find(qualifier: readonly string[]): RangeEntry | undefined {
    for (let s: Scope | undefined = this; s !== undefined; s = s.parent) {
      const found = s.entries.find((e) =>
        qualifier.length === 1
          ? e.name === qualifier[0]
          : e.schema === qualifier[0] && e.name === qualifier[1],
      )
      if (found !== undefined) return found
    }
    return undefined
  }

  /** The entries of the innermost scope that has any: what an unqualified column can mean. */
  nearestEntries(): readonly RangeEntry[] {
    for (let s: Scope | undefined = this; s !== undefined; s = s.parent) {
      const reachable = s.entries.filter((e) => e.qualifiedOnly !== true)
      if (reachable.length > 0) return reachable
    }
    return []
  }
}

/** `name`, double-quoted when it could be misread in a dotted key. */
export function quoteName(name: string): string {
  return name === '' || /[."*?]/.test(name) ? `"${name.replaceAll('"', '""')}"` : name
}

export function tableKey(schema: string | undefined, name: string): string {
  return schema === undefined || schema === '' ? quoteName(name) : `${quoteName(schema)}.${quoteName(name)}`
}

/** A column a reference reads: its `table.column` key, and the table when it is known. */
export interface ColumnUse {
  readonly key: string
  readonly table?: string
}

function use(table: string | undefined, column: string): ColumnUse {
  return table === undefined ? { key: `?.${column}` } : { key: `${table}.${column}`, table }
}

/**
 * The columns a column reference reads: `names` are its dotted parts without the column when
 * `star`, else with it last. Unresolvable ones have the key `?.column`; references to a
 * subquery's or CTE's columns give nothing, since the subquery's own references were recorded.
 */
export function columnUses(names: readonly string[], star: boolean, scope: Scope): ColumnUse[] {
  const column = star ? '*' : quoteName(names[names.length - 1] ?? '')
  // A four-part name starts with the database, which can only be the current one.
  const qualifier = (star ? names : names.slice(0, -1)).slice(-2)
  if (qualifier.length > 0) {
    const entry = scope.find(qualifier)
    if (entry === undefined) return [use(undefined, column)]
    return entry.table === undefined ? [] : [use(entry.table, column)]
  }
  const entries = scope.nearestEntries()
  if (star) return entries.flatMap((e) => (e.table === undefined ? [] : [use(e.table, '*')]))
  // A bare table alias as a column is the whole row (`SELECT u FROM users u`, `row_to_json(u)`).
  const whole = entries.find((e) => e.name === names[0])
  if (whole !== undefined) return whole.table === undefined ? [] : [use(whole.table, '*')]
  const [only] = entries
  if (entries.length === 1 && only !== undefined)
    return only.table === undefined ? [] : [use(only.table, column)]
  return entries.some((e) => e.table !== undefined) ? [use(undefined, column)] : []
}
