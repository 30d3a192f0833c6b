// A compiled, immutable policy set and its decision function. `evaluate` is pure
// and deterministic: the same input gives the same decision, with no clock,
// randomness or I/O of its own (time comes in as `context.time`).
import { type Activation, CelActor, type EvaluationScope, type ScopeState } from './cel-environment.ts'
import type { CompiledRule, MaskingProfile, PolicyGroup } from './compiled-policy.ts'
import type {
  Decision,
  DecisionReason,
  Effect,
  Facts,
  PolicyInput,
  RuleRef,
  RuleTrace,
} from './decision-types.ts'
import { GrantGlobs, grantCovers } from './grant-facts.ts'
import { normalizeInput } from './input-normalizer.ts'
import { mergeObligations, type RuleObligations } from './obligation-merge.ts'
import type { RuleIndex } from './rule-index.ts'

export interface EvaluateOptions {
  /** Add every considered rule and the value of its condition. */
  readonly explain?: boolean
}

export interface PolicySetParts {
  readonly version: string
  readonly rules: readonly CompiledRule[]
  readonly groups: ReadonlyMap<string, PolicyGroup>
  readonly profiles: ReadonlyMap<string, MaskingProfile>
  /** table.column → classification */
  readonly fieldClasses: ReadonlyMap<string, string>
  readonly classifications: ReadonlySet<string>
  readonly files: readonly string[]
  readonly index: RuleIndex
  readonly scope: EvaluationScope
}

type ConditionResult = { kind: 'value'; value: boolean } | { kind: 'error'; message: string }

function run(rule: CompiledRule, expr: CompiledRule['when'], activation: Activation): ConditionResult {
  if (expr === undefined) return { kind: 'value', value: true }
  try {
    const value = expr.run(activation)
    if (typeof value === 'boolean') return { kind: 'value', value }
    return { kind: 'error', message: `condition of rule '${rule.ref.name}' gave ${typeof value}, not a bool` }
  } catch (err) {
    const e = err as { summary?: string; message?: string }
    return { kind: 'error', message: String(e.summary ?? e.message ?? err) }
  }
}

/** What the policy functions see of the decision being made. */
class DecisionScope implements ScopeState {
  activation: Activation = EMPTY_ACTIVATION
  facts: Facts = {}
  readonly #globs = new GrantGlobs()

  constructor(readonly groups: ScopeState['groups']) {}

  grantCovers(verb: string, resource: string): boolean {
    return grantCovers(this.facts.grants ?? [], this.activation.now, this.#globs, verb, resource)
  }
}

const EMPTY_ACTIVATION: Activation = {
  actor: new CelActor('', [], [], {}),
  action: '',
  resource: '',
  purpose: '',
  context: {},
  now: null,
}

/** What a decision that one rule alone made looks like, computed once per rule. */
interface SoleRuleDecision {
  readonly rules: readonly RuleRef[]
  readonly message: string
  readonly obligations: Decision['obligations'] | undefined
}

/** Shared parts of decisions are frozen: a caller that mutates one must not change the next. */
function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value)
    for (const v of Object.values(value)) deepFreeze(v)
  }
  return value
}

/** Replaces the trace of `rule` (its last entry) when its obligations turn out to matter. */
function amendTrace(
  traces: RuleTrace[] | undefined,
  rule: CompiledRule,
  change: Partial<Omit<RuleTrace, 'rule'>>,
): void {
  if (traces === undefined) return
  for (let i = traces.length - 1; i >= 0; i--) {
    const trace = traces[i] as RuleTrace
    if (trace.rule === rule.ref) {
      traces[i] = { ...trace, ...change }
      return
    }
  }
}

function conclusionMessage(effect: Effect, rule: CompiledRule): string {
  if (rule.message !== undefined) return rule.message
  return effect === 'allow'
    ? `allowed by rule '${rule.ref.name}'`
    : `${effect.replace('_', 's ')} (rule '${rule.ref.name}')`
}

