// Following one request until it settles, for `jitgate request wait` and `request create
// --wait`: long polls of /v1/requests/{id}/wait (each at most 60 s, passing the state last
// seen, so a change between two polls is never missed), a spinner on a terminal, Ctrl-C
// aborting the poll in flight, and an exit code that says how it ended.
import type { RequestView } from '../approvals/index.ts'
import { JitgateError } from '../shared/index.ts'
import { type ApiClient, segment, withQuery } from './api-client.ts'
import { printOutcome } from './request-output.ts'
import { formatElapsed, startSpinner } from './spinner.ts'
import { EXIT, type Terminal } from './terminal.ts'

/** How a wait ends, as the process's exit code (documented in `request wait --help`). */
export const WAIT_EXIT = {
  /** approved (and, when jitgate carries it out, executed). */
  ok: EXIT.ok,
  /** rejected, expired, canceled, or its execution failed. */
  ended: EXIT.failed,
  /** still pending (or executing) when --timeout ran out. */
  timeout: 3,
  /** interrupted with Ctrl-C (128 + SIGINT), as shells expect. */
  interrupted: 130,
} as const

export const WAIT_HELP = `
Waits until the request is no longer pending. An approved request whose execution jitgate
has queued or is running is followed until executed or failed; an approved request without
an execution is done (its grant is what was asked for).

Exit codes:
  0  approved or executed
  1  rejected, expired, canceled or failed (or the server refused: 403/409)
  2  wrong usage, bad token, unknown request, no server
  3  still waiting when --timeout ran out
  130  interrupted (Ctrl-C)`

const MAX_POLL_SECONDS = 60
const RETRY_MS = [1_000, 2_000, 5_000]

type Settling = Pick<RequestView, 'state' | 'execution'>

/** True while there is something left to wait for. */
export function stillOpen(view: Settling): boolean {
  if (view.state === 'pending' || view.state === 'executing') return true
  const execution = view.execution?.state
  return view.state === 'approved' && (execution === 'queued' || execution === 'running')
}

export function exitCodeOf(view: Settling): number {
  if (stillOpen(view)) return WAIT_EXIT.timeout
  return view.state === 'approved' || view.state === 'executed' ? WAIT_EXIT.ok : WAIT_EXIT.ended
}

export interface WaitOptions {
  readonly timeoutMs: number
  readonly json: boolean
}

/**
 * Waits on `first` as `wait` and `create --wait` do, prints where it ended (the view as JSON,
 * or a line for a person) and returns the exit code.
 */
export async function waitAndReport(
  term: Terminal,
  client: ApiClient,
  first: RequestView,
  options: WaitOptions,
): Promise<number> {
  const started = Date.now()
  let view = first
  const spinner = startSpinner(process.stderr, () => {
    const missing = view.state === 'pending' ? `, needs ${view.approvers.missing} more approval(s)` : ''
    // Time and state first: a narrow terminal cuts the line's end, and the id is known.
    return `${formatElapsed(Date.now() - started)}  ${view.state}${missing}  (${view.id})`
  })
  const controller = new AbortController()
  const interrupt = () => controller.abort()
  process.once('SIGINT', interrupt)
  let end: 'settled' | 'timeout' | 'interrupted'
  try {
    end = await follow(client, first, started + options.timeoutMs, controller.signal, (next) => {
      view = next
    })
  } finally {
    process.off('SIGINT', interrupt)
    spinner.stop()
  }
  if (end === 'interrupted') {
    term.err(`interrupted; ${view.id} is still ${view.state}`)
    return WAIT_EXIT.interrupted
  }
  if (options.json) term.json(view)
  else printOutcome(term, view)
  if (end === 'timeout')
    term.err(`gave up waiting after ${formatElapsed(options.timeoutMs)}; ${view.id} is still ${view.state}`)
  return end === 'timeout' ? WAIT_EXIT.timeout : exitCodeOf(view)
}

async function follow(
  client: ApiClient,
  first: RequestView,
  deadline: number,
  signal: AbortSignal,
  seen: (view: RequestView) => void,
): Promise<'settled' | 'timeout' | 'interrupted'> {
  let view = first
  let failures = 0
  while (stillOpen(view)) {
    const remaining = deadline - Date.now()
    if (remaining <= 0) return 'timeout'
    const seconds = Math.min(MAX_POLL_SECONDS, Math.max(1, Math.ceil(remaining / 1000)))
    const path = withQuery(`/v1/requests/${segment(view.id)}/wait`, { timeout: seconds, state: view.state })
    try {
      view = (await client.call<{ request: RequestView }>('GET', path, undefined, signal)).request
      failures = 0
      seen(view)
    } catch (error) {
      if (signal.aborted) return 'interrupted'
      // A node restarting behind a load balancer should not end a ten-minute wait.
      if (!transient(error) || failures >= RETRY_MS.length) throw error
      if (!(await pause(RETRY_MS[failures++] ?? 0, signal))) return 'interrupted'
    }
  }
  return 'settled'
}

function transient(error: unknown): boolean {
  return error instanceof JitgateError && (error.code === 'server_unreachable' || error.status >= 500)
}

/** Sleeps `ms`; false when interrupted first. */
function pause(ms: number, signal: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer)
      resolve(false)
    }
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', done)
      resolve(true)
    }, ms)
    signal.addEventListener('abort', done, { once: true })
  })
}
