// Name resolution while analyzing a statement: which FROM items, CTEs and outer queries a column
// reference can see, so that `c.ssn`, `ssn` or `x` (an alias of a subquery's column) is tied to
// the table columns behind it. Resolution errs towards too many columns: an unqualified name that
// several items could mean takes all of them, and a spread (columns of unknown names) may mean
// any name. A reference from a FROM item to the items before it is marked lateral.
import { alternatives, derived, type Lineage } from './lineage.ts'
import { columnLineage, type Shape, unionShapes, wholeRow } from './output-shape.ts'

/** A FROM item (table, view, subquery, CTE, function, aliased join) or `excluded`/`old`/`new`. */
export interface RangeItem {
  /** The alias, or the relation's own name. */
  readonly name: string
  /** Schemas a `schema.name` qualifier may name (none when aliased or not a relation). */
  readonly schemas: readonly string[]
  readonly shape: Shape
  /** System columns (ctid, xmin…) of a table, which `*` does not expand. */
  readonly systemColumn?: (name: string) => Lineage | undefined
  /** Reached only by a qualified name (`excluded.x`, `old.x`, `new.x`). */
  readonly qualifiedOnly?: boolean
}

export interface Reference {
  readonly lineage: Lineage
  /** Found in the query a FROM item belongs to, from inside that FROM item. */
  readonly lateral: boolean
}

export class Level {
  readonly items: RangeItem[] = []
  /** What `*` expands to: each top-level FROM item's columns, in order. */
  readonly roots: Shape[] = []
  readonly ctes = new Map<string, Shape>()

  /** `fromItem`: this level is a FROM item (subquery, function) of its parent. */
  constructor(
    readonly parent: Level | undefined,
    readonly fromItem: boolean,
  ) {}

  child(fromItem = false): Level {
    return new Level(this, fromItem)
  }

  cte(name: string): Shape | undefined {
    for (let l: Level | undefined = this; l !== undefined; l = l.parent) {
      const found = l.ctes.get(name)
      if (found !== undefined) return found
    }
    return undefined
  }
}

/** The columns a (possibly qualified) column reference may read; undefined when nothing matches. */
export function resolveColumn(level: Level, names: readonly string[]): Reference | undefined {
  const column = names[names.length - 1] ?? ''
  if (names.length === 1) return unqualified(level, column)
  const found = qualified(level, names.slice(0, -1).slice(-2), column)
  if (found !== undefined || names.length !== 3) return found
  // `t.composite.field`: a field of a column, computed from it.
  const whole = qualified(level, names.slice(0, 1), names[1] ?? '')
  return whole === undefined ? undefined : { lineage: derived([whole.lineage]), lateral: whole.lateral }
}

/** What `*` (no qualifier) or `t.*` expands to; undefined when nothing matches. */
export function resolveStar(
  level: Level,
  qualifier: readonly string[],
): { shape: Shape; lateral: boolean } | undefined {
  if (qualifier.length === 0)
    return level.roots.length === 0 ? undefined : { shape: level.roots.flat(), lateral: false }
  const found = itemsNamed(level, qualifier.slice(-2))
  if (found === undefined) return undefined
  const [first, ...rest] = found.items
  if (first === undefined) return undefined
  return { shape: rest.reduce((s, item) => unionShapes(s, item.shape), first.shape), lateral: found.lateral }
}

function qualified(level: Level, qualifier: readonly string[], column: string): Reference | undefined {
  const found = itemsNamed(level, qualifier)
  if (found === undefined) return undefined
  const parts = found.items.flatMap((item) => {
    const lineage = columnLineage(item.shape, column)?.lineage ?? item.systemColumn?.(column)
    return lineage === undefined ? [] : [lineage]
  })
  return parts.length === 0 ? undefined : { lineage: alternatives(parts), lateral: found.lateral }
}

function itemsNamed(
  level: Level,
  qualifier: readonly string[],
): { items: readonly RangeItem[]; lateral: boolean } | undefined {
  let lateral = false
  for (let l: Level | undefined = level; l !== undefined; l = l.parent) {
    const items = l.items.filter((item) => matches(item, qualifier))
    if (items.length > 0) return { items, lateral }
    lateral = l.fromItem
  }
  return undefined
}

function matches(item: RangeItem, qualifier: readonly string[]): boolean {
  if (qualifier.length === 1) return item.name === qualifier[0]
  return item.name === qualifier[1] && item.schemas.includes(qualifier[0] ?? '')
}

function unqualified(level: Level, name: string): Reference | undefined {
  const maybe: Lineage[] = []
  let maybeLateral = false
  let lateral = false
  for (let l: Level | undefined = level; l !== undefined; l = l.parent) {
    const exact: Lineage[] = []
    for (const item of l.items) {
      if (item.qualifiedOnly === true) continue
      const found = columnLineage(item.shape, name)
      const system = found === undefined ? item.systemColumn?.(name) : undefined
      if (found?.exact === true) exact.push(found.lineage)
      else if (found !== undefined) maybe.push(found.lineage)
      else if (system !== undefined) exact.push(system)
      if (found?.exact === false) maybeLateral ||= lateral
    }
    if (exact.length > 0)
      return { lineage: alternatives([...exact, ...maybe]), lateral: lateral || maybeLateral }
    lateral = l.fromItem
  }
  // A column of unknown name may be it, and so may a whole row: both count.
  const whole = wholeRowReference(level, name)
  if (maybe.length === 0) return whole
  const parts = whole === undefined ? maybe : [...maybe, whole.lineage]
  return { lineage: alternatives(parts), lateral: maybeLateral || whole?.lateral === true }
}

// A bare relation name as a value is its whole row (`SELECT c FROM customers c`).
function wholeRowReference(level: Level, name: string): Reference | undefined {
  let lateral = false
  for (let l: Level | undefined = level; l !== undefined; l = l.parent) {
    const item = l.items.find((i) => i.name === name && i.qualifiedOnly !== true)
    if (item !== undefined) return { lineage: wholeRow(item.shape), lateral }
    lateral = l.fromItem
  }
  return undefined
}
