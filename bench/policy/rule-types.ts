// The engine-neutral form of a rule, and the condition atoms many rules share.
import type { Cond } from './conditions.ts'

export type BenchEffect = 'allow' | 'deny' | 'require_approval'

export interface BenchRule {
  readonly name: string
  readonly effect: BenchEffect
  /** Verb globs over `.`. */
  readonly verbs: readonly string[]
  /** Resource globs over `/`; absent: any resource. */
  readonly resources?: readonly string[]
  /** All must hold. */
  readonly when: readonly Cond[]
  readonly message?: string
  /** Passed to the YAML as written: Cedar has no obligations. */
  readonly obligations?: Readonly<Record<string, unknown>>
  readonly approval?: Readonly<Record<string, unknown>>
}

export const reads: Cond = { k: 'writes', value: false }
export const writes: Cond = { k: 'writes', value: true }
export const approvers = (...groups: string[]) => ({ steps: groups.map((g) => ({ any_of: [`group:${g}`] })) })
