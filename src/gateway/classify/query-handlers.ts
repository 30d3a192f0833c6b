// SELECT, INSERT, UPDATE, DELETE and MERGE, wherever they appear (top level, subquery, CTE):
// which tables and columns each reads and writes, and the clauses that make a SELECT a write
// (`INTO`, `FOR UPDATE` and its kin).
import type { LockClauseStrength, Node, RangeVar, ReturningClause, SelectStmt } from 'libpg-query'
import { addFromItem, addRelation, declareCtes } from './from-clause.ts'
import { quoteName, type Scope } from './name-scope.ts'
import type { NodeHandlers, Walker } from './walker-types.ts'

const LOCK_REASONS: Readonly<Record<LockClauseStrength, string>> = {
  LCS_NONE: 'row lock',
  LCS_FORKEYSHARE: 'FOR KEY SHARE',
  LCS_FORSHARE: 'FOR SHARE',
  LCS_FORNOKEYUPDATE: 'FOR NO KEY UPDATE',
  LCS_FORUPDATE: 'FOR UPDATE',
}

function selectStatement(select: SelectStmt, parent: Scope, w: Walker): void {
  const scope = parent.child({ role: 'read' })
  declareCtes(select.withClause, scope, w)
  if (select.op !== undefined && select.op !== 'SETOP_NONE') {
    if (select.larg !== undefined) selectStatement(select.larg, scope, w)
    if (select.rarg !== undefined) selectStatement(select.rarg, scope, w)
  }
  const fromTables = w.facts.tablesReadBy(() => {
    for (const item of select.fromClause ?? []) addFromItem(item, scope, w)
  })
  if (select.intoClause !== undefined) {
    w.facts.because('SELECT INTO')
    w.facts.kind = 'ddl'
    if (select.intoClause.rel !== undefined) w.relation(select.intoClause.rel, scope, 'write')
  }
  w.walk(select.targetList, scope)
  const outputNames = new Set(
    (select.targetList ?? []).flatMap((t) => ('ResTarget' in t ? [t.ResTarget.name] : [])),
  )
  walkSortKeys(select.sortClause, outputNames, scope, w)
  walkSortKeys(select.distinctClause, outputNames, scope, w)
  lockRows(select.lockingClause, fromTables, scope, w)
  const handled = ['withClause', 'larg', 'rarg', 'fromClause', 'intoClause', 'targetList', 'sortClause']
  w.walkFields(select, scope, [...handled, 'distinctClause', 'lockingClause'])
}

// ORDER BY and DISTINCT ON take a bare name as an output column (`SELECT a AS x … ORDER BY x`),
// but inside an expression the name is an input column again; GROUP BY prefers input columns.
function walkSortKeys(
  keys: readonly Node[] | undefined,
  outputNames: Set<string | undefined>,
  scope: Scope,
  w: Walker,
) {
  for (const key of keys ?? []) {
    const target = 'SortBy' in key ? key.SortBy.node : key
    const fields = target !== undefined && 'ColumnRef' in target ? (target.ColumnRef.fields ?? []) : []
    const [only] = fields
    const outputName =
      fields.length === 1 && only !== undefined && 'String' in only && outputNames.has(only.String.sval)
    if (!outputName) w.walk(key, scope)
    else if ('SortBy' in key) w.walk({ SortBy: { ...key.SortBy, node: undefined } }, scope)
  }
}

/** FOR UPDATE and its kin lock rows (which needs UPDATE privilege): the locked tables are written. */
function lockRows(
  clauses: readonly Node[] | undefined,
  fromTables: ReadonlySet<string>,
  scope: Scope,
  w: Walker,
) {
  for (const node of clauses ?? []) {
    if (!('LockingClause' in node)) {
      w.walk(node, scope)
      continue
    }
    const lock = node.LockingClause
    w.facts.because(LOCK_REASONS[lock.strength ?? 'LCS_FORUPDATE'])
    const named = (lock.lockedRels ?? []).flatMap((r) => ('RangeVar' in r ? [r.RangeVar.relname ?? ''] : []))
    const tables = named.map((name) => scope.find([name])?.table)
    // No OF list, or OF a subquery or CTE: every table the FROM clause reads is locked.
    if (named.length === 0 || tables.includes(undefined)) for (const t of fromTables) w.facts.writeTable(t)
    for (const t of tables) if (t !== undefined) w.facts.writeTable(t)
  }
}

