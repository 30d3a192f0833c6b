// The columns of views, resolved to the columns behind them by analyzing the view's definition
// (pg_get_viewdef) like any statement, recursively for views over views. A view's definition
// runs whenever the view is read, so a definition that filters, joins or sorts on a masked
// column refuses the statement that reads the view, as the same SQL written out would. Each
// view column also counts as a column of its own, so a mask may name `view.column` too.
import type { Node } from 'libpg-query'
import { parseStatements } from '../classify/pg-parser.ts'
import type { CatalogRelation } from './catalog-snapshot.ts'
import { alternatives, derived, directLineage, sourceColumn } from './lineage.ts'
import { MaskingRefusal, refuseUnsupported } from './masking-refusal.ts'
import { column, hasSpread, type OutputItem, type Shape } from './output-shape.ts'

export class ViewShapes {
  readonly #analyze: (definition: Node) => Shape
  readonly #memo = new Map<number, Shape>()
  readonly #open = new Set<number>()

  /** `analyze` gives the output columns of a definition's query, analyzed on its own. */
  constructor(analyze: (definition: Node) => Shape) {
    this.#analyze = analyze
  }

  shape(view: CatalogRelation): Shape {
    const known = this.#memo.get(view.oid)
    if (known !== undefined) return known
    const name = `${view.schema}.${view.table}`
    if (this.#open.has(view.oid)) throw refuseUnsupported(`view ${name}, whose definition refers to itself`)
    this.#open.add(view.oid)
    try {
      const shape = this.#columns(view, this.#body(view, name))
      this.#memo.set(view.oid, shape)
      return shape
    } finally {
      this.#open.delete(view.oid)
    }
  }

  #body(view: CatalogRelation, name: string): Shape {
    const parsed = view.definition === undefined ? undefined : parseStatements(view.definition)
    const stmts = parsed !== undefined && 'stmts' in parsed ? (parsed.stmts ?? []) : []
    const [only] = stmts
    if (stmts.length !== 1 || only?.stmt === undefined || !('SelectStmt' in only.stmt))
      throw refuseUnsupported(`view ${name}, whose definition jitgate could not read`)
    try {
      return this.#analyze(only.stmt)
    } catch (error) {
      throw error instanceof MaskingRefusal ? error.inView(name) : error
    }
  }

  // Column by column when the definition's outputs line up with the view's columns; else every
  // column may hold anything the definition yields.
  #columns(view: CatalogRelation, body: Shape): Shape {
    const aligned = !hasSpread(body) && body.length === view.columns.length
    const everything = derived(body.map((item) => item.lineage))
    return view.columns.map((c, i) => {
      const own = directLineage(sourceColumn(view, c.name, view.parents, view.system))
      const inner = aligned ? (body[i] as OutputItem).lineage : everything
      return column(c.name, alternatives([inner, own]))
    })
  }
}
