// The one way every entry point asks about an action: decide it on the policy set in force,
// with the actor's live grants from the store as facts (never facts a client sends), record
// the decision in the audit log and only then answer; and, for `require_approval`, open the
// approval request. No entry point decides on its own.
import type { AuditDraft } from '../audit/index.ts'
import type { Actor, Decision, EvaluateOptions, PolicyInput, PolicySet } from '../policy/index.ts'
import type { ServiceClock } from './approval-ports.ts'
import type { ApprovalRequest } from './approval-request.ts'
import type { ApprovalService } from './approval-service.ts'
import { ApprovalServiceError } from './approval-service-errors.ts'
import type { GrantService } from './grant-service.ts'

export interface ActionServiceDeps {
  /** The set in force (the registry): read at each decision, so a reload applies at once. */
  readonly policies: { readonly current: PolicySet }
  readonly grants: Pick<GrantService, 'activeGrantFacts'>
  readonly approvals: Pick<ApprovalService, 'createRequest'>
  /** Appends one event and resolves once it is durable (the AuditWriter). */
  readonly audit: (draft: AuditDraft) => Promise<unknown>
  readonly clock: ServiceClock
  readonly newId: () => string
  /** Told of every decision once it is recorded (metrics). */
  readonly observe?: (decision: Decision) => void
}

export interface DecidedAction {
  /** The id of the `decision.made` event's subject: quote it to find the decision in the log. */
  readonly decisionId: string
  readonly input: PolicyInput
  readonly decision: Decision
}

/** Where an action comes from, as the server saw it: policies may rely on these, clients cannot set them. */
export interface ActionOrigin {
  /** The client's address (`context.ip`). */
  readonly ip?: string
  /** The client program, e.g. its User-Agent (`context.client`). */
  readonly client?: string
}

/** Context keys only the server sets: a client's values for them are replaced or dropped. */
export const SERVER_CONTEXT_KEYS = ['time', 'ip', 'client'] as const

export interface RequestActionCommand {
  readonly actor: Actor
  readonly input: Omit<PolicyInput, 'actor' | 'facts'>
  readonly origin?: ActionOrigin
  readonly reason?: string
  readonly grantStart?: string
  readonly grantSeconds?: number
}

export type RequestedOutcome =
  | { readonly outcome: 'allowed'; readonly decided: DecidedAction }
  | { readonly outcome: 'request'; readonly decided: DecidedAction; readonly request: ApprovalRequest }

export class ActionService {
  constructor(private readonly deps: ActionServiceDeps) {}

  /**
   * Decides `input` as `actor` (whoever `input` names is replaced: the caller is who they
   * authenticated as), at the server's time and from `origin`. Resolves once the decision is in the audit log; rejects with
   * `audit_write_failed` otherwise, and then the action must not proceed.
   */
  async decide(
    actor: Actor,
    input: Omit<PolicyInput, 'actor' | 'facts'>,
    options: EvaluateOptions = {},
    origin: ActionOrigin = {},
  ): Promise<DecidedAction> {
    const now = this.deps.clock.now()
    const context: Record<string, unknown> = { ...(input.context ?? {}) }
    // A client that could say when or from where it acts could walk around office hours or
    // network rules: the time is the server's, the address and client what the server saw.
    for (const key of SERVER_CONTEXT_KEYS) delete context[key]
    context.time = now.toISOString()
    if (origin.ip !== undefined) context.ip = origin.ip
    if (origin.client !== undefined) context.client = origin.client
    const grants = await this.deps.grants.activeGrantFacts(actor.id, now)
    const decided: PolicyInput = { ...input, actor, context, facts: { grants } }
    const decision = this.deps.policies.current.evaluate(decided, options)
    const decisionId = this.deps.newId()
    await this.deps.audit(decisionDraft(decisionId, decided, decision))
    this.deps.observe?.(decision)
    return { decisionId, input: decided, decision }
  }

  /**
   * Asks to do `input`: allowed at once (nothing to wait for), or an approval request opened
   * (approved already when the policy's auto-approve held). A deny or a consent requirement
   * refuses it with the decision's reason, so a client never mistakes it for a pending request.
   */
  async request(command: RequestActionCommand): Promise<RequestedOutcome> {
    const decided = await this.decide(command.actor, command.input, {}, command.origin)
    const { decision } = decided
    if (decision.effect === 'allow') return { outcome: 'allowed', decided }
    if (decision.effect !== 'require_approval')
      throw new ApprovalServiceError(
        decision.effect === 'deny' ? 'action_denied' : 'consent_required',
        `${decision.effect === 'deny' ? 'the policy denies this action' : 'this action needs the data subject’s consent first'}: ${decision.reason.message}`,
        [
          {
            path: 'action',
            message: decision.reason.message,
            hint: `decision ${decided.decisionId} under policy ${decision.policyVersion}`,
          },
        ],
      )
    const request = await this.deps.approvals.createRequest({
      requester: command.actor,
      input: decided.input,
      decision,
      groups: this.deps.policies.current.groups,
      ...(command.reason === undefined ? {} : { reason: command.reason }),
      ...(command.grantStart === undefined ? {} : { grantStart: command.grantStart }),
      ...(command.grantSeconds === undefined ? {} : { grantSeconds: command.grantSeconds }),
    })
    return { outcome: 'request', decided, request }
  }
}

/**
 * What the log keeps of a decision: who, which verb on which resource and purpose, the
 * effect, the deciding rules and the grants it relied on. Not the context: it may hold a
 * statement's literals or a subject's data, which the log must not copy.
 */
function decisionDraft(id: string, input: PolicyInput, decision: Decision): AuditDraft {
  const masked = Object.keys(decision.obligations.mask ?? {})
  return {
    actor: { type: 'user', id: input.actor.id },
    type: 'decision.made',
    subject: { type: 'decision', id },
    policyVersion: decision.policyVersion,
    details: {
      verb: input.action,
      resource: input.resource,
      ...(input.purpose === undefined ? {} : { purpose: input.purpose }),
      effect: decision.effect,
      reason: decision.reason.code,
      rules: decision.rules.map((rule) => rule.name),
      grants: (input.facts?.grants ?? []).map((grant) => grant.id),
      ...(masked.length === 0 ? {} : { masked }),
    },
  }
}
