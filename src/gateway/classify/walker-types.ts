// The contract between the tree walker and the handlers for particular node types, and small
// helpers over libpg-query's JSON, in which a node is `{ TypeName: { …fields } }`.
import type { Node, RangeVar } from 'libpg-query'
import type { FunctionCatalog, PreparedStatements } from './classification-types.ts'
import type { RelationRole, Scope } from './name-scope.ts'
import type { StatementFacts } from './statement-facts.ts'

/** Every node type name, e.g. `SelectStmt`, `ColumnRef`. */
export type NodeType = Node extends infer N ? (N extends unknown ? keyof N : never) : never

/** The fields of a node type, e.g. `NodeBody<'SelectStmt'>` is libpg-query's `SelectStmt`. */
export type NodeBody<K extends NodeType> = Node extends infer N
  ? N extends Record<K, infer B>
    ? B
    : never
  : never

/** What a classification depends on besides the statement. */
export interface ClassifyEnv {
  readonly catalog: FunctionCatalog | undefined
  readonly prepared: PreparedStatements
}

export interface Walker {
  readonly facts: StatementFacts
  readonly env: ClassifyEnv
  /** Walks any value: a node, an array, a struct of fields. */
  walk(value: unknown, scope: Scope): void
  /** Walks a node's fields except those in `skip` (which the caller handles). */
  walkFields(body: object, scope: Scope, skip?: readonly string[]): void
  /** Records a relation as read or written (by default as the scope says) and returns its key. */
  relation(rel: RangeVar, scope: Scope, role?: RelationRole): string
}

export type NodeHandler<K extends NodeType> = (body: NodeBody<K>, scope: Scope, w: Walker) => void

export type NodeHandlers = { readonly [K in NodeType]?: NodeHandler<K> }

/** The type and fields of a wrapped node, or undefined for anything else. */
export function unwrapNode(value: object): { type: string; body: object } | undefined {
  const keys = Object.keys(value)
  const [type] = keys
  if (keys.length !== 1 || type === undefined || !/^[A-Z]/.test(type)) return undefined
  const body: unknown = (value as Record<string, unknown>)[type]
  return typeof body === 'object' && body !== null && !Array.isArray(body) ? { type, body } : undefined
}

/** The texts of a list of `String` nodes (a qualified name, a column list). */
export function stringsOf(nodes: readonly Node[] | undefined): string[] {
  return (nodes ?? []).flatMap((n) => ('String' in n ? [n.String.sval ?? ''] : []))
}

/** `[schema, name]` of a possibly qualified name list; a catalog part in front is dropped. */
export function splitName(parts: readonly string[]): [string | undefined, string] {
  const name = parts[parts.length - 1] ?? ''
  return [parts.length > 1 ? parts[parts.length - 2] : undefined, name]
}

/** The verb of an INSERT/UPDATE/DELETE/MERGE node, or undefined for anything else. */
export function dataModifyingVerb(node: Node | undefined): string | undefined {
  if (node === undefined) return undefined
  if ('InsertStmt' in node) return 'INSERT'
  if ('UpdateStmt' in node) return 'UPDATE'
  if ('DeleteStmt' in node) return 'DELETE'
  if ('MergeStmt' in node) return 'MERGE'
  return undefined
}
