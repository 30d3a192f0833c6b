// `jitgate approve ID` and `jitgate reject ID --reason TEXT`: an approver's vote on a pending
// request, as the token's user. The server decides whether they may (never on their own
// request, only where a step names them); its refusals exit 1 (cli-errors.ts).
import { Command } from 'commander'
import type { RequestView } from '../approvals/index.ts'
import { ApiClient, type ApiOptions, apiOptions, segment } from './api-client.ts'
import { refusals } from './cli-errors.ts'
import { printOutcome } from './request-output.ts'
import type { Terminal } from './terminal.ts'

const EXIT_HELP = `
Exit codes: 0 the vote was recorded; 1 the server refused it (your own request, no step
names you, a step-up code is needed, the request is decided already); 2 wrong usage, bad
token, unknown request, no server.`

export function approveCommand(term: Terminal, setExit: (code: number) => void): Command {
  const refusable = refusals(term, setExit)
  return apiOptions(
    new Command('approve')
      .description('approve a pending request; it is approved once every step has its quorum')
      .argument('<id>', 'the request id')
      .option('--comment <text>', 'a comment added after the approval')
      .option('--code <totp>', 'your TOTP code, when the policy asks for step-up'),
  )
    .option('--json', 'print the request as JSON')
    .addHelpText('after', EXIT_HELP)
    .action(
      refusable(
        async (id: string, opts: ApiOptions & { comment?: string; code?: string; json?: boolean }) => {
          const body = {
            ...(opts.comment === undefined ? {} : { comment: opts.comment }),
            ...(opts.code === undefined ? {} : { stepUpCode: opts.code }),
          }
          const view = await new ApiClient(opts).call<RequestView>(
            'POST',
            `/v1/requests/${segment(id)}/approve`,
            body,
          )
          if (opts.json) term.json(view)
          else printOutcome(term, view)
        },
      ),
    )
}

export function rejectCommand(term: Terminal, setExit: (code: number) => void): Command {
  const refusable = refusals(term, setExit)
  return apiOptions(
    new Command('reject')
      .description('reject a pending request: one rejection rejects it')
      .argument('<id>', 'the request id')
      .requiredOption('--reason <text>', 'why: the requester sees it, and it is kept with the vote'),
  )
    .option('--json', 'print the request as JSON')
    .addHelpText('after', EXIT_HELP)
    .action(
      refusable(async (id: string, opts: ApiOptions & { reason: string; json?: boolean }) => {
        const view = await new ApiClient(opts).call<RequestView>(
          'POST',
          `/v1/requests/${segment(id)}/reject`,
          {
            reason: opts.reason,
          },
        )
        if (opts.json) term.json(view)
        else printOutcome(term, view)
      }),
    )
}
