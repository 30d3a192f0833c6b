// The HTTP executor's configuration: named internal endpoints, each a base URL with the
// methods and path globs an approved action may call. Checked once at construction, every
// problem listed at once, so that a bad entry never becomes a call to the wrong place.
import { type ErrorDetail, JitgateError } from '../../shared/index.ts'

export const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const
export type HttpMethod = (typeof HTTP_METHODS)[number]

export interface HttpEndpointConfig {
  /** `http(s)://host[:port][/prefix]`: the action's path is appended to it. */
  readonly baseUrl: string
  readonly methods: readonly HttpMethod[]
  /** Path globs: `*` matches within one segment, `**` across segments, e.g. `/accounts/**`. */
  readonly paths: readonly string[]
}

export interface HttpExecutorConfig {
  /** Verb globs the executor runs (default `http.call`). */
  readonly verbs?: string | readonly string[]
  /** True when every configured endpoint de-duplicates by the `Idempotency-Key` header. */
  readonly idempotent: boolean
  readonly timeoutMs: number
  readonly endpoints: Readonly<Record<string, HttpEndpointConfig>>
}

/** A checked endpoint: the base URL without a trailing slash, paths as patterns. */
export interface HttpEndpoint {
  readonly baseUrl: string
  readonly methods: ReadonlySet<string>
  readonly paths: readonly RegExp[]
}

/** `*` matches within one path segment, `**` across segments. */
export function pathPattern(glob: string): RegExp {
  const parts = glob
    .split('**')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*'))
  return new RegExp(`^${parts.join('.*')}$`)
}

function checkEndpoint(name: string, endpoint: HttpEndpointConfig, problems: ErrorDetail[]): HttpEndpoint {
  const at = `endpoints.${name}`
  let url: URL | undefined
  try {
    url = new URL(endpoint.baseUrl)
  } catch {
    problems.push({ path: `${at}.baseUrl`, message: 'is not a URL' })
  }
  if (url !== undefined && url.protocol !== 'http:' && url.protocol !== 'https:')
    problems.push({ path: `${at}.baseUrl`, message: 'must be an http or https URL' })
  if (
    url !== undefined &&
    (url.search !== '' || url.hash !== '' || url.username !== '' || url.password !== '')
  )
    problems.push({ path: `${at}.baseUrl`, message: 'must have no query, fragment or credentials' })
  endpoint.methods.forEach((method, i) => {
    if (!(HTTP_METHODS as readonly string[]).includes(method))
      problems.push({ path: `${at}.methods[${i}]`, message: `must be one of ${HTTP_METHODS.join(', ')}` })
  })
  if (endpoint.methods.length === 0) problems.push({ path: `${at}.methods`, message: 'lists no method' })
  if (endpoint.paths.length === 0) problems.push({ path: `${at}.paths`, message: 'lists no path' })
  endpoint.paths.forEach((path, i) => {
    if (!path.startsWith('/')) problems.push({ path: `${at}.paths[${i}]`, message: "must start with '/'" })
  })
  return {
    baseUrl: endpoint.baseUrl.replace(/\/+$/, ''),
    methods: new Set(endpoint.methods),
    paths: endpoint.paths.map(pathPattern),
  }
}

/** The endpoints by name; throws `invalid_config` naming every problem. */
export function checkHttpExecutorConfig(config: HttpExecutorConfig): ReadonlyMap<string, HttpEndpoint> {
  const problems: ErrorDetail[] = []
  if (!Number.isInteger(config.timeoutMs) || config.timeoutMs < 1 || config.timeoutMs > 600_000)
    problems.push({ path: 'timeoutMs', message: 'must be an integer from 1 to 600000' })
  const endpoints = new Map<string, HttpEndpoint>()
  for (const [name, endpoint] of Object.entries(config.endpoints))
    endpoints.set(name, checkEndpoint(name, endpoint, problems))
  if (endpoints.size === 0) problems.push({ path: 'endpoints', message: 'names no endpoint' })
  if (problems.length > 0)
    throw new JitgateError(
      'invalid_config',
      'the HTTP executor configuration is invalid; fix the fields listed',
      {
        details: problems,
      },
    )
  return endpoints
}
