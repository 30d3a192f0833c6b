// The start of a client session on an upstream connection: the client's startup settings
// (application_name, DateStyle…) applied with set_config, so the values arrive as parameters
// and never as SQL text; then the greeting PostgreSQL gives: every parameter status, the
// gateway's own cancel key (the upstream's stays with the gateway), ReadyForQuery.
import { serialize } from 'pg-protocol'
import {
  backendKeyData,
  parameterStatus,
  readFields,
  readParameterStatus,
  readyForQuery,
} from './backend-messages.ts'
import { GatewayError } from './gateway-error.ts'
import { MessageStream } from './message-stream.ts'
import type { UpstreamConnection } from './upstream-connect.ts'

const SET_CONFIG = 'SELECT pg_catalog.set_config($1, $2, false)'
const TEXT_OID = 25

/** Applies `settings` on the connection; throws `wire_startup_invalid` with the upstream's reason. */
export async function applyStartupSettings(
  connection: UpstreamConnection,
  settings: readonly (readonly [string, string])[],
): Promise<void> {
  if (settings.length === 0) return
  const messages = [serialize.parse({ text: SET_CONFIG, types: [TEXT_OID, TEXT_OID] })]
  for (const [name, value] of settings)
    messages.push(serialize.bind({ values: [name, value] }), serialize.execute({}))
  messages.push(serialize.sync())
  connection.socket.write(Buffer.concat(messages))
  const stream = new MessageStream(connection.socket, connection.framer, 'the upstream')
  let failure: string | undefined
  try {
    for (;;) {
      await stream.next()
      const { type, buffer, start, end } = connection.framer
      if (type === 0x45) failure ??= readFields(buffer, start, end).get('M') ?? 'an error without a message'
      else if (type === 0x53) connection.parameters.set(...readParameterStatus(buffer, start, end))
      else if (type === 0x5a) break
    }
  } finally {
    stream.detach()
  }
  if (failure !== undefined)
    throw new GatewayError('wire_startup_invalid', `a startup parameter is invalid: ${failure}`)
}

/** What the client gets once it is in: the upstream's parameters, the gateway's key, ReadyForQuery. */
export function greeting(parameters: ReadonlyMap<string, string>, processId: number, secret: Buffer): Buffer {
  const parts: Buffer[] = []
  for (const [name, value] of parameters) parts.push(parameterStatus(name, value))
  parts.push(backendKeyData(processId, secret.readInt32BE(0)), readyForQuery('I'))
  return Buffer.concat(parts)
}
