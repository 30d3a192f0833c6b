// `jitgate request create|list|show|wait|cancel`: ask for an action and follow the approval
// request it opens, through the API as the token's user.
import { readFile } from 'node:fs/promises'
import { Command } from 'commander'
import type { RequestView } from '../approvals/index.ts'
import type { Decision } from '../policy/index.ts'
import { JitgateError, parseDuration } from '../shared/index.ts'
import { ApiClient, type ApiOptions, apiOptions, listPages, segment } from './api-client.ts'
import { refusals, usageError } from './cli-errors.ts'
import { printOutcome, printRequest, printRequestTable } from './request-output.ts'
import { WAIT_HELP, waitAndReport } from './request-wait.ts'
import type { Terminal } from './terminal.ts'

type Created =
  | { outcome: 'request'; decisionId: string; request: RequestView }
  | { outcome: 'allowed'; decisionId: string; decision: Decision }

interface CreateOptions extends ApiOptions {
  action: string
  resource: string
  purpose?: string
  reason?: string
  context?: string
  contextFile?: string
  grantStart?: string
  grantFor?: string
  wait?: boolean
  timeout: string
  json?: boolean
}

interface ListOptions extends ApiOptions {
  state?: string
  requester?: string
  mine?: boolean
  limit?: string
  all?: boolean
  json?: boolean
}

const DEFAULT_TIMEOUT = '10m'

export function requestCommand(term: Terminal, setExit: (code: number) => void): Command {
  const refusable = refusals(term, setExit)
  const request = new Command('request').description('ask for an action and follow its approval request')

  apiOptions(request.command('create'))
    .description('ask for an action: allowed at once, or an approval request to wait on')
    .requiredOption('--action <verb>', 'what to do, e.g. db.query or http.call')
    .requiredOption('--resource <resource>', 'what to do it to, e.g. pg://prod/public.users')
    .option('--purpose <purpose>', 'why, as a purpose the policies know')
    .option('--reason <text>', 'why, for the approvers (some policies require one)')
    .option('--context <json>', 'the action’s context as a JSON object')
    .option('--context-file <file>', 'the context from a JSON file (- for stdin)')
    .option('--grant-start <time>', 'start the grant later than the approval (RFC 3339)')
    .option('--grant-for <duration>', 'how long the grant should last, e.g. 30m (the policy caps it)')
    .option('--wait', 'then wait for the request as `request wait` does (same exit codes)')
    .option('--timeout <duration>', 'with --wait: how long to wait', DEFAULT_TIMEOUT)
    .option('--json', 'print the API’s answer as JSON (with --wait: the request when the wait ends)')
    .addHelpText('after', `\nWith --wait:${WAIT_HELP}`)
    .action(
      refusable(async (opts: CreateOptions) => {
        const timeoutMs = opts.wait === true ? duration('--timeout', opts.timeout) * 1000 : 0
        const client = new ApiClient(opts)
        const created = await client.call<Created>('POST', '/v1/requests', await createBody(opts))
        if (created.outcome === 'allowed') {
          if (opts.json) term.json(created)
          else term.out(`allowed (decision ${created.decisionId})`)
          return
        }
        if (opts.wait !== true) {
          if (opts.json) term.json(created)
          else printOutcome(term, created.request)
          return
        }
        if (!opts.json) term.err(`request ${created.request.id} ${created.request.state}`)
        setExit(await waitAndReport(term, client, created.request, { timeoutMs, json: opts.json === true }))
      }),
    )

  apiOptions(request.command('list'))
    .description('list approval requests, newest first (requesters see their own)')
    .option('--state <state>', 'only requests in this state, e.g. pending')
    .option('--requester <user>', 'only requests of this user')
    .option('--mine', 'only requests you made')
    .option('--limit <n>', 'requests per page (at most 200)', '50')
    .option('--all', 'follow the pages to the end')
    .option('--json', 'print { items, nextCursor } as JSON')
    .action(
      refusable(async (opts: ListOptions) => {
        const client = new ApiClient(opts)
        const requester = opts.mine === true ? await whoAmI(client) : opts.requester
        const page = await listPages<RequestView>(client, '/v1/requests', opts.all === true, {
          state: opts.state,
          requester,
          limit: opts.limit,
        })
        if (opts.json) return term.json(page)
        if (page.items.length === 0) term.err('no requests')
        else printRequestTable(term, page.items)
        if (page.nextCursor !== null) term.err('more on the next page: pass --all')
      }),
    )

  apiOptions(request.command('show'))
    .description('show a request: steps, who approved and who can still approve, history, grant')
    .argument('<id>', 'the request id')
    .option('--json', 'print the request as JSON')
    .action(
      refusable(async (id: string, opts: ApiOptions & { json?: boolean }) => {
        const view = await new ApiClient(opts).call<RequestView>('GET', `/v1/requests/${segment(id)}`)
        if (opts.json) term.json(view)
        else printRequest(term, view)
      }),
    )

  apiOptions(request.command('wait'))
    .description('wait until a request is decided (a spinner on a terminal); the exit code says how')
    .argument('<id>', 'the request id')
    .option('--timeout <duration>', 'how long to wait at most', DEFAULT_TIMEOUT)
    .option('--json', 'print the request as JSON when the wait ends')
    .addHelpText('after', WAIT_HELP)
    .action(
      refusable(async (id: string, opts: ApiOptions & { timeout: string; json?: boolean }) => {
        const timeoutMs = duration('--timeout', opts.timeout) * 1000
        const client = new ApiClient(opts)
        const first = await client.call<RequestView>('GET', `/v1/requests/${segment(id)}`)
        setExit(await waitAndReport(term, client, first, { timeoutMs, json: opts.json === true }))
      }),
    )

  apiOptions(request.command('cancel'))
    .description('cancel your own pending request')
    .argument('<id>', 'the request id')
    .option('--json', 'print the request as JSON')
    .action(
      refusable(async (id: string, opts: ApiOptions & { json?: boolean }) => {
        const view = await new ApiClient(opts).call<RequestView>('POST', `/v1/requests/${segment(id)}/cancel`)
        if (opts.json) term.json(view)
        else printOutcome(term, view)
      }),
    )

  return request
}

