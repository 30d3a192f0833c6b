// Grants in the store. A grant's state is a row read at decision time, so a revocation
// written by one node takes effect on every node at once; expiry is a time comparison,
// so an expired grant stops counting without any sweeper.
import type { Transaction } from 'kysely'
import type { GrantListQuery, GrantRepository } from '../approvals/approval-ports.ts'
import type { Grant } from '../approvals/index.ts'
import type { Dialect } from './database-url.ts'
import { afterPosition } from './list-position.ts'
import type { Database, GrantRow } from './schema.ts'
import { forUpdate } from './transaction.ts'

type Row = GrantRow

/** The core's `issued` is the table's `active`: expiry is not a state in either. */
export function toGrantRow(grant: Grant): Row {
  return {
    id: grant.id,
    request_id: grant.requestId,
    actor_id: grant.actorId,
    verb: grant.verb,
    resource: grant.resource,
    fields: grant.fields === undefined ? null : JSON.stringify(grant.fields),
    mode: grant.mode,
    starts_at: grant.startsAt,
    expires_at: grant.expiresAt,
    state: grant.state === 'issued' ? 'active' : grant.state,
    created_at: grant.createdAt,
    consumed_at: grant.consumedAt ?? null,
    revoked_at: grant.revokedAt ?? null,
    revoked_by: grant.revokedBy ?? null,
    policy_version: grant.policyVersion,
    revocation_reason: grant.revocationReason ?? null,
  }
}

export function fromGrantRow(row: Row): Grant {
  return {
    id: row.id,
    requestId: row.request_id,
    actorId: row.actor_id,
    verb: row.verb,
    resource: row.resource,
    ...(row.fields === null ? {} : { fields: JSON.parse(row.fields) as string[] }),
    mode: row.mode,
    policyVersion: row.policy_version ?? '',
    createdAt: row.created_at,
    startsAt: row.starts_at,
    expiresAt: row.expires_at,
    state: row.state === 'active' ? 'issued' : row.state,
    ...(row.consumed_at === null ? {} : { consumedAt: row.consumed_at }),
    ...(row.revoked_at === null ? {} : { revokedAt: row.revoked_at }),
    ...(row.revoked_by === null ? {} : { revokedBy: row.revoked_by }),
    ...(row.revocation_reason === null ? {} : { revocationReason: row.revocation_reason }),
  }
}

export class SqlGrantRepository implements GrantRepository {
  readonly #trx: Transaction<Database>

  constructor(
    trx: Transaction<Database>,
    private readonly dialect: Dialect,
  ) {
    this.#trx = trx
  }

  async insert(grant: Grant): Promise<void> {
    await this.#trx.insertInto('grants').values(toGrantRow(grant)).execute()
  }

  async load(id: string, options: { readonly lock?: boolean } = {}): Promise<Grant | undefined> {
    const query = this.#trx.selectFrom('grants').selectAll().where('id', '=', id)
    const row = await (options.lock === true ? forUpdate(this.dialect, query) : query).executeTakeFirst()
    return row === undefined ? undefined : fromGrantRow(row)
  }

  async forRequest(requestId: string, options: { readonly lock?: boolean } = {}): Promise<Grant | undefined> {
    const query = this.#trx.selectFrom('grants').selectAll().where('request_id', '=', requestId)
    const row = await (options.lock === true ? forUpdate(this.dialect, query) : query).executeTakeFirst()
    return row === undefined ? undefined : fromGrantRow(row)
  }

  async update(grant: Grant): Promise<void> {
    const { id, ...changes } = toGrantRow(grant)
    await this.#trx.updateTable('grants').set(changes).where('id', '=', id).execute()
  }

  async liveFor(actorId: string, now: Date): Promise<readonly Grant[]> {
    const rows = await this.#trx
      .selectFrom('grants')
      .selectAll()
      .where('actor_id', '=', actorId)
      .where('state', '=', 'active')
      .where('expires_at', '>', now.toISOString())
      .orderBy('expires_at')
      .execute()
    return rows.map(fromGrantRow)
  }

  async list(query: GrantListQuery): Promise<readonly Grant[]> {
    const at = query.now.toISOString()
    let select = this.#trx.selectFrom('grants').selectAll()
    if (query.actorId !== undefined) select = select.where('actor_id', '=', query.actorId)
    // Active is what grantStatus says: issued, started, not expired.
    if (query.active === true)
      select = select.where('state', '=', 'active').where('starts_at', '<=', at).where('expires_at', '>', at)
    if (query.active === false)
      select = select.where((eb) =>
        eb.or([eb('state', '!=', 'active'), eb('starts_at', '>', at), eb('expires_at', '<=', at)]),
      )
    if (query.after !== undefined) select = select.where(afterPosition(query.after))
    const rows = await select.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(query.limit).execute()
    return rows.map(fromGrantRow)
  }
}
