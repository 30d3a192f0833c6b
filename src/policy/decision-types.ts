// The plain types that go into and come out of the policy engine.

/** The four answers the engine gives, from most to least restrictive. */
export type Effect = 'deny' | 'require_consent' | 'require_approval' | 'allow'

export const EFFECTS: readonly Effect[] = ['deny', 'require_consent', 'require_approval', 'allow']

export interface Actor {
  readonly id: string
  readonly groups?: readonly string[]
  readonly roles?: readonly string[]
  readonly attributes?: Readonly<Record<string, unknown>>
}

/** An active grant the caller knows of, passed as a fact. */
export interface GrantFact {
  readonly id: string
  readonly verb: string
  readonly resource: string
  readonly fields?: readonly string[]
  /** RFC 3339; a grant whose expiry is not after `context.time` does not count. */
  readonly expiresAt?: string
}

export interface ConsentFact {
  readonly subject: string
  readonly purpose: string
  readonly state: 'granted' | 'withdrawn' | 'denied'
}

/** Facts the engine is given: it never fetches them itself. */
export interface Facts {
  readonly grants?: readonly GrantFact[]
  readonly consents?: readonly ConsentFact[]
  readonly counters?: Readonly<Record<string, number>>
}

/** What someone wants to do, plus the facts known about it. */
export interface PolicyInput {
  readonly actor: Actor
  /** The verb, e.g. `db.query`, `dsar.erase`, `data.read`. */
  readonly action: string
  readonly resource: string
  readonly purpose?: string
  /** `time` (RFC 3339), `ip`, `client` and action-specific data. */
  readonly context?: Readonly<Record<string, unknown>>
  readonly facts?: Facts
}

export type TransformName =
  | 'redact'
  | 'null'
  | 'partial'
  | 'pseudonym'
  | 'token'
  | 'fpe'
  | 'generalize'
  | 'noise'
  | 'keep'

export interface FieldTransform {
  readonly transform: TransformName
  /** Transform parameters as written in the policy (e.g. `keep_last: 4`). */
  readonly params: Readonly<Record<string, string | number | boolean>>
}

export interface ApprovalStep {
  readonly name: string
  /** `user:ID` or `group:NAME` (a policy group or an identity-provider group). */
  readonly anyOf: readonly string[]
  readonly quorum: number
}

export interface ApprovalObligation {
  readonly steps: readonly ApprovalStep[]
  readonly separationOfDuties: boolean
  readonly timeoutSeconds: number
  readonly escalation?: { readonly afterSeconds: number; readonly to: readonly string[] }
  readonly reasonRequired: boolean
  /** Approvers confirm with a TOTP code before their approval counts. */
  readonly stepUp: boolean
  readonly grant:
    | { readonly mode: 'single_use' }
    | { readonly mode: 'window'; readonly maxSeconds: number; readonly defaultSeconds: number }
  /** True when every matched approval rule's auto-approve condition held. */
  readonly autoApprove: boolean
}

export interface ConsentObligation {
  readonly subject: string
  readonly purpose: string
  readonly notice?: string
}

export interface RateLimit {
  readonly rule: string
  readonly max: number
  readonly perSeconds: number
  /** Who shares the budget: everyone, or each actor, resource or subject separately. */
  readonly scope: 'global' | 'actor' | 'resource' | 'subject'
}

export interface ConcurrencyLimit {
  readonly rule: string
  readonly max: number
  readonly scope: 'global' | 'actor' | 'resource' | 'subject'
}

export interface Obligations {
  readonly approval?: ApprovalObligation
  readonly consent?: readonly ConsentObligation[]
  /** Field (`table.column`, `users.email`) or classification (`pii.email`) → transform. */
  readonly mask?: Readonly<Record<string, FieldTransform>>
  readonly rowLimit?: number
  /** Longest time one statement may run (the gateway cancels it upstream after). */
  readonly statementTimeoutSeconds?: number
  readonly rateLimits?: readonly RateLimit[]
  readonly concurrencyLimits?: readonly ConcurrencyLimit[]
  readonly stepUp?: boolean
  readonly reasonRequired?: boolean
  /** Longest time a resulting grant or session may last. */
  readonly maxTtlSeconds?: number
}

export interface RuleRef {
  readonly name: string
  readonly effect: Effect
  readonly source: { readonly file: string; readonly line: number }
}

export type RuleOutcome = 'matched' | 'not_matched' | 'error' | 'skipped'

/** One rule's part in a decision, for `explain`. */
export interface RuleTrace {
  readonly rule: RuleRef
  readonly outcome: RuleOutcome
  /** Why: the condition source and its value, or the error. */
  readonly detail: string
}

export interface Decision {
  readonly effect: Effect
  /** A stable reason code and a sentence for people. */
  readonly reason: { readonly code: DecisionReason; readonly message: string }
  readonly rules: readonly RuleRef[]
  readonly obligations: Obligations
  readonly policyVersion: string
  /** Present when asked for: every rule considered, in evaluation order. */
  readonly explanation?: readonly RuleTrace[]
}

export type DecisionReason = 'rule_matched' | 'no_rule_matched' | 'condition_error' | 'invalid_input'
