// `jitgate grant list|revoke`: the time-boxed permissions approvals created, and taking one
// back at once (an approver's or admin's call; requesters list their own).
import { Command } from 'commander'
import type { GrantView } from '../approvals/index.ts'
import { ApiClient, type ApiOptions, apiOptions, listPages, segment } from './api-client.ts'
import { refusals } from './cli-errors.ts'
import { printGrantTable, shortTime } from './request-output.ts'
import type { Terminal } from './terminal.ts'

interface ListOptions extends ApiOptions {
  actor?: string
  active?: boolean
  limit?: string
  all?: boolean
  json?: boolean
}

export function grantCommand(term: Terminal, setExit: (code: number) => void): Command {
  const refusable = refusals(term, setExit)
  const grant = new Command('grant').description('list and revoke the grants approvals created')

  apiOptions(grant.command('list'))
    .description('list grants, newest first, with what each is now (active, expired, revoked…)')
    .option('--actor <user>', 'only the grants of this user')
    .option('--active', 'only grants in force now')
    .option('--limit <n>', 'grants per page (at most 200)', '50')
    .option('--all', 'follow the pages to the end')
    .option('--json', 'print { items, nextCursor } as JSON')
    .action(
      refusable(async (opts: ListOptions) => {
        const page = await listPages<GrantView>(new ApiClient(opts), '/v1/grants', opts.all === true, {
          actor: opts.actor,
          active: opts.active === true ? 'true' : undefined,
          limit: opts.limit,
        })
        if (opts.json) return term.json(page)
        if (page.items.length === 0) term.err('no grants')
        else printGrantTable(term, page.items)
        if (page.nextCursor !== null) term.err('more on the next page: pass --all')
      }),
    )

  apiOptions(grant.command('revoke'))
    .description('revoke a grant at once, on every node')
    .argument('<id>', 'the grant id')
    .option('--reason <text>', 'why: kept with the grant and in the audit log')
    .option('--json', 'print the grant as JSON')
    .addHelpText(
      'after',
      '\nExit codes: 0 revoked (or revoked already); 1 refused (a used single-use grant, no permission); 2 usage, token, unknown grant, no server.',
    )
    .action(
      refusable(async (id: string, opts: ApiOptions & { reason?: string; json?: boolean }) => {
        const revoked = await new ApiClient(opts).call<GrantView>(
          'POST',
          `/v1/grants/${segment(id)}/revoke`,
          opts.reason === undefined ? {} : { reason: opts.reason },
        )
        if (opts.json) return term.json(revoked)
        term.out(`${revoked.id} revoked at ${shortTime(revoked.revokedAt)} by ${revoked.revokedBy ?? '-'}`)
      }),
    )

  return grant
}
