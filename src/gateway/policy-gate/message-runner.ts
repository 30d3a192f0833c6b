// What the gate does with a decided message: runs it (every table allowed, or approved), with
// what the decisions oblige (masking plan, row limit, timeout) and its audit events, written
// after the result on the fast path or durably before it runs; or refuses it, audited.
import type { GrantFact, PolicySet } from '../../policy/index.ts'
import { isThenable, type Mutable } from '../../shared/index.ts'
import type { ForwardedEnd, ForwardedResult, GateDecision, RowTransformFactory } from '../wire/index.ts'
import { type MessageOrigin, resultDraft, type StatementRecord, statementDraft } from './audit-draft.ts'
import type { AuditTracker } from './audit-tracker.ts'
import { masksAnything, mergeRunObligations, type RunObligations } from './combine-decisions.ts'
import { type MessageRefusal, type StatementPlan, unlimitedRows } from './decide-statements.ts'
import { auditOrigin, type Message } from './gate-message.ts'
import * as say from './gate-messages.ts'
import type { GateMaskPlan, PolicyGateDeps } from './gate-ports.ts'
import { planRecords, type RunBasis, refusedDrafts } from './message-records.ts'
import { grantsThatMayCover } from './policy-input.ts'
import type { StatementLog } from './statement-log.ts'
import { statementResults } from './statement-results.ts'

export type RunnerDeps = Pick<PolicyGateDeps, 'masking' | 'newId' | 'log'>

export class MessageRunner {
  constructor(
    private readonly deps: RunnerDeps,
    private readonly audit: AuditTracker,
    private readonly statements: StatementLog,
  ) {}

  /** Runs `plans`: every table is allowed, or needs approval that `basis` gives. */
  run(
    message: Message,
    plans: readonly StatementPlan[],
    set: PolicySet,
    grants: readonly GrantFact[],
    basis: RunBasis,
  ): GateDecision | Promise<GateDecision> {
    const decisions = plans.flatMap((p) => p.tables.map((t) => t.decision))
    const obligations = mergeRunObligations(decisions, set.fieldClasses)
    const streaming =
      obligations.rowLimit === undefined ? undefined : unlimitedRows(plans, obligations.rowLimit)
    if (streaming !== undefined) return this.refuse(message, plans, set, streaming, basis)
    const runBasis = grants.length === 0 ? basis : withCoveringGrants(basis, plans, grants)
    const records = planRecords(plans, this.deps.newId, runBasis, obligations)
    const origin = auditOrigin(message, set)
    const durable =
      runBasis.requests.length > 0 ||
      runBasis.grants.length > 0 ||
      plans.some((p) => p.entry.classification.writes) ||
      !this.audit.open
    if (!masksAnything(obligations.mask)) {
      if (!durable) return this.#forward(message, origin, records, obligations, undefined, false)
      return this.#auditThenForward(message, origin, records, obligations, undefined)
    }
    const plan = this.#mask(message, set, obligations)
    const facts = { message, origin, records, obligations, durable }
    return isThenable(plan) ? plan.then((rows) => this.#masked(facts, rows)) : this.#masked(facts, plan)
  }

  #masked(
    facts: {
      readonly message: Message
      readonly origin: MessageOrigin
      readonly records: readonly StatementRecord[]
      readonly obligations: RunObligations
      readonly durable: boolean
    },
    rows: MaskedRows,
  ): GateDecision | Promise<GateDecision> {
    const { message, origin, records, obligations, durable } = facts
    if ('action' in rows) return this.refuseRecords(origin, records, 0, rows)
    if (!durable) return this.#forward(message, origin, records, obligations, rows.rows, false)
    return this.#auditThenForward(message, origin, records, obligations, rows.rows)
  }

  /** Refuses the message for the statement `refused` names; every statement audited. */
  refuse(
    message: Message,
    plans: readonly StatementPlan[],
    set: PolicySet,
    refused: MessageRefusal,
    basis: RunBasis,
  ): say.Refusal {
    const records = planRecords(plans, this.deps.newId, basis)
    this.refuseRecords(auditOrigin(message, set), records, refused.index, refused.refusal)
    return refused.refusal
  }

  /** Audits the refusal of statements the gate could not decide on (unparseable, unknown). */
  refuseRecords(
    origin: MessageOrigin,
    records: readonly StatementRecord[],
    atFault: number,
    refusal: say.Refusal,
  ): say.Refusal {
    this.audit.later(refusedDrafts(origin, records, atFault, refusal.sqlstate ?? '42501'))
    return refusal
  }

