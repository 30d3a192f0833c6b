// The gateway's StatementGate: every statement a `db.query` action decided by the policy
// engine. A simple Query is decided whole (refused whole when any statement is refused); a
// Parse is only classified (an unparseable one is refused there); a Bind runs nothing and
// passes; an Execute is decided on the SQL it runs. The common case (classification, grants
// and catalog cached) answers without a promise; approval is asked in approval-flow.ts, and
// what runs is run, and audited, in message-runner.ts.
import { DEFAULT_MAX_ITEMS } from '../../audit/index.ts'
import type { GrantFact } from '../../policy/index.ts'
import type { FunctionCatalog } from '../classify/index.ts'
import type { GateDecision, GateSession, GateStatement, StatementGate } from '../wire/index.ts'
import { ApprovalFlow, type ApprovalRunner } from './approval-flow.ts'
import { AuditTracker } from './audit-tracker.ts'
import { CatalogCache } from './catalog-cache.ts'
import { ClassificationCache, classifyMessage, preparedEntry, resolveExecutes } from './classified-message.ts'
import { decideStatements, refusalOf } from './decide-statements.ts'
import { DecisionMemo } from './decision-memo.ts'
import { auditOrigin, inputOrigin, type Message, maskedSql, messageOf } from './gate-message.ts'
import * as say from './gate-messages.ts'
import type { PolicyGateDeps } from './gate-ports.ts'
import { GrantFactsCache } from './grant-facts-cache.ts'
import { NO_BASIS, unparseableRecords } from './message-records.ts'
import { MessageRunner } from './message-runner.ts'
import { SessionState } from './session-state.ts'
import { DEFAULT_READ_BATCH_MS, StatementLog } from './statement-log.ts'

const FORWARD: GateDecision = Object.freeze({ action: 'forward' })

export class PolicyGate implements StatementGate {
  readonly #deps: PolicyGateDeps
  readonly #sessions = new WeakMap<GateSession, SessionState>()
  readonly #classifications: ClassificationCache
  readonly #grants: GrantFactsCache
  readonly #catalogs: CatalogCache
  readonly #audit: AuditTracker
  readonly #statements: StatementLog
  readonly #memo = new DecisionMemo()
  readonly #runner: MessageRunner

