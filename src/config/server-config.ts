// The server's configuration: one schema, read once from flags and environment,
// every problem reported at once, frozen afterwards. No value silently falls
// back to a default when it is present but wrong.
import { isIP } from 'node:net'
import { type ErrorDetail, JitgateError } from '../shared/index.ts'

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent'
const LOG_LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']

export interface ServerConfig {
  readonly policies: string
  readonly host: string
  readonly port: number
  readonly logLevel: LogLevel
  readonly watchPolicies: boolean
}

/** Raw values by name, flags taking precedence over the environment. */
export interface ConfigSources {
  readonly flags: Readonly<Record<string, string | boolean | undefined>>
  readonly env: Readonly<Record<string, string | undefined>>
}

export class ConfigError extends JitgateError {
  constructor(details: readonly ErrorDetail[]) {
    super(
      'config_invalid',
      `the configuration has ${details.length} problem${details.length === 1 ? '' : 's'}`,
      { status: 400, details },
    )
  }
}

const LOOPBACK = /^(127\.\d{1,3}\.\d{1,3}\.\d{1,3}|::1|localhost)$/

export function loadServerConfig({ flags, env }: ConfigSources): ServerConfig {
  const problems: ErrorDetail[] = []
  const pick = (flag: string, variable: string): { value: string | undefined; from: string } => {
    const f = flags[flag]
    if (typeof f === 'string') return { value: f, from: `--${flag}` }
    return { value: env[variable], from: variable }
  }

  const policies = pick('policies', 'JITGATE_POLICIES')
  const host = pick('host', 'JITGATE_HOST')
  const hostValue = host.value ?? '127.0.0.1'
  if (!LOOPBACK.test(hostValue)) {
    problems.push({
      path: host.from,
      message: `'${hostValue}' is not a loopback address; the decision API has no authentication yet, so it only listens on 127.0.0.1 or ::1`,
      hint: 'use 127.0.0.1 and put a reverse proxy with authentication in front if you must expose it',
    })
  } else if (hostValue !== 'localhost' && isIP(hostValue) === 0) {
    problems.push({ path: host.from, message: `'${hostValue}' is not an IP address` })
  }
  const port = pick('port', 'JITGATE_PORT')
  const portValue = port.value === undefined ? 8080 : Number(port.value)
  if (
    !Number.isInteger(portValue) ||
    portValue < 0 ||
    portValue > 65535 ||
    (port.value !== undefined && !/^\d+$/.test(port.value))
  ) {
    problems.push({
      path: port.from,
      message: `'${port.value}' is not a port number`,
      hint: 'use a whole number from 0 to 65535 (0 picks a free port)',
    })
  }
  const level = pick('log-level', 'JITGATE_LOG_LEVEL')
  const levelValue = (level.value ?? 'info') as LogLevel
  if (!LOG_LEVELS.includes(levelValue))
    problems.push({
      path: level.from,
      message: `'${level.value}' is not a log level`,
      hint: `use one of ${LOG_LEVELS.join(', ')}`,
    })
  const watchFlag = flags.watch
  if (problems.length > 0) throw new ConfigError(problems)
  return Object.freeze({
    policies: policies.value ?? 'policies',
    host: hostValue,
    port: portValue,
    logLevel: levelValue,
    watchPolicies: watchFlag !== false,
  })
}
