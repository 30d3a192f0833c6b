// The executor of `http.call`: jitgate calls a configured internal endpoint for an approved
// action. The action's context names the endpoint, method, path and JSON body, and the
// resource that was approved must be `http://<endpoint><path>` exactly; the call
// carries the execution's `Idempotency-Key`, follows no redirects, and gives up after the
// timeout. Only the response status is recorded: the body may hold personal data, so it
// is discarded unread. A non-2xx status is a failed execution.
import type { RequestedAction } from '../approval-request.ts'
import type { ExecutionResult } from '../execution-record.ts'
import type { ExecuteOptions, Executor } from './executor.ts'
import {
  checkHttpExecutorConfig,
  type HttpEndpoint,
  type HttpExecutorConfig,
} from './http-executor-config.ts'

interface HttpCall {
  readonly url: string
  readonly method: string
  readonly body?: string
}

/** What the action asks for, or why it may not be called; the reason names the field, not its value. */
function planCall(
  endpoints: ReadonlyMap<string, HttpEndpoint>,
  action: RequestedAction,
): HttpCall | { readonly refused: string } {
  const context = action.context ?? {}
  const { endpoint: name, method, path, body } = context
  if (typeof name !== 'string') return { refused: 'context.endpoint is missing' }
  const endpoint = endpoints.get(name)
  if (endpoint === undefined) return { refused: 'context.endpoint names no configured endpoint' }
  if (typeof method !== 'string' || !endpoint.methods.has(method))
    return { refused: 'context.method is not allowed for this endpoint' }
  if (typeof path !== 'string' || !isPlainPath(path) || !endpoint.paths.some((p) => p.test(path)))
    return { refused: 'context.path is not allowed for this endpoint' }
  // What was decided and approved is the resource; the call must be exactly that one, never
  // another path smuggled in through the context.
  if (action.resource !== `http://${name}${path}`)
    return { refused: 'the call (context.endpoint and context.path) is not the approved resource' }
  return {
    url: endpoint.baseUrl + path,
    method,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  }
}

/** An absolute path without query, fragment, dot segments or encoded slashes: what the globs mean. */
function isPlainPath(path: string): boolean {
  if (!/^\/[A-Za-z0-9._~!$&'()*+,;=:@%/-]*$/.test(path)) return false
  if (/%2f|%5c|%2e/i.test(path)) return false
  return !path.split('/').some((segment) => segment === '.' || segment === '..')
}

export class HttpExecutor implements Executor {
  readonly verbs: string | readonly string[]
  readonly idempotent: boolean
  readonly #timeoutMs: number
  readonly #endpoints: ReadonlyMap<string, HttpEndpoint>

  /** Throws `invalid_config` listing every problem of `config`. */
  constructor(config: HttpExecutorConfig) {
    this.#endpoints = checkHttpExecutorConfig(config)
    this.verbs = config.verbs ?? 'http.call'
    this.idempotent = config.idempotent
    this.#timeoutMs = config.timeoutMs
  }

  async execute(action: RequestedAction, options: ExecuteOptions): Promise<ExecutionResult> {
    const call = planCall(this.#endpoints, action)
    if ('refused' in call) return { status: 'failed', detail: call.refused }
    const timeout = AbortSignal.timeout(this.#timeoutMs)
    try {
      const response = await fetch(call.url, {
        method: call.method,
        headers: {
          'idempotency-key': options.idempotencyKey,
          ...(call.body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(call.body === undefined ? {} : { body: call.body }),
        redirect: 'manual',
        signal: AbortSignal.any([options.signal, timeout]),
      })
      await response.body?.cancel()
      const ok = response.status >= 200 && response.status < 300
      return ok
        ? { status: 'ok', resultStatus: response.status }
        : { status: 'failed', resultStatus: response.status, detail: `HTTP ${response.status}` }
    } catch (error) {
      if (options.signal.aborted) throw error
      if (timeout.aborted) return { status: 'failed', detail: `no response within ${this.#timeoutMs} ms` }
      return { status: 'failed', detail: `the call failed: ${networkCode(error)}` }
    }
  }
}

/** The system error code (ECONNREFUSED…) without the message, which names hosts and ports. */
function networkCode(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown } }).cause
  return typeof cause?.code === 'string' ? cause.code : 'network error'
}
