// Classifies one parsed statement. Most statement types are walked with the tree walker under the
// kind and reason their type gives (statement-kinds.ts); the ones whose meaning depends on their
// options are decided here: EXPLAIN, PREPARE/EXECUTE, SET, DISCARD, COPY, transaction control.
import type { Node } from 'libpg-query'
import type { Classification, StatementKind } from './classification-types.ts'
import { executePrepared } from './expression-handlers.ts'
import { addRelation } from './from-clause.ts'
import { quoteName, Scope, tableKey } from './name-scope.ts'
import { setStatement } from './set-statements.ts'
import { StatementFacts } from './statement-facts.ts'
import { statementSpec } from './statement-kinds.ts'
import { TreeWalker } from './tree-walker.ts'
import { type ClassifyEnv, type NodeBody, splitName, stringsOf, unwrapNode } from './walker-types.ts'

export interface StatementClassification extends Classification {
  readonly prepared?: { readonly name: string; readonly classification: Classification }
}

type Special = (body: never, env: ClassifyEnv) => StatementClassification

const SPECIAL: Partial<Record<string, Special>> = {
  ExplainStmt: (explain: NodeBody<'ExplainStmt'>, env) => {
    const inner = innerClassification(explain.query, env)
    // EXPLAIN ANALYZE runs the statement; plain EXPLAIN only plans it.
    if (!explain.options?.some((o) => 'DefElem' in o && isAnalyze(o.DefElem)))
      return referenced(inner, 'ExplainStmt')
    const reasons = inner.writes ? ['EXPLAIN ANALYZE of a write', ...inner.reasons] : []
    return { ...inner, statement: 'ExplainStmt', reasons }
  },
  PrepareStmt: (prepare: NodeBody<'PrepareStmt'>, env) => {
    const inner = innerClassification(prepare.query, env)
    return {
      ...referenced(inner, 'PrepareStmt'),
      prepared: { name: prepare.name ?? '', classification: inner },
    }
  },
  ExecuteStmt: (execute: NodeBody<'ExecuteStmt'>, env) =>
    walked('ExecuteStmt', env.prepared.get(execute.name ?? '')?.kind ?? 'utility', env, (w, scope) => {
      executePrepared(execute.name ?? '', w)
      w.walk(execute.params, scope)
    }),
  VariableSetStmt: (set: NodeBody<'VariableSetStmt'>) => {
    const { kind, reason } = setStatement(set)
    return walked('VariableSetStmt', kind, undefined, (w) =>
      reason === undefined ? undefined : w.facts.because(reason),
    )
  },
  DiscardStmt: (discard: NodeBody<'DiscardStmt'>) =>
    walked('DiscardStmt', 'utility', undefined, (w) => {
      // DISCARD ALL includes SET SESSION AUTHORIZATION DEFAULT; DISCARD TEMP drops tables.
      if (discard.target === 'DISCARD_ALL') w.facts.because('DISCARD ALL')
      if (discard.target === 'DISCARD_TEMP') w.facts.because('DISCARD TEMP')
    }),
  TransactionStmt: (tx: NodeBody<'TransactionStmt'>) =>
    walked('TransactionStmt', 'transaction', undefined, (w) => {
      // Two-phase commit acts on transactions that may belong to other sessions.
      if (tx.kind === 'TRANS_STMT_PREPARE') w.facts.because('PREPARE TRANSACTION')
      if (tx.kind === 'TRANS_STMT_COMMIT_PREPARED') w.facts.because('COMMIT PREPARED')
      if (tx.kind === 'TRANS_STMT_ROLLBACK_PREPARED') w.facts.because('ROLLBACK PREPARED')
    }),
  CopyStmt: (copy: NodeBody<'CopyStmt'>, env) =>
    walked('CopyStmt', copy.is_from === true ? 'write' : 'read', env, (w, scope) => {
      if (copy.is_from === true) w.facts.because('COPY FROM')
      if (copy.is_program === true) w.facts.because('COPY PROGRAM')
      else if (copy.filename !== undefined)
        w.facts.because(`COPY ${copy.is_from ? 'FROM' : 'TO'} a server file`)
      const role = copy.is_from === true ? 'write' : 'read'
      const table = copy.relation === undefined ? undefined : addRelation(copy.relation, scope, w, role)
      const columns = stringsOf(copy.attlist).map(quoteName)
      for (const column of table === undefined ? [] : columns.length > 0 ? columns : ['*']) {
        if (role === 'write') w.facts.writeColumn(`${table}.${column}`)
        else w.facts.readColumn(`${table}.${column}`)
      }
      w.walk(copy.query, scope.child({ nestedIn: 'COPY' }))
      w.walk(copy.whereClause, scope)
    }),
  VacuumStmt: (vacuum: NodeBody<'VacuumStmt'>, env) =>
    walked('VacuumStmt', 'utility', env, (w, scope) => {
      w.facts.because(vacuum.is_vacuumcmd === true ? 'VACUUM' : 'ANALYZE')
      w.walk(vacuum.rels, scope.child({ role: 'write' }))
    }),
  CallStmt: (call: NodeBody<'CallStmt'>, env) =>
    walked('CallStmt', 'write', env, (w, scope) => {
      w.facts.because('CALL')
      if (call.funccall === undefined) return
      const [schema, name] = splitName(stringsOf(call.funccall.funcname))
      w.facts.call(schema === undefined ? name : `${schema}.${name}`)
      w.walk(call.funccall.args, scope)
    }),
  TruncateStmt: (truncate: NodeBody<'TruncateStmt'>, env) =>
    walked('TruncateStmt', 'write', env, (w, scope) => {
      w.facts.because('TRUNCATE')
      for (const rel of truncate.relations ?? []) {
        if ('RangeVar' in rel) w.facts.writeColumn(`${w.relation(rel.RangeVar, scope, 'write')}.*`)
      }
    }),
}

