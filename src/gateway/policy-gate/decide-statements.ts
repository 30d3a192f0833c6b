// Each statement of a message decided on the policy set: once per table it touches, with the
// session's jitgate settings as the statements before it in the message leave them, combined
// into the statement's verdict. Then what refuses the whole message: the first statement that
// is denied, needs consent, sets a jitgate setting the gate cannot read, or would stream rows
// past a row limit. Pure: the policy set's evaluate is.
import type { PolicySet } from '../../policy/index.ts'
import type { StatementEntry } from './classified-message.ts'
import { combineTables, type StatementVerdict, type TableDecision } from './combine-decisions.ts'
import type { MemoScope } from './decision-memo.ts'
import * as say from './gate-messages.ts'
import { policyInput, type StatementOrigin } from './policy-input.ts'
import { flagsAfter, type SessionFlags } from './session-state.ts'

export interface StatementPlan {
  readonly entry: StatementEntry
  /** The session's jitgate settings this statement is decided with. */
  readonly flags: SessionFlags
  readonly tables: readonly TableDecision[]
  /** undefined when the statement is a jitgate setting the gate cannot read (see `refusal`). */
  readonly verdict: StatementVerdict | undefined
}

/**
 * Decides every statement; `flags` are the session's before the message. `memo`: where allows
 * may be kept and found again (decision-memo.ts), when the set and the actor's grants allow it.
 */
export function decideStatements(
  set: PolicySet,
  origin: Omit<StatementOrigin, 'unmask'>,
  flags: SessionFlags,
  entries: readonly StatementEntry[],
  memo?: MemoScope,
): StatementPlan[] {
  let current = flags
  return entries.map((entry) => {
    const { effects } = entry
    if (!effects.ok) return { entry, flags: current, tables: [], verdict: undefined }
    // A jitgate setting is decided with the value it sets (`SET jitgate.unmask = on` asks as unmasked).
    const after = flagsAfter(current, effects.effects)
    const own = effects.jitgateSetting ? after : current
    current = after
    const tables = entry.resources.map((resource): TableDecision => {
      const kept = memo?.get(entry, resource, own.unmask)
      if (kept !== undefined) return kept
      const input = policyInput({ ...origin, unmask: own.unmask }, resource, entry.context)
      const table = { resource, input, decision: set.evaluate(input) }
      memo?.keep(entry, resource, own.unmask, table)
      return table
    })
    return { entry, flags: own, tables, verdict: combineTables(tables) }
  })
}

export interface MessageRefusal {
  /** The statement at fault. */
  readonly index: number
  readonly refusal: say.Refusal
}

/** Why the whole message is refused, judged on its first statement at fault; undefined: it is not. */
export function refusalOf(plans: readonly StatementPlan[]): MessageRefusal | undefined {
  for (const [index, plan] of plans.entries()) {
    const position = { index, of: plans.length }
    const { verdict, entry } = plan
    if (!entry.effects.ok) return { index, refusal: say.invalidSetting(entry.effects.invalid, position) }
    if (verdict?.effect === 'deny')
      return { index, refusal: say.denied(verdict.deciding.decision, verdict.deciding.resource, position) }
    if (verdict?.effect === 'require_consent')
      return {
        index,
        refusal: say.consentNeeded(verdict.deciding.decision, verdict.deciding.resource, position),
      }
  }
  return undefined
}

/** A COPY or cursor under a row limit: it would hand out rows the limit does not see. */
export function unlimitedRows(plans: readonly StatementPlan[], rowLimit: number): MessageRefusal | undefined {
  for (const [index, { entry }] of plans.entries()) {
    const { statement, kind, writes } = entry.classification
    // COPY … FROM writes and returns no rows; COPY … TO and DECLARE hand rows out.
    if ((statement === 'CopyStmt' && !writes && kind === 'read') || statement === 'DeclareCursorStmt')
      return { index, refusal: say.rowsUnlimited(statement, rowLimit, { index, of: plans.length }) }
  }
  return undefined
}

/** Names of the rules that decided any table of the statement, each once. */
export function rulesOf(plan: StatementPlan): readonly string[] {
  const [only] = plan.tables
  if (plan.tables.length === 1 && only !== undefined) return ruleNames(only.decision)
  return [...new Set(plan.tables.flatMap((t) => t.decision.rules.map((r) => r.name)))]
}

// One list per decision: a kept decision (decision-memo.ts) gives the same list message after
// message, which the statement batch compares by identity first.
const RULE_NAMES = new WeakMap<object, readonly string[]>()

function ruleNames(decision: StatementPlan['tables'][number]['decision']): readonly string[] {
  let names = RULE_NAMES.get(decision)
  if (names === undefined) {
    names = Object.freeze([...new Set(decision.rules.map((r) => r.name))])
    RULE_NAMES.set(decision, names)
  }
  return names
}
