// A walk over every node of a parse tree: node types with a handler get specific treatment, the
// expression and clause types listed below are walked through, and any other type is reported
// as unrecognised (which makes a statement that would otherwise be harmless a write).
import type { RangeVar } from 'libpg-query'
import { expressionHandlers } from './expression-handlers.ts'
import { type RelationRole, type Scope, tableKey } from './name-scope.ts'
import { queryHandlers } from './query-handlers.ts'
import type { StatementFacts } from './statement-facts.ts'
import { type ClassifyEnv, type NodeHandler, type NodeType, unwrapNode, type Walker } from './walker-types.ts'

const HANDLERS: Partial<Record<string, NodeHandler<NodeType>>> = { ...expressionHandlers, ...queryHandlers }

/** Node types that do nothing by themselves: walking their fields finds all there is. */
const PASSIVE_NODES: ReadonlySet<string> = new Set([
  ...['Integer', 'Float', 'Boolean', 'String', 'BitString', 'List', 'OidList', 'IntList', 'A_Const'],
  ...['Alias', 'TypeName', 'ParamRef', 'TypeCast', 'CollateClause', 'RoleSpec', 'A_Star', 'A_Indices'],
  ...['A_Indirection', 'A_ArrayExpr', 'ResTarget', 'MultiAssignRef', 'WindowDef', 'DefElem', 'XmlSerialize'],
  ...['GroupingSet', 'WithClause', 'InferClause', 'OnConflictClause', 'CTESearchClause', 'CTECycleClause'],
  ...['CommonTableExpr', 'MergeWhenClause', 'ReturningOption', 'ReturningClause', 'IndexElem', 'ColumnDef'],
  ...['BoolExpr', 'CaseExpr', 'CaseWhen', 'RowExpr', 'CoalesceExpr', 'MinMaxExpr', 'SQLValueFunction'],
  ...['XmlExpr', 'NullTest', 'BooleanTest', 'SetToDefault', 'CurrentOfExpr', 'GroupingFunc', 'NamedArgExpr'],
  ...['MergeSupportFunc', 'RangeSubselect', 'RangeFunction', 'RangeTableFunc', 'RangeTableFuncCol'],
  ...['RangeTableSample', 'JoinExpr', 'LockingClause', 'IntoClause', 'JsonOutput', 'JsonArgument'],
  ...['JsonFuncExpr', 'JsonTablePathSpec', 'JsonTable', 'JsonTableColumn', 'JsonKeyValue', 'JsonParseExpr'],
  ...['JsonScalarExpr', 'JsonSerializeExpr', 'JsonObjectConstructor', 'JsonArrayConstructor'],
  ...['JsonArrayQueryConstructor', 'JsonAggConstructor', 'JsonObjectAgg', 'JsonArrayAgg', 'JsonFormat'],
  ...['JsonReturning', 'JsonValueExpr', 'JsonIsPredicate', 'JsonBehavior'],
])

export class TreeWalker implements Walker {
  constructor(
    readonly facts: StatementFacts,
    readonly env: ClassifyEnv,
  ) {}

  walk(value: unknown, scope: Scope): void {
    if (Array.isArray(value)) {
      for (const item of value) this.walk(item, scope)
      return
    }
    if (typeof value !== 'object' || value === null) return
    const node = unwrapNode(value)
    if (node !== undefined) this.#dispatch(node.type, node.body, scope, true)
    // Some fields hold a relation without the `RangeVar` wrapper (`InsertStmt.relation`).
    else if ('relname' in value) this.relation(value as RangeVar, scope)
    else this.walkFields(value, scope)
  }

  /** Walks a statement's own node: its type is judged by the caller, not as an unknown expression. */
  walkStatement(type: string, body: object, scope: Scope): void {
    this.#dispatch(type, body, scope, false)
  }

  walkFields(body: object, scope: Scope, skip: readonly string[] = []): void {
    for (const [key, value] of Object.entries(body)) if (!skip.includes(key)) this.walk(value, scope)
  }

  relation(rel: RangeVar, scope: Scope, role: RelationRole = scope.role): string {
    const key = tableKey(rel.schemaname, rel.relname ?? '')
    if (role === 'write') this.facts.writeTable(key)
    else this.facts.readTable(key)
    this.walkFields(rel, scope, ['schemaname', 'relname', 'catalogname'])
    return key
  }

  #dispatch(type: string, body: object, scope: Scope, nested: boolean): void {
    const handler = HANDLERS[type]
    if (handler !== undefined) {
      handler(body as never, scope, this)
      return
    }
    if (nested && !PASSIVE_NODES.has(type)) this.facts.unknownNode(type)
    this.walkFields(body, scope)
  }
}
