// The ports the approval services need: one transaction at a time, holding the request,
// grant and TOTP repositories, the audit append and the after-commit notification. The
// store implements them (src/store/approval-store.ts); the services know nothing of SQL.
import type { AuditDraft } from '../audit/index.ts'
import type { ApprovalRequest } from './approval-request.ts'
import type { Grant } from './grant.ts'

/** Where a page of a newest-first listing ends: the next page starts after this row. */
export interface ListPosition {
  readonly createdAt: string
  readonly id: string
}

/** Filters of a request listing, newest first (created_at, then id, descending). */
export interface RequestListQuery {
  readonly state?: ApprovalRequest['state']
  readonly requesterId?: string
  /** Only rows after this position in the listing order. */
  readonly after?: ListPosition
  readonly limit: number
}

/** Filters of a grant listing, newest first. */
export interface GrantListQuery {
  readonly actorId?: string
  /** true: only grants active at `now`; false: only those that are not (scheduled, used up, expired, revoked). */
  readonly active?: boolean
  readonly now: Date
  readonly after?: ListPosition
  readonly limit: number
}

/** A request as read, with the row version its update must still find. */
export interface LoadedRequest {
  readonly request: ApprovalRequest
  readonly version: number
}

export interface RequestRepository {
  /** `lock`: hold the row until the transaction ends (FOR UPDATE on PostgreSQL). */
  load(id: string, options?: { readonly lock?: boolean }): Promise<LoadedRequest | undefined>
  insert(request: ApprovalRequest): Promise<void>
  /** Writes `next` over `before`; throws RequestConflictError when the row moved since it was read. */
  update(before: LoadedRequest, next: ApprovalRequest): Promise<void>
  /**
   * Pending requests due to expire or escalate at `now`, locked, passing over rows other
   * nodes hold (SKIP LOCKED), oldest deadline first.
   */
  claimDue(now: Date, limit: number): Promise<readonly LoadedRequest[]>
  /** One page of requests matching `query`, newest first. */
  list(query: RequestListQuery): Promise<readonly ApprovalRequest[]>
}

export interface GrantRepository {
  insert(grant: Grant): Promise<void>
  load(id: string, options?: { readonly lock?: boolean }): Promise<Grant | undefined>
  update(grant: Grant): Promise<void>
  /** The actor's grants that are issued (not consumed, not revoked) and not expired at `now`. */
  liveFor(actorId: string, now: Date): Promise<readonly Grant[]>
  /** The grant an approval of `requestId` created; `lock` holds it until the transaction ends. */
  forRequest(requestId: string, options?: { readonly lock?: boolean }): Promise<Grant | undefined>
  /** One page of grants matching `query`, newest first. */
  list(query: GrantListQuery): Promise<readonly Grant[]>
}

export interface TotpRecord {
  readonly userId: string
  /** Base32. */
  readonly secret: string
  readonly lastCounter?: number
  readonly createdAt: string
  readonly confirmedAt?: string
}

export interface TotpRepository {
  load(userId: string, options?: { readonly lock?: boolean }): Promise<TotpRecord | undefined>
  /** Inserts or replaces the user's enrolment. */
  save(record: TotpRecord): Promise<void>
}

/** What every store transaction of the services offers besides its repositories. */
export interface AuditedTransaction {
  /** Appends to the audit chain inside this transaction: the events commit with the change. */
  audit(drafts: readonly AuditDraft[]): Promise<void>
  /** Sends `payload` on `channel` once this transaction commits, never if it rolls back. */
  notify(channel: string, payload: string): Promise<void>
}

/** A store that runs `fn` in one transaction; it may run again when the database asks for a retry. */
export interface TransactionalStore<Tx> {
  transact<T>(fn: (tx: Tx) => Promise<T>): Promise<T>
}

export interface ApprovalTransaction extends AuditedTransaction {
  readonly requests: RequestRepository
  readonly grants: GrantRepository
  readonly totp: TotpRepository
}

export type ApprovalStore = TransactionalStore<ApprovalTransaction>

/** Where the services learn the time and get new ids: injected, never global. */
export interface ServiceClock {
  now(): Date
}

/** The channel told of every change to a request (payload: its id) and to a grant (`grant:<id>`). */
export const REQUEST_CHANNEL = 'request_changed'
export const GRANT_CHANNEL = 'grant_changed'
