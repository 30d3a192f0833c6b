// Approval requests in the store, on both dialects with one code path: a request is its
// row plus its votes and comments. Updates carry the row version they read (optimistic
// concurrency); PostgreSQL readers that mean to write also lock the row (FOR UPDATE).
import type { Transaction } from 'kysely'
import type { LoadedRequest, RequestListQuery, RequestRepository } from '../approvals/approval-ports.ts'
import { RequestConflictError } from '../approvals/approval-service-errors.ts'
import type { ApprovalRequest } from '../approvals/index.ts'
import { fromRequestRows, type RequestRow, toCommentRow, toRequestRow, toVoteRow } from './approval-rows.ts'
import type { Dialect } from './database-url.ts'
import { afterPosition } from './list-position.ts'
import type { Database } from './schema.ts'
import { constraintViolation } from './store-errors.ts'
import { forUpdate, forUpdateSkipLocked } from './transaction.ts'

export class SqlRequestRepository implements RequestRepository {
  readonly #trx: Transaction<Database>

  constructor(
    trx: Transaction<Database>,
    private readonly dialect: Dialect,
  ) {
    this.#trx = trx
  }

  async load(id: string, options: { readonly lock?: boolean } = {}): Promise<LoadedRequest | undefined> {
    const query = this.#trx.selectFrom('approval_requests').selectAll().where('id', '=', id)
    const row = await (options.lock === true ? forUpdate(this.dialect, query) : query).executeTakeFirst()
    return row === undefined ? undefined : this.#complete(row)
  }

  async insert(request: ApprovalRequest): Promise<void> {
    await this.#trx
      .insertInto('approval_requests')
      .values({ ...toRequestRow(request, request.createdAt), row_version: 1 })
      .execute()
    await this.#writeChildren(request, 0, 0)
  }

  async update(before: LoadedRequest, next: ApprovalRequest): Promise<void> {
    const { id, history } = next
    const updatedAt = history[history.length - 1]?.at ?? next.createdAt
    const result = await this.#trx
      .updateTable('approval_requests')
      .set({ ...toRequestRow(next, updatedAt), row_version: before.version + 1 })
      .where('id', '=', id)
      .where('row_version', '=', before.version)
      .executeTakeFirst()
    if (result.numUpdatedRows === 0n) throw new RequestConflictError(id)
    await this.#writeChildren(next, before.request.votes.length, before.request.comments.length)
  }

  async claimDue(now: Date, limit: number): Promise<readonly LoadedRequest[]> {
    const at = now.toISOString()
    const query = this.#trx
      .selectFrom('approval_requests')
      .selectAll()
      .where('state', '=', 'pending')
      .where((eb) =>
        eb.or([
          eb('expires_at', '<=', at),
          eb.and([eb('escalate_at', '<=', at), eb('escalated_at', 'is', null)]),
        ]),
      )
      .orderBy('expires_at')
      .orderBy('id')
      .limit(limit)
    const rows = await forUpdateSkipLocked(this.dialect, query).execute()
    return Promise.all(rows.map((row) => this.#complete(row)))
  }

  async list(query: RequestListQuery): Promise<readonly ApprovalRequest[]> {
    let select = this.#trx.selectFrom('approval_requests').selectAll()
    if (query.state !== undefined) select = select.where('state', '=', query.state)
    // With a requester, the (requester_id, created_at) index serves the filter and the order.
    if (query.requesterId !== undefined) select = select.where('requester_id', '=', query.requesterId)
    if (query.after !== undefined) select = select.where(afterPosition(query.after))
    const rows = await select.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(query.limit).execute()
    const requests: ApprovalRequest[] = []
    // One at a time: a transaction's queries run on one connection anyway.
    for (const row of rows) requests.push((await this.#complete(row)).request)
    return requests
  }

  async #complete(row: LoadedRow): Promise<LoadedRequest> {
    const votes = await this.#trx
      .selectFrom('approval_votes')
      .selectAll()
      .where('request_id', '=', row.id)
      .orderBy('created_at')
      .orderBy('approver_id')
      .execute()
    const comments = await this.#trx
      .selectFrom('approval_comments')
      .selectAll()
      .where('request_id', '=', row.id)
      .orderBy('id')
      .execute()
    const { row_version, ...rest } = row
    return { request: fromRequestRows(rest, votes, comments), version: Number(row_version) }
  }

  /** Inserts the votes and comments past the first `votes` and `comments` already stored. */
  async #writeChildren(request: ApprovalRequest, votes: number, comments: number): Promise<void> {
    for (const vote of request.votes.slice(votes)) {
      const row = toVoteRow(request.id, vote)
      // One row per approver (the table's key): a person who approved and then rejected
      // keeps their last verdict; the request's history keeps both.
      try {
        await this.#trx
          .insertInto('approval_votes')
          .values(row)
          .onConflict((oc) => oc.columns(['request_id', 'approver_id']).doUpdateSet(row))
          .execute()
      } catch (error) {
        if (constraintViolation(error) === 'unique') throw new RequestConflictError(request.id)
        throw error
      }
    }
    const added = request.comments.slice(comments)
    if (added.length === 0) return
    const rows = added.map((comment, i) => toCommentRow(request.id, comments + i + 1, comment))
    await this.#trx.insertInto('approval_comments').values(rows).execute()
  }
}

type LoadedRow = RequestRow & { readonly row_version: number }