const DROPPED_RELATIONS = new Set([
  'OBJECT_TABLE',
  'OBJECT_VIEW',
  'OBJECT_MATVIEW',
  'OBJECT_FOREIGN_TABLE',
  'OBJECT_SEQUENCE',
])

/** Classifies a top-level statement node. */
export function classifyNode(node: Node, env: ClassifyEnv): StatementClassification {
  const unwrapped = unwrapNode(node)
  if (unwrapped === undefined)
    return walked('unknown', 'utility', env, (w) => w.facts.because('unrecognised statement'))
  const { type, body } = unwrapped
  const special = SPECIAL[type]
  if (special !== undefined) return special(body as never, env)
  const spec = statementSpec(type)
  const scope = new Scope(undefined, {
    role: spec.reason === undefined ? 'read' : 'write',
    inDefinition: spec.definition,
  })
  return walked(type, spec.kind, env, (w) => {
    if (spec.reason !== undefined) w.facts.because(spec.reason)
    w.walkStatement(type, body, scope)
    if ('DropStmt' in node && DROPPED_RELATIONS.has(node.DropStmt.removeType ?? '')) {
      for (const name of node.DropStmt.objects ?? []) {
        if ('List' in name) w.facts.writeTable(tableKey(...splitName(stringsOf(name.List.items))))
      }
    }
  })
}

function walked(
  statement: string,
  kind: StatementKind,
  env: ClassifyEnv | undefined,
  walk: (w: TreeWalker, scope: Scope) => void,
): StatementClassification {
  const facts = new StatementFacts()
  walk(new TreeWalker(facts, env ?? { catalog: undefined, prepared: new Map() }), new Scope(undefined))
  return facts.finish(statement, kind)
}

function innerClassification(query: Node | undefined, env: ClassifyEnv): Classification {
  return query === undefined ? walked('unknown', 'utility', env, () => undefined) : classifyNode(query, env)
}

/** A statement that only names what another would touch (EXPLAIN, PREPARE): nothing runs. */
function referenced(inner: Classification, statement: string): Classification {
  const union = (a: readonly string[], b: readonly string[]) => [...new Set([...a, ...b])]
  return {
    kind: 'utility',
    statement,
    writes: false,
    reasons: [],
    tables: { read: union(inner.tables.read, inner.tables.write), write: [] },
    columns: { read: union(inner.columns.read, inner.columns.write), write: [] },
    functions: inner.functions,
  }
}

// PostgreSQL's boolean options take true/false, on/off, yes/no, 1/0 and their unique prefixes;
// anything that is not clearly false counts as true, so a spelling we missed still analyzes.
const FALSE_WORDS = new Set(['f', 'fa', 'fal', 'fals', 'false', 'n', 'no', 'of', 'off', '0'])

function isAnalyze(option: NodeBody<'DefElem'>): boolean {
  if (option.defname !== 'analyze' && option.defname !== 'analyse') return false
  const arg = option.arg
  if (arg === undefined) return true
  if ('Boolean' in arg) return arg.Boolean.boolval === true
  if ('Integer' in arg) return (arg.Integer.ival ?? 0) !== 0
  if ('String' in arg) return !FALSE_WORDS.has((arg.String.sval ?? '').toLowerCase())
  return true
}
