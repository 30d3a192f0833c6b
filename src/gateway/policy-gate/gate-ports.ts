// What the policy gate needs from the rest of jitgate, as narrow ports the composition root
// implements: the policy set in force, the actor's grants, the audit log, the approval
// workflow, the upstream's function catalog and the masking module. The gate does no I/O of
// its own beyond these.
import type { ApprovalRequest, CreateRequestCommand } from '../../approvals/index.ts'
import type { AuditDraft } from '../../audit/index.ts'
import type { FieldTransform, GrantFact, PolicySet } from '../../policy/index.ts'
import type { FunctionCatalog } from '../classify/index.ts'
import type { ApprovalSettings, RowTransformFactory } from '../wire/index.ts'

/** A single-use grant the gate used to run a statement that needs approval. */
export interface UsedGrant {
  readonly grantId: string
  readonly requestId: string
}

/** Which approved grants may run a statement that still needs approval. */
export interface GrantQuery {
  readonly actorId: string
  /** The statement's fingerprint (`context.statement.fingerprint` of the approved request). */
  readonly fingerprint: string
  /** Every resource that needs approval: one grant each, or none is used. */
  readonly resources: readonly string[]
  /** Who uses them, for `grant.used`. */
  readonly by: string
}

/** What the masking module is asked for a masked actor's statement (src/gateway/masking). */
export interface GateMaskPlanInput {
  readonly upstream: string
  /** The whole client message (simple: maybe several statements; extended: one). */
  readonly sql: string
  readonly mask: Readonly<Record<string, FieldTransform>>
  /** `table.column` → its classification (`pii.email`), from the policy set in force. */
  readonly classOf: (field: string) => string | undefined
  /** The policy set `classOf` reads: masking may keep its analyses per scope. */
  readonly scope?: object
  /** `sql` with its constants replaced, when it is plain DML: see StatementMasking's PlanInput. */
  readonly shape?: string
}

export type GateMaskPlan =
  | { readonly kind: 'refuse'; readonly message: string; readonly detail?: string; readonly hint?: string }
  | { readonly kind: 'forward'; readonly rows?: RowTransformFactory }

export interface GateMasking {
  /** Without a promise when it can answer at once: the message then goes upstream in one write. */
  plan(input: GateMaskPlanInput): GateMaskPlan | Promise<GateMaskPlan>
}

/** Approval handling per upstream: the gateway's settings with each upstream's overrides. */
export interface GateApprovalSettings extends ApprovalSettings {
  readonly upstreams?: Readonly<Record<string, ApprovalSettings>>
}

/** What a gate's failures are logged to (the part of a pino logger it uses). */
export interface GateLog {
  warn(details: object, message: string): void
  error(details: object, message: string): void
}

export interface PolicyGateDeps {
  /** The registry: read at each decision, so that a reload applies at once. */
  readonly policies: { readonly current: PolicySet }
  /**
   * The actor's active grants as facts (GrantService.activeGrantFacts). Cached by the gate per
   * actor; call the gate's `invalidate` when grants change.
   */
  readonly grantFacts: (actorId: string, now: Date) => Promise<readonly GrantFact[]>
  /** Appends one event and resolves once it is durable (the AuditWriter's append). */
  readonly audit: (draft: AuditDraft) => Promise<unknown>
  /** Opens an approval request (ApprovalService.createRequest); it audits `request.created`. */
  readonly createRequest: (command: CreateRequestCommand) => Promise<ApprovalRequest>
  /**
   * The request once its state changed from pending, or as it is when `timeoutMs` passed or
   * `signal` aborted. Across nodes, as the long poll (request waiters over REQUEST_CHANNEL).
   */
  readonly waitForRequest: (id: string, timeoutMs: number, signal: AbortSignal) => Promise<ApprovalRequest>
  /** Cancels a request whose client left while waiting for it (ApprovalService.cancel). */
  readonly cancelRequest?: (id: string, by: string) => Promise<unknown>
  /**
   * Uses, in one transaction, for each resource the actor's active single-use grant whose
   * approved request was for that resource and a statement of that fingerprint; or none, and
   * resolves undefined, when one of them has no such grant. See the README for the query.
   */
  readonly consumeSingleUseGrant: (query: GrantQuery) => Promise<readonly UsedGrant[] | undefined>
  /**
   * The volatility of the upstream's own functions and operators (USER_FUNCTIONS_SQL and
   * USER_OPERATORS_SQL on a side connection). Cached by the gate; a failure means unknown
   * functions, which count as writes.
   */
  readonly functionCatalog: (upstream: string) => Promise<FunctionCatalog>
  /** Masks results; without it a decision that masks refuses the statement. */
  readonly masking?: GateMasking
  readonly clock: { now(): Date }
  readonly newId: () => string
  /** Where approvers open a request, for the messages clients read. */
  readonly approvalLink: (requestId: string) => string
  readonly approval: GateApprovalSettings
  readonly log: GateLog
  /** How long an actor's grant facts are kept without a change being heard (default 10 s). */
  readonly grantCacheMs?: number
  /** How long an upstream's function catalog is kept (default 60 s). */
  readonly catalogCacheMs?: number
  /** SQL texts whose classification is kept, per upstream (default 5,000). */
  readonly classificationCacheSize?: number
  /**
   * How long a read let through waits for others of its connection before their
   * `db.statements` event is written (default 20 ms, DEFAULT_READ_BATCH_MS), and the most
   * statements in one (256, the most the audit log keeps of an array).
   */
  readonly statementLogMs?: number
  readonly statementLogMax?: number
  /** Audit writes in flight past which statements wait for theirs (default 10,000). */
  readonly maxPendingAudits?: number
}