/** The reason a data-modifying statement gives, unless it only defines something (a rule's action). */
function modifies(verb: string, scope: Scope, w: Walker): void {
  if (!scope.inDefinition)
    w.facts.because(scope.nestedIn === undefined ? verb : `${scope.nestedIn} (${verb})`)
}

function target(rel: RangeVar | undefined, scope: Scope, w: Walker): string | undefined {
  return rel === undefined ? undefined : addRelation(rel, scope, w, 'write')
}

function writeColumns(table: string | undefined, columns: readonly string[], w: Walker): void {
  if (table === undefined) return
  for (const c of columns) w.facts.writeColumn(`${table}.${c === '*' ? '*' : quoteName(c)}`)
}

/** SET a = …, b = …: the columns written, and the expressions read. */
function assignments(
  targets: readonly Node[] | undefined,
  table: string | undefined,
  scope: Scope,
  w: Walker,
) {
  for (const node of targets ?? []) {
    if (!('ResTarget' in node)) continue
    writeColumns(table, [node.ResTarget.name ?? ''], w)
    w.walkFields(node.ResTarget, scope, ['name'])
  }
}

function targetNames(targets: readonly Node[] | undefined): string[] {
  const names = (targets ?? []).flatMap((t) => ('ResTarget' in t ? [t.ResTarget.name ?? ''] : []))
  return names.length === 0 ? ['*'] : names
}

// RETURNING old.* / new.* (PostgreSQL 18) name the target row before and after the change.
function returning(clause: ReturningClause | undefined, table: string | undefined, scope: Scope, w: Walker) {
  if (clause === undefined) return
  if (table !== undefined) {
    scope.entries.push(
      { name: 'old', table, qualifiedOnly: true },
      { name: 'new', table, qualifiedOnly: true },
    )
  }
  w.walk(clause, scope)
}

export const queryHandlers: NodeHandlers = {
  SelectStmt: selectStatement,
  InsertStmt: (insert, parent, w) => {
    const scope = parent.child({ role: 'read' })
    declareCtes(insert.withClause, scope, w)
    modifies('INSERT', scope, w)
    // The rows to insert cannot see the target table.
    w.walk(insert.selectStmt, scope)
    const table = target(insert.relation, scope, w)
    writeColumns(table, targetNames(insert.cols), w)
    const conflict = insert.onConflictClause
    if (conflict !== undefined) {
      scope.entries.push({ name: 'excluded', qualifiedOnly: true })
      assignments(conflict.targetList, table, scope, w)
      w.walkFields(conflict, scope, ['targetList'])
    }
    returning(insert.returningClause, table, scope, w)
  },
  UpdateStmt: (update, parent, w) => {
    const scope = parent.child({ role: 'read' })
    declareCtes(update.withClause, scope, w)
    modifies('UPDATE', scope, w)
    const table = target(update.relation, scope, w)
    for (const item of update.fromClause ?? []) addFromItem(item, scope, w)
    assignments(update.targetList, table, scope, w)
    w.walk(update.whereClause, scope)
    returning(update.returningClause, table, scope, w)
  },
  DeleteStmt: (del, parent, w) => {
    const scope = parent.child({ role: 'read' })
    declareCtes(del.withClause, scope, w)
    modifies('DELETE', scope, w)
    const table = target(del.relation, scope, w)
    writeColumns(table, ['*'], w)
    for (const item of del.usingClause ?? []) addFromItem(item, scope, w)
    w.walk(del.whereClause, scope)
    returning(del.returningClause, table, scope, w)
  },
  MergeStmt: (merge, parent, w) => {
    const scope = parent.child({ role: 'read' })
    declareCtes(merge.withClause, scope, w)
    modifies('MERGE', scope, w)
    const table = target(merge.relation, scope, w)
    if (merge.sourceRelation !== undefined) addFromItem(merge.sourceRelation, scope, w)
    w.walk(merge.joinCondition, scope)
    for (const node of merge.mergeWhenClauses ?? []) {
      if (!('MergeWhenClause' in node)) continue
      const when = node.MergeWhenClause
      if (when.commandType === 'CMD_UPDATE') assignments(when.targetList, table, scope, w)
      else if (when.commandType === 'CMD_INSERT') writeColumns(table, targetNames(when.targetList), w)
      else if (when.commandType === 'CMD_DELETE') writeColumns(table, ['*'], w)
      w.walk(when.condition, scope)
      w.walk(when.values, scope)
    }
    returning(merge.returningClause, table, scope, w)
  },
}
