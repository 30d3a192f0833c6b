// Every setting's final value: flag, else environment variable, else file, else default,
// with a check of the values that come as text (flags and variables). Pure: the sources and
// the path resolvers are passed in.
import { isIP } from 'node:net'
import { join } from 'node:path'
import type { GatewaySettings } from '../gateway/index.ts'
import { type ErrorDetail, parseDuration } from '../shared/index.ts'
import type { ConfigDoc, HttpEndpointDoc } from './config-schema.ts'

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent'
const LOG_LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']

export interface HttpEndpointConfig {
  readonly baseUrl: string
  readonly methods?: readonly string[]
  readonly paths?: readonly string[]
}

export interface JitgateConfig {
  /** The configuration file read, if any. */
  readonly file?: string
  /** Where jitgate keeps its SQLite store and keys when nothing else is configured. */
  readonly dataDir: string
  readonly store: { readonly url: string; readonly poolSize?: number }
  readonly server: {
    readonly host: string
    readonly port: number
    readonly publicUrl?: string
    /** Approval requests one caller may create per window (default 30 a minute). */
    readonly requestLimit: { readonly max: number; readonly windowMs: number }
    /** Decisions (POST /v1/decisions) one caller may ask for per window (default 6,000 a minute). */
    readonly decisionLimit: { readonly max: number; readonly windowMs: number }
    /**
     * Behind load balancers: how many hops, or which addresses, may set X-Forwarded-For; false
     * trusts none. Never "all": anyone could then claim any address (and dodge the limits).
     */
    readonly trustProxy: false | number | readonly string[]
  }
  readonly policies: { readonly dir: string; readonly watch: boolean }
  readonly logLevel: LogLevel
  readonly work: { readonly sweepEveryMs: number; readonly workers: number; readonly leaseMs: number }
  readonly executors: {
    readonly http?: {
      readonly idempotent: boolean
      readonly timeoutMs: number
      readonly endpoints: Readonly<Record<string, HttpEndpointConfig>>
    }
  }
  readonly auth: Readonly<Record<string, unknown>>
  readonly notify: Readonly<Record<string, unknown>>
  /**
   * The PostgreSQL gateway, when the file has a `gateway` section (load-config.ts resolves
   * it). Holds jitgate's upstream passwords: never log or show it whole.
   */
  readonly gateway?: GatewaySettings
}

export interface SettingSources {
  readonly flags: Readonly<Record<string, string | boolean | undefined>>
  readonly env: Readonly<Record<string, string | undefined>>
  readonly file?: string
  readonly fromFile: (path: string) => string
  readonly fromCwd: (path: string) => string
  readonly problems: ErrorDetail[]
}

