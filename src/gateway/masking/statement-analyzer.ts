// The analyzer: dispatches expressions and queries to their handlers and owns the one check that
// refuses a statement, a masked column meeting a restricted use. It also is the AnalysisEnv of
// one plan: the catalog snapshot, the mask, the shapes of views (analyzed once per plan) and the
// relations the current statement reads.
import type { Node } from 'libpg-query'
import { type AnalysisEnv, type Analyzer, OUTPUT, type Use } from './analysis-types.ts'
import type { CatalogRelation, CatalogSnapshot } from './catalog-snapshot.ts'
import { deleteStatement, insertStatement, mergeStatement, updateStatement } from './dml-analysis.ts'
import { expressionLineage } from './expression-lineage.ts'
import { CONSTANT, derived, type Lineage } from './lineage.ts'
import type { MaskRules } from './mask-rules.ts'
import { refuseUnsupported, refuseUse } from './masking-refusal.ts'
import type { Shape } from './output-shape.ts'
import { Level } from './query-scope.ts'
import { tableShape } from './relation-items.ts'
import { selectStatement } from './select-analysis.ts'
import { ViewShapes } from './view-shapes.ts'

export class StatementAnalyzer implements Analyzer, AnalysisEnv {
  readonly env: AnalysisEnv = this
  readonly #views = new ViewShapes((definition) =>
    this.query(definition, new Level(undefined, false), OUTPUT),
  )
  #touched = new Set<CatalogRelation>()
  #readConstants = false

  constructor(
    readonly snapshot: CatalogSnapshot,
    readonly rules: MaskRules,
  ) {}

  relationShape(relation: CatalogRelation): Shape {
    return relation.kind === 'view' && !relation.system ? this.#views.shape(relation) : tableShape(relation)
  }

  touch(relation: CatalogRelation): void {
    this.#touched.add(relation)
  }

  readConstant(): void {
    this.#readConstants = true
  }

  /** True when any analysis so far turned on a constant's value (see Analyzer.readConstant). */
  get readConstants(): boolean {
    return this.#readConstants
  }

  /** Starts a statement: forgets the relations the last one read. */
  beginStatement(): void {
    this.#touched = new Set()
  }

  /** True when the current statement reads a relation with a masked column (views: behind them). */
  readsMasked(): boolean {
    for (const relation of this.#touched) {
      const shape = this.relationShape(relation)
      if (shape.some((item) => this.rules.firstMasked(item.lineage) !== undefined)) return true
    }
    return false
  }

  expr(node: Node | undefined, level: Level, use: Use): Lineage {
    return node === undefined ? CONSTANT : expressionLineage(this, node, level, use)
  }

  exprs(nodes: readonly Node[] | undefined, level: Level, use: Use): Lineage {
    return derived((nodes ?? []).map((node) => this.expr(node, level, use)))
  }

  query(node: Node | undefined, level: Level, use: Use): Shape {
    if (node === undefined) return []
    if ('SelectStmt' in node) return selectStatement(this, node.SelectStmt, level, use)
    if ('InsertStmt' in node) return insertStatement(this, node.InsertStmt, level)
    if ('UpdateStmt' in node) return updateStatement(this, node.UpdateStmt, level)
    if ('DeleteStmt' in node) return deleteStatement(this, node.DeleteStmt, level)
    if ('MergeStmt' in node) return mergeStatement(this, node.MergeStmt, level)
    const [type] = Object.keys(node)
    throw refuseUnsupported(`${type ?? 'this statement'} as a query`)
  }

  check(lineage: Lineage, use: Use): void {
    if (use.kind !== 'restricted') return
    const masked = this.rules.firstMasked(lineage)
    if (masked !== undefined) throw refuseUse(masked, use.clause, use.path)
  }
}
