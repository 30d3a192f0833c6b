// What the compiler produces and the evaluator runs: rules with their globs and
// conditions compiled, references resolved, obligations in their final form.
import type { Activation } from './cel-environment.ts'
import type { ApprovalObligation, Effect, FieldTransform, RuleRef } from './decision-types.ts'
import type { Glob } from './glob.ts'

export interface CompiledExpression {
  readonly source: string
  readonly run: (activation: Activation) => unknown
  /** Its value may depend on the time of the action (time-dependence.ts). */
  readonly readsTime: boolean
}

/** An approval obligation as compiled: the auto-approve condition is still to be evaluated. */
export type StaticApproval = Omit<ApprovalObligation, 'autoApprove'> & {
  readonly autoApprove?: CompiledExpression
}

export interface StaticObligations {
  readonly mask?: Readonly<Record<string, FieldTransform>>
  readonly rowLimit?: number
  readonly statementTimeoutSeconds?: number
  readonly rateLimits?: readonly {
    readonly max: number
    readonly perSeconds: number
    readonly scope: 'global' | 'actor' | 'resource' | 'subject'
  }[]
  readonly concurrency?: { readonly max: number; readonly scope: 'global' | 'actor' | 'resource' | 'subject' }
  readonly stepUp?: boolean
  readonly reasonRequired?: boolean
  readonly maxTtlSeconds?: number
}

export interface CompiledRule {
  readonly ref: RuleRef
  /** Position in the set: effect rank first, then source order. Lower runs first. */
  readonly order: number
  readonly effect: Effect
  readonly verbs: readonly Glob[]
  /** Empty: any resource. */
  readonly resources: readonly Glob[]
  readonly when?: CompiledExpression
  readonly message?: string
  readonly obligations: StaticObligations
  readonly approval?: StaticApproval
  readonly consent?: {
    readonly purpose: string
    readonly notice?: string
    readonly subject: CompiledExpression
  }
}

export interface PolicyGroup {
  readonly name: string
  readonly users: ReadonlySet<string>
  readonly idpGroups: ReadonlySet<string>
}

export interface MaskingProfile {
  readonly name: string
  readonly fields: Readonly<Record<string, FieldTransform>>
}

export const EFFECT_RANK: Readonly<Record<Effect, number>> = {
  deny: 0,
  require_consent: 1,
  require_approval: 2,
  allow: 3,
}