export class PolicySet {
  readonly version: string
  readonly rules: readonly CompiledRule[]
  readonly groups: ReadonlyMap<string, PolicyGroup>
  readonly profiles: ReadonlyMap<string, MaskingProfile>
  readonly fieldClasses: ReadonlyMap<string, string>
  readonly classifications: ReadonlySet<string>
  readonly files: readonly string[]
  /**
   * True when a decision may depend on the time of the action: a rule's condition, auto-approval
   * or consent subject reads it. Grants read it too (their expiry): with none given, and this
   * false, the same input always gets the same decision.
   */
  readonly readsTime: boolean
  readonly #index: RuleIndex
  readonly #scope: EvaluationScope
  readonly #state: DecisionScope
  readonly #sole = new Map<CompiledRule, SoleRuleDecision>()

  constructor(parts: PolicySetParts) {
    this.version = parts.version
    this.rules = parts.rules
    this.groups = parts.groups
    this.profiles = parts.profiles
    this.fieldClasses = parts.fieldClasses
    this.classifications = parts.classifications
    this.files = parts.files
    this.readsTime = parts.rules.some(
      (rule) =>
        rule.when?.readsTime === true ||
        rule.approval?.autoApprove?.readsTime === true ||
        rule.consent?.subject.readsTime === true,
    )
    this.#index = parts.index
    this.#scope = parts.scope
    this.#state = new DecisionScope(parts.groups)
  }

