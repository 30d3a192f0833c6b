// INSERT, UPDATE, DELETE and MERGE under masking. Their conditions are restricted like a WHERE;
// the values they write are copies (a masked column there is refused); writing a masked column
// itself is refused (a unique index or a foreign key would tell whether a guessed value exists);
// and RETURNING may name unmasked columns only. Rows of a table with masked columns are not
// updated, deleted or merged at all: PostgreSQL reports a failing change with the row's values
// (`Failing row contains (…)` of a NOT NULL or CHECK violation, the key of a row still referenced
// by a foreign key), masked ones included. Each returns its RETURNING columns.
import type { DeleteStmt, InsertStmt, MergeStmt, Node, ReturningClause, UpdateStmt } from 'libpg-query'
import { type Analyzer, restricted } from './analysis-types.ts'
import { declareCtes } from './cte-analysis.ts'
import { addFromItem, rangeVarItem } from './from-clause.ts'
import { sourceLabel } from './lineage.ts'
import { type LeakPath, refuseStatement, refuseUnresolved, refuseUnsupported } from './masking-refusal.ts'
import { columnLineage, hasSpread, type Shape, wholeRow } from './output-shape.ts'
import type { Level, RangeItem } from './query-scope.ts'
import { targetList } from './target-list.ts'

export function insertStatement(a: Analyzer, insert: InsertStmt, level: Level): Shape {
  declareCtes(a, insert.withClause, level)
  const target = targetItem(a, insert.relation)
  // The rows to insert cannot see the target table.
  const source = a.query(insert.selectStmt, level.child(), restricted('INSERT', 'copy'))
  const named = resTargetNames(insert.cols)
  const implicit = hasSpread(source)
    ? columnNames(target.shape)
    : columnNames(target.shape).slice(0, source.length)
  const written = insert.selectStmt === undefined ? [] : named.length > 0 ? named : implicit
  writeColumns(a, target, written, 'INSERT')
  level.items.push(target)
  const conflict = insert.onConflictClause
  if (conflict !== undefined) {
    if (conflict.action === 'ONCONFLICT_UPDATE') checkChangeable(a, target, 'INSERT … ON CONFLICT DO UPDATE')
    level.items.push({ name: 'excluded', schemas: [], shape: target.shape, qualifiedOnly: true })
    for (const elem of conflict.infer?.indexElems ?? []) {
      if (!('IndexElem' in elem)) continue
      const { name, expr } = elem.IndexElem
      if (name !== undefined) writeColumns(a, target, [name], 'ON CONFLICT', 'filter')
      a.expr(expr, level, restricted('ON CONFLICT'))
    }
    a.expr(conflict.infer?.whereClause, level, restricted('ON CONFLICT'))
    assignments(a, conflict.targetList, target, level, 'ON CONFLICT … DO UPDATE')
    a.expr(conflict.whereClause, level, restricted('ON CONFLICT … WHERE'))
  }
  return returning(a, insert.returningClause, target, level, [target.shape])
}

export function updateStatement(a: Analyzer, update: UpdateStmt, level: Level): Shape {
  const target = changedTarget(a, update, level, 'UPDATE')
  const from = (update.fromClause ?? []).map((item) => addFromItem(a, item, level))
  assignments(a, update.targetList, target, level, 'UPDATE … SET')
  a.expr(update.whereClause, level, restricted('WHERE'))
  return returning(a, update.returningClause, target, level, [target.shape, ...from])
}

export function deleteStatement(a: Analyzer, del: DeleteStmt, level: Level): Shape {
  const target = changedTarget(a, del, level, 'DELETE')
  const using = (del.usingClause ?? []).map((item) => addFromItem(a, item, level))
  a.expr(del.whereClause, level, restricted('WHERE'))
  return returning(a, del.returningClause, target, level, [target.shape, ...using])
}

