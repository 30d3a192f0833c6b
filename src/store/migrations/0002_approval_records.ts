// What 0001 left out of an approval request and a grant, so that both load back exactly as
// the approvals core made them: the policy groups frozen at creation and the history of a
// request, whether jitgate auto-approved it, its execution record, the identity-provider
// groups each vote was judged on, and a grant's policy version and revocation reason.
import type { Kysely, Migration } from 'kysely'

export function approvalRecordsMigration(): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      const requests = db.schema.alterTable('approval_requests')
      // JSON text, like every other JSON column (see schema.ts).
      await requests.addColumn('groups', 'text', (c) => c.notNull().defaultTo('{}')).execute()
      await requests.addColumn('history', 'text', (c) => c.notNull().defaultTo('[]')).execute()
      await requests.addColumn('auto_approved', 'integer', (c) => c.notNull().defaultTo(0)).execute()
      await requests.addColumn('execution', 'text').execute()
      const votes = db.schema.alterTable('approval_votes')
      await votes.addColumn('approver_groups', 'text', (c) => c.notNull().defaultTo('[]')).execute()
      const grants = db.schema.alterTable('grants')
      await grants.addColumn('policy_version', 'text').execute()
      await grants.addColumn('revocation_reason', 'text').execute()
    },
  }
}