export function resolveSettings(doc: ConfigDoc, s: SettingSources): JitgateConfig {
  /** A flag's or variable's text, and where it came from; undefined when neither is set. */
  const outside = (flag: string, variable: string): { value: string; from: string } | undefined => {
    const f = s.flags[flag]
    if (typeof f === 'string') return { value: f, from: `--${flag}` }
    const v = s.env[variable]
    return v === undefined || v === '' ? undefined : { value: v, from: variable }
  }
  const path = (flag: string, variable: string, inFile: string | undefined, fallback: string): string => {
    const given = outside(flag, variable)
    if (given !== undefined) return s.fromCwd(given.value)
    return inFile === undefined ? s.fromCwd(fallback) : s.fromFile(inFile)
  }

  const dataDir = path('data-dir', 'JITGATE_DATA_DIR', doc.dataDir, '.jitgate')
  const database = outside('database', 'JITGATE_DATABASE_URL')
  const url =
    database !== undefined
      ? storeUrl(database.value, s.fromCwd)
      : doc.store?.url !== undefined
        ? storeUrl(doc.store.url, s.fromFile)
        : `sqlite:${join(dataDir, 'jitgate.db')}`

  const host = outside('host', 'JITGATE_HOST')
  const hostValue = host?.value ?? doc.server?.host ?? '127.0.0.1'
  const hostFrom = host?.from ?? `${s.file ?? 'configuration'}: server.host`
  if (hostValue !== 'localhost' && isIP(hostValue) === 0)
    s.problems.push({
      path: hostFrom,
      message: `'${hostValue}' is not an IP address`,
      hint: 'use an address such as 127.0.0.1, 0.0.0.0 or ::',
    })

  const port = outside('port', 'JITGATE_PORT')
  let portValue = doc.server?.port ?? 8080
  if (port !== undefined) {
    portValue = Number(port.value)
    if (!/^\d+$/.test(port.value) || portValue > 65535)
      s.problems.push({
        path: port.from,
        message: `'${port.value}' is not a port number`,
        hint: 'use a whole number from 0 to 65535 (0 picks a free port)',
      })
  }

  const level = outside('log-level', 'JITGATE_LOG_LEVEL')
  const levelValue = (level?.value ?? doc.log?.level ?? 'info') as LogLevel
  if (level !== undefined && !LOG_LEVELS.includes(levelValue))
    s.problems.push({
      path: level.from,
      message: `'${level.value}' is not a log level`,
      hint: `use one of ${LOG_LEVELS.join(', ')}`,
    })

  const publicUrl = outside('public-url', 'JITGATE_PUBLIC_URL')?.value ?? doc.server?.publicUrl
  const http = doc.executors?.http
  return {
    ...(s.file === undefined ? {} : { file: s.file }),
    dataDir,
    store: { url, ...(doc.store?.poolSize === undefined ? {} : { poolSize: doc.store.poolSize }) },
    server: {
      host: hostValue,
      port: portValue,
      ...(publicUrl === undefined ? {} : { publicUrl }),
      requestLimit: {
        max: doc.server?.requestLimit?.max ?? 30,
        windowMs: ms(doc.server?.requestLimit?.window, 60_000),
      },
      decisionLimit: {
        max: doc.server?.decisionLimit?.max ?? 6_000,
        windowMs: ms(doc.server?.decisionLimit?.window, 60_000),
      },
      trustProxy: doc.server?.trustProxy === 0 ? false : (doc.server?.trustProxy ?? false),
    },
    policies: {
      dir: path('policies', 'JITGATE_POLICIES', doc.policies?.dir, 'policies'),
      watch: s.flags.watch === false ? false : (doc.policies?.watch ?? true),
    },
    logLevel: levelValue,
    work: {
      sweepEveryMs: ms(doc.work?.sweepEvery, 5_000),
      workers: doc.work?.workers ?? 1,
      leaseMs: ms(doc.work?.lease, 30_000),
    },
    executors:
      http === undefined
        ? {}
        : {
            http: {
              idempotent: http.idempotent ?? false,
              timeoutMs: ms(http.timeout, 10_000),
              endpoints: Object.fromEntries(
                Object.entries(http.endpoints).map(([name, endpoint]) => [name, endpointConfig(endpoint)]),
              ),
            },
          },
    auth: (doc.auth ?? {}) as Readonly<Record<string, unknown>>,
    notify: (doc.notify ?? {}) as Readonly<Record<string, unknown>>,
  }
}

/** A SQLite URL's relative path made absolute by `resolvePath`; other URLs as given. */
function storeUrl(url: string, resolvePath: (path: string) => string): string {
  if (/^postgres(ql)?:\/\//.test(url)) return url
  const path = url.startsWith('sqlite:') ? url.slice('sqlite:'.length).replace(/^\/\//, '') : url
  return path === ':memory:' ? url : `sqlite:${resolvePath(path)}`
}

function ms(text: string | undefined, fallback: number): number {
  const seconds = text === undefined ? undefined : parseDuration(text)
  return seconds === undefined ? fallback : seconds * 1000
}

function endpointConfig(endpoint: HttpEndpointDoc): HttpEndpointConfig {
  return {
    baseUrl: endpoint.baseUrl,
    ...(endpoint.methods === undefined ? {} : { methods: endpoint.methods }),
    ...(endpoint.paths === undefined ? {} : { paths: endpoint.paths }),
  }
}
