// Approval requests as commands over the store. Each command is one transaction: load
// the request (locked), apply the core's `transition`, save it, append its audit events,
// and notify on commit. A repeat the core answers with the same object writes nothing.
import type { Actor, Decision, PolicyInput, PolicySet } from '../policy/index.ts'
import { grantDraft, requestDrafts } from './approval-audit.ts'
import {
  type ApprovalStore,
  type ApprovalTransaction,
  REQUEST_CHANNEL,
  type ServiceClock,
} from './approval-ports.ts'
import type { ApprovalRequest } from './approval-request.ts'
import { RequestConflictError, requestNotFound } from './approval-service-errors.ts'
import { type ApproverOutlook, whoCanApprove } from './approver-outlook.ts'
import { createApprovalRequest } from './create-approval-request.ts'
import { createGrant } from './grant.ts'
import { decodePageCursor, type Page, pageLimit, pageOf } from './page-cursor.ts'
import type { Approver, RequestEvent } from './request-event.ts'
import { transition } from './request-state-machine.ts'
import { consumeTotpCode } from './step-up-service.ts'

export interface ApprovalServiceDeps {
  readonly store: ApprovalStore
  readonly clock: ServiceClock
  readonly newId: () => string
}

export interface CreateRequestCommand {
  /** The authenticated requester; it replaces whatever actor `input` names. */
  readonly requester: Actor
  readonly input: PolicyInput
  /** A `require_approval` decision on `input`; its policy version is frozen into the request. */
  readonly decision: Decision
  /** The groups of the policy set that made the decision. */
  readonly groups: PolicySet['groups']
  readonly reason?: string
  readonly grantStart?: string
  readonly grantSeconds?: number
}

/** A listing as a client asks for it: filters, the previous page's cursor, a page size. */
export interface RequestListing {
  readonly state?: ApprovalRequest['state']
  readonly requesterId?: string
  readonly cursor?: string
  readonly limit?: number
}

type Decide = (tx: ApprovalTransaction, request: ApprovalRequest, now: Date) => Promise<ApprovalRequest>

export class ApprovalService {
  constructor(private readonly deps: ApprovalServiceDeps) {}

  /** A pending request, or an approved one with its grant when the policy's auto-approve held. */
  createRequest(command: CreateRequestCommand): Promise<ApprovalRequest> {
    return this.deps.store.transact(async (tx) => {
      const now = this.deps.clock.now()
      const created = createApprovalRequest(
        {
          id: this.deps.newId(),
          input: { ...command.input, actor: command.requester },
          decision: command.decision,
          groups: command.groups,
          ...(command.reason === undefined ? {} : { reason: command.reason }),
          grant: {
            ...(command.grantStart === undefined ? {} : { startAt: command.grantStart }),
            ...(command.grantSeconds === undefined ? {} : { durationSeconds: command.grantSeconds }),
          },
        },
        now,
      )
      const request = created.approval.autoApprove
        ? transition(created, { type: 'auto_approve' }, now)
        : created
      await tx.requests.insert(request)
      await this.#record(tx, undefined, request, now)
      return request
    })
  }

  /** Records `approver`'s approval; `stepUpCode` is their TOTP code when the policy asks for step-up. */
  approve(id: string, approver: Approver, options: { readonly stepUpCode?: string } = {}) {
    const code = options.stepUpCode
    return this.#change(id, async (tx, request, now) => {
      const next = transition(request, { type: 'approve', approver, stepUpVerified: code !== undefined }, now)
      // The code is checked (and spent) only when the approval is otherwise accepted.
      if (next !== request && code !== undefined) await consumeTotpCode(tx.totp, approver.id, code, now)
      return next
    })
  }

  reject(id: string, approver: Approver, reason: string): Promise<ApprovalRequest> {
    return this.#apply(id, { type: 'reject', approver, reason })
  }

  cancel(id: string, by: string): Promise<ApprovalRequest> {
    return this.#apply(id, { type: 'cancel', by })
  }

  comment(id: string, author: string, text: string): Promise<ApprovalRequest> {
    return this.#apply(id, { type: 'comment', by: author, text })
  }

  async get(id: string): Promise<ApprovalRequest> {
    return this.deps.store.transact(async (tx) => {
      const loaded = await tx.requests.load(id)
      if (loaded === undefined) throw requestNotFound(id)
      return loaded.request
    })
  }

  /** One page of requests, newest first; throws `invalid_cursor` for a cursor this API did not make. */
  list(listing: RequestListing = {}): Promise<Page<ApprovalRequest>> {
    const { state, requesterId, cursor } = listing
    const limit = pageLimit(listing.limit)
    const after = cursor === undefined ? undefined : decodePageCursor(cursor)
    return this.deps.store.transact(async (tx) => {
      const rows = await tx.requests.list({
        ...(state === undefined ? {} : { state }),
        ...(requesterId === undefined ? {} : { requesterId }),
        ...(after === undefined ? {} : { after }),
        limit: limit + 1,
      })
      return pageOf(rows, limit)
    })
  }

  /** Who may still approve, for everyone involved. */
  async whoCanApprove(id: string): Promise<ApproverOutlook> {
    return whoCanApprove(await this.get(id), this.deps.clock.now())
  }

  #apply(id: string, event: RequestEvent): Promise<ApprovalRequest> {
    return this.#change(id, async (_tx, request, now) => transition(request, event, now))
  }

  /** Runs `decide` on the locked request; when another command moved the row meanwhile, once more. */
  async #change(id: string, decide: Decide): Promise<ApprovalRequest> {
    try {
      return await this.#changeOnce(id, decide)
    } catch (error) {
      if (!(error instanceof RequestConflictError)) throw error
      return this.#changeOnce(id, decide)
    }
  }

  #changeOnce(id: string, decide: Decide): Promise<ApprovalRequest> {
    return this.deps.store.transact(async (tx) => {
      const now = this.deps.clock.now()
      const loaded = await tx.requests.load(id, { lock: true })
      if (loaded === undefined) throw requestNotFound(id)
      const next = await decide(tx, loaded.request, now)
      if (next === loaded.request) return next
      await tx.requests.update(loaded, next)
      await this.#record(tx, loaded.request, next, now)
      return next
    })
  }

  /** The grant of a request that just got approved, the audit events, and the wake-up on commit. */
  async #record(
    tx: ApprovalTransaction,
    before: ApprovalRequest | undefined,
    next: ApprovalRequest,
    now: Date,
  ) {
    const drafts = requestDrafts(before, next)
    const approvedNow = next.state === 'approved' && before?.state !== 'approved'
    if (approvedNow) {
      const grant = createGrant({ id: this.deps.newId(), request: next }, now)
      await tx.grants.insert(grant)
      drafts.push(grantDraft('grant.created', grant))
    }
    await tx.audit(drafts)
    await tx.notify(REQUEST_CHANNEL, next.id)
  }
}
