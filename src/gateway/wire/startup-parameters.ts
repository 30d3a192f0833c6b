// What the gateway makes of a client's startup packet: the user, the upstream it names, the
// protocol options it cannot grant, and the session settings it carries over upstream. Only
// settings that shape how values are written and read pass; anything else a startup packet
// could set (`options` with -c, `replication`, arbitrary GUCs) would bypass the statement
// gate, so it is refused with its name. Pure.
import { GatewayError } from './gateway-error.ts'

export interface StartupRequest {
  readonly user: string
  /** The upstream's name: `database`, which defaults to the user name as in PostgreSQL. */
  readonly database: string
  /** `_pq_.` protocol options, which the gateway does not grant (NegotiateProtocolVersion). */
  readonly protocolOptions: readonly string[]
  /** Settings to apply upstream at the start of the session, in the client's spelling. */
  readonly settings: readonly (readonly [string, string])[]
}

// GUC names are case-insensitive: `DateStyle` and `datestyle` are one setting.
const CARRIED = new Set([
  'application_name',
  'client_encoding',
  'datestyle',
  'timezone',
  'intervalstyle',
  'extra_float_digits',
  'search_path',
])

/** Client encodings whose bytes the gateway decodes as UTF-8 (SQL_ASCII passes bytes unchanged). */
export function supportedClientEncoding(value: string): boolean {
  const normalized = value.toUpperCase().replaceAll(/[-_]/g, '')
  return normalized === 'UTF8' || normalized === 'UNICODE' || normalized === 'SQLASCII'
}

export function readStartupRequest(parameters: ReadonlyMap<string, string>): StartupRequest {
  const user = parameters.get('user')
  if (user === undefined || user === '')
    throw new GatewayError(
      'wire_startup_invalid',
      'the startup packet names no user: connect with user=<your user id>',
    )
  const protocolOptions: string[] = []
  const settings: [string, string][] = []
  for (const [name, value] of parameters) {
    const lower = name.toLowerCase()
    if (lower === 'user' || lower === 'database') continue
    if (name.startsWith('_pq_.')) protocolOptions.push(name)
    else if (lower === 'replication') {
      if (!['false', 'off', 'no', '0'].includes(value.toLowerCase()))
        throw new GatewayError('wire_feature_unsupported', 'jitgate does not carry replication connections')
    } else if (!CARRIED.has(lower)) {
      throw new GatewayError(
        'wire_startup_invalid',
        `jitgate does not pass the startup parameter ${name} upstream: set it with SET after connecting`,
      )
    } else if (lower === 'client_encoding' && !supportedClientEncoding(value)) {
      throw new GatewayError(
        'wire_feature_unsupported',
        `jitgate speaks UTF8 with clients, not ${value}: set client_encoding=UTF8 (PGCLIENTENCODING=UTF8)`,
      )
    } else settings.push([name, value])
  }
  const database = parameters.get('database')
  return {
    user,
    database: database === undefined || database === '' ? user : database,
    protocolOptions,
    settings,
  }
}