/** The body of POST /v1/requests from the flags; every flag checked before anything is sent. */
async function createBody(opts: CreateOptions): Promise<Record<string, unknown>> {
  if (opts.context !== undefined && opts.contextFile !== undefined)
    throw usageError('--context and --context-file both given', '--context', 'pass one of them')
  const context =
    opts.contextFile !== undefined
      ? jsonObject('--context-file', await readText(opts.contextFile))
      : opts.context === undefined
        ? undefined
        : jsonObject('--context', opts.context)
  return {
    action: opts.action,
    resource: opts.resource,
    ...(opts.purpose === undefined ? {} : { purpose: opts.purpose }),
    ...(context === undefined ? {} : { context }),
    ...(opts.reason === undefined ? {} : { reason: opts.reason }),
    ...(opts.grantStart === undefined ? {} : { grantStart: time('--grant-start', opts.grantStart) }),
    ...(opts.grantFor === undefined ? {} : { grantSeconds: duration('--grant-for', opts.grantFor) }),
  }
}

async function readText(file: string): Promise<string> {
  try {
    if (file !== '-') return await readFile(file, 'utf8')
    const chunks: Buffer[] = []
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer)
    return Buffer.concat(chunks).toString('utf8')
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : 'unreadable'
    throw usageError(`cannot read '${file}': ${reason}`, '--context-file', 'pass a JSON file, or - for stdin')
  }
}

function jsonObject(flag: string, text: string): Record<string, unknown> {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (error) {
    throw usageError(`${flag} is not valid JSON: ${(error as Error).message}`, flag, 'e.g. {"kind":"write"}')
  }
  if (typeof value === 'object' && value !== null && !Array.isArray(value))
    return value as Record<string, unknown>
  throw usageError(`${flag} must be a JSON object`, flag, 'e.g. {"kind":"write"}')
}

function time(flag: string, text: string): string {
  const ms = Date.parse(text)
  if (Number.isNaN(ms) || !/^\d{4}-\d\d-\d\dT/.test(text))
    throw usageError(
      `${flag} '${text.slice(0, 40)}' is not a time`,
      flag,
      'use RFC 3339, e.g. 2026-11-23T09:00:00Z',
    )
  return new Date(ms).toISOString()
}

/** Seconds in a duration flag such as `30m` or `1h30m`. */
export function duration(flag: string, text: string): number {
  const seconds = parseDuration(text)
  if (seconds === undefined)
    throw usageError(`${flag} '${text.slice(0, 40)}' is not a duration`, flag, 'e.g. 90s, 30m, 1h30m, 2d')
  return seconds
}

/** The caller's user id, for --mine: the server says who the token is. */
async function whoAmI(client: ApiClient): Promise<string> {
  try {
    return (await client.call<{ id: string }>('GET', '/v1/me')).id
  } catch (error) {
    if (!(error instanceof JitgateError) || error.status !== 404) throw error
    throw usageError(
      'this server cannot say who you are (no GET /v1/me)',
      '--mine',
      'pass --requester YOUR_ID',
    )
  }
}
