// The audit records of a message's statements, from what the gate decided: one record per
// statement, and the events of a refused message (the statement at fault `refused`, the others
// `not_run`). Pure.
import type { AuditDraft } from '../../audit/index.ts'
import { type MessageOrigin, type StatementRecord, statementDraft } from './audit-draft.ts'
import type { Unparseable } from './classified-message.ts'
import type { RunObligations } from './combine-decisions.ts'
import { masksAnything } from './combine-decisions.ts'
import { rulesOf, type StatementPlan } from './decide-statements.ts'

/** What the statements ran on, besides the policy: approval requests and grants. */
export interface RunBasis {
  readonly requests: readonly string[]
  readonly grants: readonly string[]
}

export const NO_BASIS: RunBasis = Object.freeze({ requests: [], grants: [] })

export function planRecords(
  plans: readonly StatementPlan[],
  newId: () => string,
  basis: RunBasis,
  obligations?: RunObligations,
): StatementRecord[] {
  const enforced =
    obligations === undefined
      ? undefined
      : {
          ...(obligations.rowLimit === undefined ? {} : { rowLimit: obligations.rowLimit }),
          ...(obligations.statementTimeoutSeconds === undefined
            ? {}
            : { statementTimeoutSeconds: obligations.statementTimeoutSeconds }),
          masked: masksAnything(obligations.mask),
        }
  return plans.map((plan, position) => {
    const { entry, verdict } = plan
    return {
      id: newId(),
      position,
      of: plans.length,
      text: entry.text,
      fingerprint: entry.fingerprint,
      kind: entry.classification.kind,
      writes: entry.classification.writes,
      resources: entry.resources,
      decision: verdict?.effect ?? 'refused',
      rules: rulesOf(plan),
      requests: basis.requests,
      grants: basis.grants,
      ...(enforced === undefined ? {} : { enforced }),
    }
  })
}

/** The records of a message that did not parse. */
export function unparseableRecords(unparseable: Unparseable, newId: () => string): StatementRecord[] {
  return unparseable.texts.map((text, position) => ({
    id: newId(),
    position,
    of: unparseable.texts.length,
    text,
    decision: position === unparseable.index ? 'unparseable' : 'refused',
    rules: [],
  }))
}

/** The events of a refused message: `atFault` refused with `sqlstate`, the others not run. */
export function refusedDrafts(
  origin: MessageOrigin,
  records: readonly StatementRecord[],
  atFault: number,
  sqlstate: string,
): AuditDraft[] {
  return records.map((record) =>
    statementDraft(origin, record.position === atFault ? { ...record, refusal: sqlstate } : record, {
      outcome: record.position === atFault ? 'refused' : 'not_run',
    }),
  )
}
