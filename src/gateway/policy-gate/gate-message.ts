// One client message on its way through the gate: the session it comes from, its classified
// statements, the SQL the masking module must follow, and who and where it comes from, for
// the policy input and the audit log.
import type { Actor, GrantFact, PolicySet } from '../../policy/index.ts'
import type { GateSession } from '../wire/index.ts'
import type { MessageOrigin } from './audit-draft.ts'
import type { ClassifiedMessage } from './classified-message.ts'
import type { StatementOrigin } from './policy-input.ts'
import type { SessionState } from './session-state.ts'

export interface Message {
  readonly session: GateSession
  readonly state: SessionState
  readonly classified: ClassifiedMessage
  /** The SQL the message runs, for masking; undefined when the gate cannot tell (see maskedSql). */
  readonly sql: string | undefined
  readonly origin: Omit<MessageOrigin, 'policyVersion'>
  readonly actor: Actor
}

export function messageOf(
  session: GateSession,
  state: SessionState,
  classified: ClassifiedMessage,
  sql: string | undefined,
  protocol: 'simple' | 'extended',
): Message {
  const known = state.origins[protocol]
  if (known !== undefined) return { session, state, classified, sql, ...known }
  const { principal, client } = session
  const application = session.startup.get('application_name')
  // The same for every message of the session in this protocol: made once, kept in its state.
  const origins: SessionOrigins = {
    actor: { id: principal.id, groups: principal.groups, roles: principal.roles },
    origin: {
      actorId: principal.id,
      connection: session.id,
      database: session.upstream,
      client: {
        ip: client.address,
        port: client.port,
        tls: client.tls,
        ...(application === undefined ? {} : { application }),
      },
      protocol,
    },
  }
  state.origins[protocol] = origins
  return { session, state, classified, sql, ...origins }
}

/** Who a session's messages come from, per protocol (kept in its SessionState). */
export type SessionOrigins = Pick<Message, 'actor' | 'origin'>

/**
 * The SQL whose rows the masking module must follow: the message's own, or for a lone EXECUTE
 * the query it runs; undefined (masking then refuses) when an EXECUTE hides among others.
 */
export function maskedSql(
  state: SessionState,
  classified: ClassifiedMessage,
  sql: string,
): string | undefined {
  if (!classified.executes) return sql
  const [only] = classified.statements
  if (only?.executes === undefined || classified.statements.length !== 1) return undefined
  return state.prepared(only.executes)?.sql
}

const auditOrigins = new WeakMap<Message['origin'], MessageOrigin>()

/** The audit origin of the message decided on `set` (kept per session origin and policy version). */
export function auditOrigin(message: Message, set: PolicySet): MessageOrigin {
  const known = auditOrigins.get(message.origin)
  if (known !== undefined && known.policyVersion === set.version) return known
  const origin = { ...message.origin, policyVersion: set.version }
  auditOrigins.set(message.origin, origin)
  return origin
}

/** The policy input's origin of the message decided at `now` with `grants`. */
export function inputOrigin(
  message: Message,
  now: Date,
  grants: readonly GrantFact[],
): Omit<StatementOrigin, 'unmask'> {
  const { client } = message.origin
  return {
    actor: message.actor,
    time: isoText(now),
    ip: client.ip,
    ...(client.application === undefined ? {} : { client: client.application }),
    grants,
  }
}

let lastTime = { ms: Number.NaN, text: '' }

/** `now.toISOString()`, remembered for the millisecond: many statements are decided in each. */
function isoText(now: Date): string {
  const ms = now.getTime()
  if (ms !== lastTime.ms) lastTime = { ms, text: now.toISOString() }
  return lastTime.text
}
