// One statement, several tables: each table is decided on its own and the strictest answer
// wins, deny over consent over approval over allow. Approval is asked for every table that
// needs it; the obligations of the decisions that let the statement run are merged, the
// stricter one winning (the least revealing mask per field, the smallest row limit, the
// shortest timeout), as the policy engine merges the rules of one decision. Pure.
import {
  type Decision,
  type Effect,
  type FieldTransform,
  mergeMasks,
  type PolicyInput,
} from '../../policy/index.ts'

export interface TableDecision {
  readonly resource: string
  readonly input: PolicyInput
  readonly decision: Decision
}

export type StatementVerdict =
  | { readonly effect: 'deny' | 'require_consent'; readonly deciding: TableDecision }
  | {
      readonly effect: 'require_approval'
      /** The tables that need approval: one request each. */
      readonly pending: readonly TableDecision[]
      readonly allowed: readonly TableDecision[]
    }
  | { readonly effect: 'allow'; readonly allowed: readonly TableDecision[] }

const STRICTNESS: Readonly<Record<Effect, number>> = {
  deny: 0,
  require_consent: 1,
  require_approval: 2,
  allow: 3,
}

/** The statement's verdict from its tables' decisions (at least one). */
export function combineTables(tables: readonly TableDecision[]): StatementVerdict {
  let strictest: TableDecision | undefined
  for (const table of tables)
    if (strictest === undefined || STRICTNESS[table.decision.effect] < STRICTNESS[strictest.decision.effect])
      strictest = table
  if (strictest === undefined) throw new Error('a statement is decided on one table at least')
  const effect = strictest.decision.effect
  if (effect === 'deny' || effect === 'require_consent') return { effect, deciding: strictest }
  if (effect === 'allow') return { effect, allowed: tables }
  return {
    effect,
    pending: tables.filter((t) => t.decision.effect === 'require_approval'),
    allowed: tables.filter((t) => t.decision.effect === 'allow'),
  }
}

export type Mask = Readonly<Record<string, FieldTransform>>

/** What the gateway enforces of the decisions that let a message run. */
export interface RunObligations {
  readonly mask?: Mask
  readonly rowLimit?: number
  readonly statementTimeoutSeconds?: number
}

/** Merges the obligations of `decisions`, the stricter winning. */
export function mergeRunObligations(
  decisions: readonly Decision[],
  fieldClasses: ReadonlyMap<string, string>,
): RunObligations {
  const masks: Mask[] = []
  let rowLimit: number | undefined
  let timeout: number | undefined
  for (const { obligations } of decisions) {
    if (obligations.mask !== undefined && !masks.includes(obligations.mask)) masks.push(obligations.mask)
    rowLimit = smaller(rowLimit, obligations.rowLimit)
    timeout = smaller(timeout, obligations.statementTimeoutSeconds)
  }
  const mask = masks.length <= 1 ? masks[0] : Object.freeze(mergeMasks(masks, fieldClasses))
  return {
    ...(mask === undefined ? {} : { mask }),
    ...(rowLimit === undefined ? {} : { rowLimit }),
    ...(timeout === undefined ? {} : { statementTimeoutSeconds: timeout }),
  }
}

/** True when the mask changes some value: a mask of `keep` only needs no masking. */
export function masksAnything(mask: Mask | undefined): mask is Mask {
  if (mask === undefined) return false
  for (const key in mask) if (mask[key]?.transform !== 'keep') return true
  return false
}

function smaller(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined ? b : b === undefined ? a : Math.min(a, b)
}