export function mergeStatement(a: Analyzer, merge: MergeStmt, level: Level): Shape {
  const target = changedTarget(a, merge, level, 'MERGE')
  if (merge.sourceRelation === undefined) throw refuseUnsupported('MERGE without a source')
  const source = addFromItem(a, merge.sourceRelation, level)
  a.expr(merge.joinCondition, level, restricted('MERGE … ON'))
  for (const node of merge.mergeWhenClauses ?? []) {
    if (!('MergeWhenClause' in node)) throw refuseUnsupported('this MERGE clause')
    const when = node.MergeWhenClause
    a.expr(when.condition, level, restricted('MERGE … WHEN'))
    if (when.commandType === 'CMD_UPDATE')
      assignments(a, when.targetList, target, level, 'MERGE … UPDATE SET')
    if (when.commandType === 'CMD_INSERT') {
      const named = resTargetNames(when.targetList)
      const count = when.values?.length ?? 0
      writeColumns(
        a,
        target,
        named.length > 0 ? named : columnNames(target.shape).slice(0, count),
        'MERGE … INSERT',
      )
      a.exprs(when.values, level, restricted('MERGE … INSERT', 'copy'))
    }
  }
  return returning(a, merge.returningClause, target, level, [target.shape, source])
}

/**
 * The CTEs and the target table of an UPDATE, DELETE or MERGE, in scope, once the table is
 * known to hold no masked column (see checkChangeable).
 */
function changedTarget(
  a: Analyzer,
  statement: UpdateStmt | DeleteStmt | MergeStmt,
  level: Level,
  verb: string,
): RangeItem {
  declareCtes(a, statement.withClause, level)
  const target = targetItem(a, statement.relation)
  checkChangeable(a, target, verb)
  level.items.push(target)
  return target
}

function targetItem(a: Analyzer, relation: InsertStmt['relation']): RangeItem {
  if (relation === undefined) throw refuseUnsupported('a data change without a table')
  return rangeVarItem(a, relation, undefined)
}

function checkChangeable(a: Analyzer, target: RangeItem, verb: string): void {
  const masked = target.shape
    .map((item) => a.env.rules.firstMasked(item.lineage))
    .find((s) => s !== undefined)
  if (masked === undefined) return
  throw refuseStatement(
    `${verb} of ${target.name}, which has masked columns (${sourceLabel(masked)}),`,
    'A failing change reports the row’s values in its error (a NOT NULL or CHECK violation, a row still referenced by a foreign key), masked ones included.',
  )
}

/** SET a = …, (b, c) = (SELECT …): the columns are written, the values copied. */
function assignments(
  a: Analyzer,
  targets: readonly Node[] | undefined,
  target: RangeItem,
  level: Level,
  clause: string,
) {
  for (const node of targets ?? []) {
    if (!('ResTarget' in node)) throw refuseUnsupported(`this ${clause}`)
    writeColumns(a, target, [node.ResTarget.name ?? ''], clause)
    a.expr(node.ResTarget.val, level, restricted(clause, 'copy'))
  }
}

/** Refuses writing (or, for ON CONFLICT, comparing) a masked column of the target. */
function writeColumns(
  a: Analyzer,
  target: RangeItem,
  names: readonly string[],
  clause: string,
  path: LeakPath = 'write',
): void {
  for (const name of names) {
    const found = columnLineage(target.shape, name)
    if (found === undefined) throw refuseUnresolved(`${target.name}.${name}`)
    a.check(found.exact ? found.lineage : wholeRow(target.shape), restricted(clause, path))
  }
}

// RETURNING old.* / new.* (PostgreSQL 18) name the target row before and after the change.
function returning(
  a: Analyzer,
  clause: ReturningClause | undefined,
  target: RangeItem,
  level: Level,
  roots: readonly Shape[],
): Shape {
  if (clause === undefined) return []
  level.items.push(
    { name: 'old', schemas: [], shape: target.shape, qualifiedOnly: true },
    { name: 'new', schemas: [], shape: target.shape, qualifiedOnly: true },
  )
  level.roots.push(...roots)
  return targetList(a, clause.exprs, level, restricted('RETURNING', 'returning'))
}

function resTargetNames(nodes: readonly Node[] | undefined): string[] {
  return (nodes ?? []).flatMap((n) => ('ResTarget' in n ? [n.ResTarget.name ?? ''] : []))
}

function columnNames(shape: Shape): string[] {
  return shape.flatMap((item) => (item.kind === 'column' ? [item.name] : []))
}
