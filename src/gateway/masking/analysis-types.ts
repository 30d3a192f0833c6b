// The contract between the statement analyzer and the handlers of particular node types, and the
// one idea the analysis rests on: every expression is analyzed under a Use. `output` means its
// value flows to an output column (masked values may, and come back masked); `restricted` means
// anything else (a filter, a sort key, a copy, an argument of something that could fail on the
// value), where a masked column refuses the statement, naming the clause.
import type { Node } from 'libpg-query'
import type { NodeBody, NodeType } from '../classify/walker-types.ts'
import type { CatalogRelation, CatalogSnapshot } from './catalog-snapshot.ts'
import type { Lineage } from './lineage.ts'
import type { MaskRules } from './mask-rules.ts'
import type { LeakPath } from './masking-refusal.ts'
import type { Shape } from './output-shape.ts'
import type { Level } from './query-scope.ts'

export type Use =
  | { readonly kind: 'output' }
  | { readonly kind: 'restricted'; readonly clause: string; readonly path: LeakPath }

export const OUTPUT: Use = Object.freeze({ kind: 'output' })

export function restricted(clause: string, path: LeakPath = 'filter'): Use {
  return { kind: 'restricted', clause, path }
}

/** Once restricted, everything below stays so, under the outermost clause. */
export function narrow(use: Use, clause: string, path: LeakPath = 'filter'): Use {
  return use.kind === 'restricted' ? use : restricted(clause, path)
}

/** What the analysis of one statement reads and decides with. */
export interface AnalysisEnv {
  readonly snapshot: CatalogSnapshot
  readonly rules: MaskRules
  /** The columns a relation yields: tables directly, views through their definitions. */
  relationShape(relation: CatalogRelation): Shape
  /** Records a relation the statement reads or writes (for masking by default). */
  touch(relation: CatalogRelation): void
}

export interface Analyzer {
  readonly env: AnalysisEnv
  /** An expression's lineage; refuses when a masked column meets a restricted use. */
  expr(node: Node | undefined, level: Level, use: Use): Lineage
  /** Several expressions, as one value computed from all. */
  exprs(nodes: readonly Node[] | undefined, level: Level, use: Use): Lineage
  /** A query (SELECT, VALUES, a set operation, or a data-modifying statement's RETURNING). */
  query(node: Node | undefined, level: Level, use: Use): Shape
  /** Refuses when a masked column flows into a restricted use. */
  check(lineage: Lineage, use: Use): void
  /**
   * Notes that the analysis turned on a constant's value (`ORDER BY 2`, substring's integer
   * positions): it then holds for this text only, not for texts that differ in constants.
   */
  readConstant(): void
}

/** The type and fields of a wrapped node, or undefined for anything else. */
export function unwrap(value: unknown): { type: string; body: Record<string, unknown> } | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined
  const keys = Object.keys(value)
  const [type] = keys
  if (keys.length !== 1 || type === undefined || !/^[A-Z]/.test(type)) return undefined
  const body: unknown = (value as Record<string, unknown>)[type]
  return typeof body === 'object' && body !== null && !Array.isArray(body)
    ? { type, body: body as Record<string, unknown> }
    : undefined
}

/** The texts of a list of `String` nodes (a qualified name, a column list). */
export function strings(nodes: readonly Node[] | undefined): string[] {
  return (nodes ?? []).flatMap((n) => ('String' in n ? [n.String.sval ?? ''] : []))
}

/** `[schema, name]` of a possibly qualified name; a catalog part in front is dropped. */
export function splitName(parts: readonly string[]): [string | undefined, string] {
  const name = parts[parts.length - 1] ?? ''
  return [parts.length > 1 ? parts[parts.length - 2] : undefined, name]
}

// Node types as the classifier's walker names them: one definition over libpg-query's JSON.
export type { NodeBody, NodeType } from '../classify/walker-types.ts'

export type ExprHandler<K extends NodeType> = (
  body: NodeBody<K>,
  level: Level,
  use: Use,
  a: Analyzer,
) => Lineage

export type ExprHandlers = { readonly [K in NodeType]?: ExprHandler<K> }
