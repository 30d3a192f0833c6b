// How the CLI talks to a jitgate server: `--server` / JITGATE_SERVER (default
// http://127.0.0.1:8080) and `--token` / JITGATE_TOKEN, JSON in and out, and the server's
// problem+json answers turned into errors that say what went wrong and how to fix it.
import type { Command } from 'commander'
import { type ErrorDetail, JitgateError } from '../shared/index.ts'

export interface ApiOptions {
  readonly server?: string
  readonly token?: string
}

export const DEFAULT_SERVER = 'http://127.0.0.1:8080'

/** Adds --server and --token to `cmd`. */
export function apiOptions(cmd: Command): Command {
  return cmd
    .option('--server <url>', `jitgate server (env JITGATE_SERVER; default ${DEFAULT_SERVER})`)
    .option(
      '--token <token>',
      'API key or OIDC token (env JITGATE_TOKEN; prefer the variable: flags show in ps)',
    )
}

/** `path` with the defined `params` as its query string: `withQuery('/v1/requests', { state: 'pending' })`. */
export function withQuery(
  path: string,
  params: Readonly<Record<string, string | number | undefined>>,
): string {
  const query = new URLSearchParams()
  for (const [name, value] of Object.entries(params)) if (value !== undefined) query.set(name, String(value))
  const text = query.toString()
  return text === '' ? path : `${path}?${text}`
}

/** One path segment: an id typed by a person may hold `/`, `?` or `#`. */
export function segment(id: string): string {
  return encodeURIComponent(id)
}

export interface Page<T> {
  readonly items: T[]
  readonly nextCursor: string | null
}

/** One page of a listing, or with `all` every page, each asked for with the one before's nextCursor. */
export async function listPages<T>(
  client: ApiClient,
  path: string,
  all: boolean,
  query: Readonly<Record<string, string | undefined>>,
): Promise<Page<T>> {
  const items: T[] = []
  let cursor: string | undefined
  for (;;) {
    const page = await client.call<Page<T>>('GET', withQuery(path, { ...query, cursor }))
    items.push(...page.items)
    if (!all || page.nextCursor === null) return { items, nextCursor: page.nextCursor }
    cursor = page.nextCursor
  }
}

interface Problem {
  readonly code?: string
  readonly detail?: string
  readonly title?: string
  readonly requestId?: string
  readonly errors?: readonly ErrorDetail[]
}

export class ApiClient {
  readonly server: string
  readonly #token: string | undefined

  constructor(options: ApiOptions, env: Readonly<Record<string, string | undefined>> = process.env) {
    this.server = options.server ?? env.JITGATE_SERVER ?? DEFAULT_SERVER
    this.#token = options.token ?? env.JITGATE_TOKEN
  }

  /** Calls `path` and returns its JSON body; throws a JitgateError for anything but 2xx. */
  async call<T>(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
    let res: Response
    try {
      res = await fetch(new URL(path, this.server), {
        method,
        headers: {
          ...(this.#token === undefined ? {} : { authorization: `Bearer ${this.#token}` }),
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        ...(signal === undefined ? {} : { signal }),
      })
    } catch (error) {
      if (signal?.aborted) throw error
      throw new JitgateError(
        'server_unreachable',
        `cannot reach the jitgate server at ${this.server}: ${(error as Error).message}`,
        {
          status: 400,
          details: [
            {
              path: '--server',
              message: 'no answer',
              hint: 'start it with `jitgate serve`, or pass --server / JITGATE_SERVER',
            },
          ],
        },
      )
    }
    const text = await res.text()
    if (res.ok) return (text === '' ? undefined : JSON.parse(text)) as T
    throw this.#refusal(res, path, text)
  }

  #refusal(res: Response, path: string, text: string): JitgateError {
    let problem: Problem = {}
    try {
      problem = JSON.parse(text) as Problem
    } catch {
      // Not problem+json (a proxy's page): the status says enough.
    }
    const message = problem.detail ?? problem.title ?? `the server answered ${res.status} for ${path}`
    const details: ErrorDetail[] = [...(problem.errors ?? [])]
    if (res.status === 401)
      details.push({
        path: '--token',
        message: this.#token === undefined ? 'no token was given' : 'the token was refused',
        hint: 'set JITGATE_TOKEN to an API key (`jitgate keys create`) or a token from your identity provider',
      })
    // A server fault is for an administrator to look up; a refusal says all there is to say.
    if (problem.requestId !== undefined && res.status >= 500)
      details.push({ message: `request id ${problem.requestId} (quote it to your administrator)` })
    return new JitgateError(problem.code ?? 'server_error', message, { status: res.status, details })
  }
}