  constructor(deps: PolicyGateDeps) {
    this.#deps = deps
    this.#classifications = new ClassificationCache(deps.classificationCacheSize ?? 5000)
    this.#grants = new GrantFactsCache(deps.grantFacts, deps.grantCacheMs ?? 10_000)
    this.#catalogs = new CatalogCache(deps.functionCatalog, deps.catalogCacheMs ?? 60_000, deps.log)
    this.#audit = new AuditTracker(deps.audit, deps.log, deps.maxPendingAudits ?? 10_000)
    this.#statements = new StatementLog({
      write: (drafts) => this.#audit.later(drafts),
      now: () => deps.clock.now(),
      flushMs: deps.statementLogMs ?? DEFAULT_READ_BATCH_MS,
      maxStatements: deps.statementLogMax ?? DEFAULT_MAX_ITEMS,
    })
    this.#runner = new MessageRunner(deps, this.#audit, this.#statements)
  }

  decide(session: GateSession, statement: GateStatement): GateDecision | Promise<GateDecision> {
    const now = this.#deps.clock.now()
    const known = this.#catalogs.peek(session.upstream, now)
    if (known !== undefined) return this.#decide(session, statement, known.catalog)
    return this.#catalogs
      .fetch(session.upstream, now)
      .then(({ catalog }) => this.#decide(session, statement, catalog))
  }

  /** Forgets cached grants (of one actor, or all): call it when grants or requests change. */
  invalidate(actorId?: string): void {
    this.#grants.invalidate(actorId)
  }

  /** Writes the statements held for their batch, and resolves once every audit write has settled. */
  flush(): Promise<void> {
    this.#statements.flush()
    return this.#audit.idle()
  }

  #decide(session: GateSession, statement: GateStatement, catalog: FunctionCatalog | undefined) {
    let state = this.#sessions.get(session)
    if (state === undefined) {
      state = new SessionState()
      this.#sessions.set(session, state)
    }
    if (statement.kind === 'simple') return this.#message(session, state, statement.sql, catalog, 'simple')
    if (statement.phase === 'bind') return FORWARD
    if (statement.phase === 'parse')
      return this.#parse(session, state, statement.statement, statement.sql, catalog)
    if (statement.sql !== undefined) return this.#message(session, state, statement.sql, catalog, 'extended')
    // Prepared in SQL (PREPARE): decided on what the gate saw it prepared as.
    const name = statement.statement ?? ''
    const prepared = state.prepared(name)
    if (prepared === undefined)
      return this.#unknownPrepared(
        messageOf(session, state, { statements: [], executes: false }, undefined, 'extended'),
        name,
      )
    const classified = { statements: [preparedEntry(session.upstream, prepared)], executes: false }
    return this.#decideMessage(messageOf(session, state, classified, prepared.sql, 'extended'))
  }

  #classify(session: GateSession, state: SessionState, sql: string, catalog: FunctionCatalog | undefined) {
    const classified = this.#classifications.get(session.upstream, sql, catalog)
    return classified.executes
      ? classifyMessage(sql, session.upstream, catalog, state.classifications)
      : classified
  }

  #message(
    session: GateSession,
    state: SessionState,
    sql: string,
    catalog: FunctionCatalog | undefined,
    protocol: 'simple' | 'extended',
  ) {
    const classified = this.#classify(session, state, sql, catalog)
    const resolved = classified.executes
      ? resolveExecutes(classified, (name) => state.prepared(name))
      : classified
    if ('unknown' in resolved)
      return this.#unknownPrepared(
        messageOf(session, state, classified, undefined, protocol),
        resolved.unknown,
      )
    return this.#decideMessage(messageOf(session, state, resolved, maskedSql(state, resolved, sql), protocol))
  }

  // A Parse runs nothing: only a statement PostgreSQL could not parse is refused here.
  #parse(
    session: GateSession,
    state: SessionState,
    name: string,
    sql: string,
    catalog: FunctionCatalog | undefined,
  ) {
    const classified = this.#classify(session, state, sql, catalog)
    if (classified.unparseable !== undefined)
      return this.#decideMessage(messageOf(session, state, classified, sql, 'extended'))
    const [only] = classified.statements
    if (only !== undefined && classified.statements.length === 1) state.remember(name, { ...only, sql })
    return FORWARD
  }

  #decideMessage(message: Message): GateDecision | Promise<GateDecision> {
    const { unparseable, statements } = message.classified
    if (unparseable !== undefined) {
      const records = unparseableRecords(unparseable, this.#deps.newId)
      const refusal = say.unparseable(unparseable.error, { index: unparseable.index, of: records.length })
      const origin = auditOrigin(message, this.#deps.policies.current)
      return this.#runner.refuseRecords(origin, records, unparseable.index, refusal)
    }
    // An empty query runs nothing and touches nothing.
    if (statements.length === 0) return FORWARD
    const now = this.#deps.clock.now()
    const grants = this.#grants.peek(message.actor.id, now)
    if (grants !== undefined) return this.#evaluate(message, now, grants)
    return this.#grants.fetch(message.actor.id, now).then(
      (facts) => this.#evaluate(message, now, facts),
      (error: unknown) => {
        this.#deps.log.error({ err: error, actor: message.actor.id }, 'the actor’s grants could not be read')
        return say.grantsUnavailable()
      },
    )
  }

  #evaluate(message: Message, now: Date, grants: readonly GrantFact[]): GateDecision | Promise<GateDecision> {
    const { set, plans } = this.#plans(message, now, grants)
    const refused = refusalOf(plans)
    if (refused !== undefined) return this.#runner.refuse(message, plans, set, refused, NO_BASIS)
    if (!plans.some((p) => p.verdict?.effect === 'require_approval'))
      return this.#runner.run(message, plans, set, grants, NO_BASIS)
    return new ApprovalFlow(this.#deps, message.session, this.#approvalRunner(message))
      .ask(plans, set, grants)
      .catch((error: unknown) => {
        this.#deps.log.error(
          { err: error, connection: message.session.id },
          'the approval of a statement failed',
        )
        const refused = { index: 0, refusal: say.approvalFailed() }
        return this.#runner.refuse(message, plans, set, refused, NO_BASIS)
      })
  }

  #plans(message: Message, now: Date, grants: readonly GrantFact[]) {
    const set = this.#deps.policies.current
    const { state, classified } = message
    return {
      set,
      plans: decideStatements(
        set,
        inputOrigin(message, now, grants),
        state.flags,
        classified.statements,
        this.#memo.scope(set, message.actor, grants),
      ),
    }
  }

  #approvalRunner(message: Message): ApprovalRunner {
    return {
      evaluate: (now, grants) => this.#plans(message, now, grants),
      run: (plans, set, grants, basis) => this.#runner.run(message, plans, set, grants, basis),
      refuse: (plans, set, refused, basis) => this.#runner.refuse(message, plans, set, refused, basis),
      freshGrants: (now) => {
        this.#grants.invalidate(message.actor.id)
        return this.#grants.fetch(message.actor.id, now)
      },
    }
  }

  #unknownPrepared(message: Message, name: string): say.Refusal {
    const record = {
      id: this.#deps.newId(),
      position: 0,
      of: 1,
      text: `(prepared statement ${name})`,
      decision: 'unknown_statement' as const,
      rules: [],
    }
    const origin = auditOrigin(message, this.#deps.policies.current)
    return this.#runner.refuseRecords(origin, [record], 0, say.unknownPrepared(name))
  }
}

/** The policy gate over `deps` (await `initClassifier()` from the classifier first). */
export function createPolicyGate(deps: PolicyGateDeps): PolicyGate {
  return new PolicyGate(deps)
}
