// The columns a query, a relation or a FROM item yields, in order, with their lineages. Where the
// number of columns cannot be known from the statement and the catalog (a function in FROM that
// returns a record, relations whose columns differ), a `spread` stands for zero or more columns
// whose names are unknown: any name may match it, and positions after it are uncertain. A spread
// may know the names it can hold (same-named tables of different schemas): those names match it
// for certain, others not at all.
import { alternatives, CONSTANT, derived, type Lineage, sameLineage } from './lineage.ts'

export type OutputItem =
  | { readonly kind: 'column'; readonly name: string; readonly lineage: Lineage }
  | {
      readonly kind: 'spread'
      readonly lineage: Lineage
      /** The names it may hold, each with its lineage, when known. */
      readonly names?: ReadonlyMap<string, Lineage>
    }

export type Shape = readonly OutputItem[]

export function column(name: string, lineage: Lineage): OutputItem {
  return { kind: 'column', name, lineage }
}

export function spread(lineage: Lineage, names?: ReadonlyMap<string, Lineage>): OutputItem {
  return names === undefined ? { kind: 'spread', lineage } : { kind: 'spread', lineage, names }
}

/** Everything a shape may hold, as one computed value (a whole-row reference, say). */
export function wholeRow(shape: Shape): Lineage {
  return derived(shape.map((item) => item.lineage))
}

export function hasSpread(shape: Shape): boolean {
  return shape.some((item) => item.kind === 'spread')
}

/**
 * The lineage of the column `name`: the columns of that name, else what a spread may hold.
 * Undefined when the shape surely has no such column.
 */
export function columnLineage(shape: Shape, name: string): { lineage: Lineage; exact: boolean } | undefined {
  const exact: Lineage[] = []
  const maybe: Lineage[] = []
  for (const item of shape) {
    if (item.kind === 'column') {
      if (item.name === name) exact.push(item.lineage)
    } else if (item.names === undefined) maybe.push(item.lineage)
    else {
      const known = item.names.get(name)
      if (known !== undefined) exact.push(known)
    }
  }
  if (exact.length > 0) return { lineage: alternatives(exact), exact: true }
  if (maybe.length > 0) return { lineage: alternatives(maybe), exact: false }
  return undefined
}

/** The shape with its first columns renamed (`AS alias(a, b)`); names after a spread are lost. */
export function renamed(shape: Shape, names: readonly string[]): Shape {
  if (names.length === 0) return shape
  const firstSpread = shape.findIndex((item) => item.kind === 'spread')
  if (firstSpread !== -1 && firstSpread < names.length) {
    // The names cannot be placed: every one of them may be any column.
    const all = alternatives(shape.map((item) => item.lineage))
    return [...names.map((n) => column(n, all)), spread(all)]
  }
  return shape.map((item, i) => {
    const name = names[i]
    return name === undefined || item.kind === 'spread' ? item : column(name, item.lineage)
  })
}

/**
 * Column by column, a value of one shape or the other (UNION ALL, same-named relations). When
 * the positions cannot be matched, every column may hold anything of either.
 */
export function unionShapes(a: Shape, b: Shape): Shape {
  if (a.length === b.length && !hasSpread(a) && !hasSpread(b)) {
    return a.map((item, i) => {
      const other = b[i] as OutputItem
      const lineage = alternatives([item.lineage, other.lineage])
      return item.kind === 'column' ? column(item.name, lineage) : spread(lineage)
    })
  }
  return [spread(alternatives([...a, ...b].map((item) => item.lineage)))]
}

export function sameShape(a: Shape, b: Shape): boolean {
  return (
    a.length === b.length &&
    a.every((item, i) => {
      const other = b[i] as OutputItem
      return (
        item.kind === other.kind &&
        (item.kind !== 'column' || other.kind !== 'column' || item.name === other.name) &&
        sameLineage(item.lineage, other.lineage)
      )
    })
  )
}

/** The lineage at a 1-based position, or of every column when a spread makes it uncertain. */
export function lineageAt(shape: Shape, position: number): Lineage {
  const before = shape.slice(0, position)
  if (position >= 1 && position <= shape.length && !hasSpread(before))
    return (shape[position - 1] as OutputItem).lineage
  return shape.length === 0 ? CONSTANT : alternatives(shape.map((item) => item.lineage))
}