  /** Runs the statements once their `db.statement` events are durable; refuses them when they cannot be. */
  async #auditThenForward(
    message: Message,
    origin: MessageOrigin,
    records: readonly StatementRecord[],
    obligations: RunObligations,
    rows: RowTransformFactory | undefined,
  ): Promise<GateDecision> {
    try {
      await this.audit.durable(
        records.map((record) => statementDraft(origin, record, { outcome: 'forwarded' })),
      )
    } catch (error) {
      this.deps.log.error(
        { err: error, connection: origin.connection },
        'a statement’s decision could not be audited; it does not run',
      )
      return say.auditUnavailable()
    }
    return this.#forward(message, origin, records, obligations, rows, true)
  }

  #mask(message: Message, set: PolicySet, obligations: RunObligations): MaskedRows | Promise<MaskedRows> {
    const { masking } = this.deps
    const { mask } = obligations
    if (masking === undefined || message.sql === undefined || mask === undefined)
      return say.maskingUnavailable()
    const { shape, executes } = message.classified
    const plan = masking.plan({
      upstream: message.session.upstream,
      sql: message.sql,
      mask,
      classOf: (field) => set.fieldClasses.get(field),
      scope: set,
      // The shape is of the message's own text; an EXECUTE's masked SQL is another's.
      ...(shape === undefined || executes ? {} : { shape }),
    })
    return isThenable(plan) ? plan.then(maskedRows) : maskedRows(plan)
  }

  #forward(
    message: Message,
    origin: MessageOrigin,
    records: readonly StatementRecord[],
    obligations: RunObligations,
    rows: RowTransformFactory | undefined,
    durable: boolean,
  ): GateDecision {
    for (const { effects } of message.classified.statements)
      if (effects.ok) message.state.apply(effects.effects)
    const { rowLimit, statementTimeoutSeconds } = obligations
    // Bound methods, not arrow functions: tsx names every arrow function assigned to a property
    // (esbuild's keepNames), a defineProperty per message on the gateway's hottest path.
    const watch = new ResultWatch(this.audit, this.statements, origin, records, durable)
    // Filled in, not spread: spreading optional parts made three objects more per statement.
    const decision: Mutable<Extract<GateDecision, { action: 'forward' }>> = {
      action: 'forward',
      onResult: watch.onResult.bind(watch),
      onEnd: watch.onEnd.bind(watch),
    }
    if (rows !== undefined) decision.rows = rows
    if (rowLimit !== undefined) decision.rowLimit = rowLimit
    if (statementTimeoutSeconds !== undefined) decision.timeoutMs = statementTimeoutSeconds * 1000
    return decision
  }
}

/** Collects a forwarded message's results and, at its end, audits what came of each statement. */
class ResultWatch {
  readonly #results: ForwardedResult[] = []

  constructor(
    private readonly audit: AuditTracker,
    private readonly statements: StatementLog,
    private readonly origin: MessageOrigin,
    private readonly records: readonly StatementRecord[],
    /** The statements' events were written before they ran: only their results follow. */
    private readonly durable: boolean,
  ) {}

  onResult(result: ForwardedResult): void {
    this.#results.push(result)
  }

  onEnd(end: ForwardedEnd): void {
    const { origin, records } = this
    const outcomes = statementResults(records.length, this.#results, end)
    if (this.durable)
      this.audit.later(records.map((record, i) => resultDraft(origin, record.id, outcomes[i] ?? NOT_RUN)))
    else
      for (let i = 0; i < records.length; i++)
        this.statements.add(origin, records[i] as StatementRecord, outcomes[i] ?? NOT_RUN)
  }
}

const NOT_RUN = Object.freeze({ outcome: 'not_run' as const })

/** `basis` and every grant that might cover a table of the plans, each once. */
function withCoveringGrants(
  basis: RunBasis,
  plans: readonly StatementPlan[],
  grants: readonly GrantFact[],
): RunBasis {
  const covering = new Set(
    plans.flatMap((p) => p.tables.flatMap((t) => grantsThatMayCover(grants, t.resource))),
  )
  return { requests: basis.requests, grants: [...basis.grants, ...[...covering].map((g) => g.id)] }
}

/** A masking plan as the runner uses it: refused, or the rows' transform (none: nothing to mask). */
type MaskedRows = say.Refusal | { readonly rows?: RowTransformFactory }

function maskedRows(plan: GateMaskPlan): MaskedRows {
  if (plan.kind === 'refuse') return say.maskingRefused(plan.message, plan.detail, plan.hint)
  return plan.rows === undefined ? {} : { rows: plan.rows }
}
