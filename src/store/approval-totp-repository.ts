// TOTP enrolments of approvers, with the last accepted time step so that no code is
// accepted twice, even by two nodes at once (the row is locked while a code is checked).
import type { Transaction } from 'kysely'
import type { TotpRecord, TotpRepository } from '../approvals/approval-ports.ts'
import type { Dialect } from './database-url.ts'
import type { Database } from './schema.ts'
import { forUpdate } from './transaction.ts'

export class SqlTotpRepository implements TotpRepository {
  constructor(
    private readonly trx: Transaction<Database>,
    private readonly dialect: Dialect,
  ) {}

  async load(userId: string, options: { readonly lock?: boolean } = {}): Promise<TotpRecord | undefined> {
    const query = this.trx.selectFrom('totp_enrollments').selectAll().where('user_id', '=', userId)
    const row = await (options.lock === true ? forUpdate(this.dialect, query) : query).executeTakeFirst()
    if (row === undefined) return undefined
    return {
      userId: row.user_id,
      secret: row.secret,
      ...(row.last_counter === null ? {} : { lastCounter: Number(row.last_counter) }),
      createdAt: row.created_at,
      ...(row.confirmed_at === null ? {} : { confirmedAt: row.confirmed_at }),
    }
  }

  async save(record: TotpRecord): Promise<void> {
    const row = {
      user_id: record.userId,
      secret: record.secret,
      last_counter: record.lastCounter ?? null,
      created_at: record.createdAt,
      confirmed_at: record.confirmedAt ?? null,
    }
    const { user_id: _key, ...changes } = row
    await this.trx
      .insertInto('totp_enrollments')
      .values(row)
      .onConflict((oc) => oc.column('user_id').doUpdateSet(changes))
      .execute()
  }
}