  /** Decides `input`. Never throws: what cannot be evaluated is denied. */
  evaluate(input: PolicyInput, options: EvaluateOptions = {}): Decision {
    const normalized = normalizeInput(input)
    if (!normalized.ok)
      return this.#deny(
        'invalid_input',
        `the action could not be evaluated: ${normalized.problem}`,
        [],
        options.explain ? [] : undefined,
      )
    const { activation, facts } = normalized
    const candidates = this.#index.candidates(activation.action, activation.resource)
    const traces: RuleTrace[] | undefined = options.explain ? [] : undefined
    // One scope object per set, refilled per decision: evaluation is synchronous and
    // not re-entrant, and a fresh object (and closure) per decision costs measurably.
    const state = this.#state
    state.activation = activation
    state.facts = facts
    this.#scope.current = state
    try {
      return this.#decide(candidates, activation, traces)
    } finally {
      this.#scope.current = undefined
    }
  }

  #decide(
    candidates: readonly CompiledRule[],
    activation: Activation,
    traces: RuleTrace[] | undefined,
  ): Decision {
    const matched: CompiledRule[] = []
    let tier: Effect | undefined
    for (let i = 0; i < candidates.length; i++) {
      const rule = candidates[i] as CompiledRule
      if (tier !== undefined && rule.effect !== tier) {
        this.#skipRest(candidates, i, traces, 'a more restrictive effect already decided')
        break
      }
      const result = run(rule, rule.when, activation)
      if (result.kind === 'error') {
        traces?.push({ rule: rule.ref, outcome: 'error', detail: result.message })
        this.#skipRest(candidates, i + 1, traces, 'an earlier rule could not be evaluated')
        return this.#deny(
          'condition_error',
          `rule '${rule.ref.name}' could not be evaluated, so the action is denied: ${result.message}`,
          [rule.ref],
          traces,
        )
      }
      traces?.push({
        rule: rule.ref,
        outcome: result.value ? 'matched' : 'not_matched',
        detail: rule.when === undefined ? 'no condition' : `${rule.when.source} → ${result.value}`,
      })
      if (!result.value) continue
      matched.push(rule)
      tier = rule.effect
      if (tier === 'deny') {
        // The first deny decides; later rules cannot change the answer.
        this.#skipRest(candidates, i + 1, traces, 'a deny rule already decided')
        return this.#deny(
          'rule_matched',
          rule.message ?? `denied by rule '${rule.ref.name}'`,
          [rule.ref],
          traces,
        )
      }
    }
    if (tier === undefined)
      return this.#deny('no_rule_matched', 'no rule allows this action, so it is denied', [], traces)
    return this.#conclude(tier, matched, activation, traces)
  }

  #conclude(
    effect: Effect,
    matched: readonly CompiledRule[],
    activation: Activation,
    traces: RuleTrace[] | undefined,
  ): Decision {
    const only = matched.length === 1 ? matched[0] : undefined
    if (only !== undefined) {
      // Most decisions rest on one rule: its obligations are the same every time
      // unless they hold CEL (consent subject, auto-approval), so compute them once.
      const sole = this.#soleDecision(only)
      if (sole.obligations !== undefined) {
        return {
          effect,
          reason: { code: 'rule_matched', message: sole.message },
          rules: sole.rules,
          obligations: sole.obligations,
          policyVersion: this.version,
          ...(traces === undefined ? {} : { explanation: traces }),
        }
      }
    }
    const parts: RuleObligations[] = []
    for (const rule of matched) {
      let consent: RuleObligations['consent']
      if (rule.consent !== undefined) {
        let subject: unknown
        try {
          subject = rule.consent.subject.run(activation)
        } catch (err) {
          subject = err
        }
        if (typeof subject !== 'string' || subject === '') {
          const message = `the data subject of rule '${rule.ref.name}' (${rule.consent.subject.source}) could not be determined`
          amendTrace(traces, rule, { outcome: 'error', detail: message })
          return this.#deny('condition_error', `${message}, so the action is denied`, [rule.ref], traces)
        }
        consent = {
          subject,
          purpose: rule.consent.purpose,
          ...(rule.consent.notice === undefined ? {} : { notice: rule.consent.notice }),
        }
      }
      let approval: RuleObligations['approval']
      if (rule.approval !== undefined) {
        const auto =
          rule.approval.autoApprove === undefined
            ? undefined
            : run(rule, rule.approval.autoApprove, activation)
        // An auto-approve condition that fails to evaluate leaves the decision to people.
        approval = { spec: rule.approval, autoApproved: auto?.kind === 'value' && auto.value }
        if (auto !== undefined && traces !== undefined) {
          const prior = traces.findLast((t) => t.rule === rule.ref)?.detail ?? ''
          const value =
            auto.kind === 'value' ? String(auto.value) : `error (${auto.message}), so people decide`
          amendTrace(traces, rule, {
            detail: `${prior}; auto_approve: ${rule.approval.autoApprove?.source} → ${value}`,
          })
        }
      }
      parts.push({
        rule: rule.ref.name,
        obligations: rule.obligations,
        ...(approval === undefined ? {} : { approval }),
        ...(consent === undefined ? {} : { consent }),
      })
    }
    const refs = matched.map((r) => r.ref)
    const first = matched[0]
    const message = first === undefined ? effect : conclusionMessage(effect, first)
    return {
      effect,
      reason: { code: 'rule_matched', message },
      rules: refs,
      obligations: mergeObligations(parts, this.fieldClasses),
      policyVersion: this.version,
      ...(traces === undefined ? {} : { explanation: traces }),
    }
  }

  #soleDecision(rule: CompiledRule): SoleRuleDecision {
    let sole = this.#sole.get(rule)
    if (sole === undefined) {
      const dynamic = rule.consent !== undefined || rule.approval?.autoApprove !== undefined
      sole = {
        rules: Object.freeze([rule.ref]),
        message: conclusionMessage(rule.effect, rule),
        obligations: dynamic
          ? undefined
          : deepFreeze(
              mergeObligations(
                [
                  {
                    rule: rule.ref.name,
                    obligations: rule.obligations,
                    ...(rule.approval === undefined
                      ? {}
                      : { approval: { spec: rule.approval, autoApproved: false } }),
                  },
                ],
                this.fieldClasses,
              ),
            ),
      }
      this.#sole.set(rule, sole)
    }
    return sole
  }

  #skipRest(
    candidates: readonly CompiledRule[],
    from: number,
    traces: RuleTrace[] | undefined,
    why: string,
  ): void {
    if (traces === undefined) return
    for (let j = from; j < candidates.length; j++) {
      const rule = candidates[j] as CompiledRule
      traces.push({ rule: rule.ref, outcome: 'skipped', detail: `not evaluated: ${why}` })
    }
  }

  #deny(
    code: DecisionReason,
    message: string,
    rules: readonly RuleRef[],
    traces: RuleTrace[] | undefined,
  ): Decision {
    return {
      effect: 'deny',
      reason: { code, message },
      rules,
      obligations: {},
      policyVersion: this.version,
      ...(traces === undefined ? {} : { explanation: traces }),
    }
  }
}
