// The audit event model: what every step of an action leaves in the hash-chained log,
// and the checks a draft must pass before it is chained.
import { JitgateError } from '../shared/index.ts'
import { isWellFormedText, type JsonObject } from './canonical-json.ts'

export const ACTOR_TYPES = ['user', 'service', 'system'] as const
export type ActorType = (typeof ACTOR_TYPES)[number]

/** Who did it: a person, a calling service, or jitgate itself (expiry, retention). */
export interface AuditActor {
  readonly type: ActorType
  readonly id: string
}

/** What it was done to: `{ type: 'request', id: '…' }`, `{ type: 'grant', id: '…' }`. */
export interface AuditSubject {
  readonly type: string
  readonly id: string
}

/** The event types jitgate writes today; other features add theirs in the same dotted form. */
export const KNOWN_EVENT_TYPES = [
  'decision.made',
  'request.created',
  'request.approved',
  'request.rejected',
  'request.expired',
  'request.canceled',
  'request.escalated',
  'request.vote',
  'request.commented',
  'request.auto_approved',
  'grant.created',
  'grant.used',
  'grant.revoked',
  'execution.started',
  'execution.finished',
  'execution.failed',
  'policy.reloaded',
  'policy.reload_failed',
  'config.changed',
  'auth.failed',
  'api_key.created',
  'api_key.revoked',
  'webhook.created',
  'webhook.deleted',
  'webhook.enabled',
  'webhook.disabled',
  'totp.enrolled',
  'totp.confirmed',
  'audit.checkpoint',
] as const
export type KnownAuditEventType = (typeof KNOWN_EVENT_TYPES)[number]
/** A known type, or any other `area.verb` type (checked at run time by isAuditEventType). */
export type AuditEventType = KnownAuditEventType | `${string}.${string}`

/** What a caller hands the writer: the chain fields (seq, id, time, hashes) are added for it. */
export interface AuditDraft {
  readonly actor: AuditActor
  readonly type: AuditEventType
  readonly subject: AuditSubject
  /** Redacted before it is chained: never secrets or raw personal data. */
  readonly details?: JsonObject
  readonly policyVersion?: string
}

export interface AuditEvent {
  /** 1-based and gapless: the position of the event in the chain. */
  readonly seq: number
  readonly id: string
  /** RFC 3339 in UTC with milliseconds: `2026-11-23T13:49:00.123Z`. */
  readonly time: string
  readonly actor: AuditActor
  readonly type: AuditEventType
  readonly subject: AuditSubject
  readonly details: JsonObject
  readonly policyVersion?: string
  /** The hash of the event before (64 zeros for the first event of a log). */
  readonly prevHash: string
  /** SHA-256 (hex) of the canonical encoding of every field above. */
  readonly hash: string
}

/**
 * An event as a store keeps it: details as the canonical JSON text its hash covers, so
 * verification hashes the stored bytes as they are, without parsing and re-encoding them.
 */
export type StoredAuditEvent = Omit<AuditEvent, 'details'> & { readonly detailsJson: string }

/** An event fresh from the chain: details both as an object and as the text to store. */
export type ChainedEvent = AuditEvent & { readonly detailsJson: string }

/** What verification reads: parsed events, or rows as a store keeps them. */
export type VerifiableEvent = AuditEvent | StoredAuditEvent

/** The last event of a chain, or where it starts: `{ seq: 0, hash: GENESIS_HASH }` when empty. */
export interface ChainHead {
  readonly seq: number
  readonly hash: string
}

/** Where verification starts: the first seq expected and the hash it must link to. */
export interface ChainStart {
  readonly seq: number
  readonly prevHash: string
}

const EVENT_TYPE = /^[a-z][a-z0-9_]*(?:\.[a-z][a-z0-9_]*)+$/
const MAX_NAME = 64
const MAX_ID = 256

/** True for a dotted lowercase type such as `request.approved` (at most 64 characters). */
export function isAuditEventType(text: string): text is AuditEventType {
  return text.length <= MAX_NAME && EVENT_TYPE.test(text)
}

/**
 * Throws a JitgateError (`audit_invalid_event`) naming every field of `draft` that cannot
 * be chained. The writer runs it before a draft joins a batch, so one bad draft never
 * fails the others. Details are not checked here: redactDetails makes them valid.
 */
export function checkDraft(draft: AuditDraft): void {
  const problems = draftProblems(draft)
  if (problems.length === 0) return
  const [first] = problems
  throw new JitgateError(
    'audit_invalid_event',
    `the audit event is invalid: ${first?.path} ${first?.message}`,
    {
      details: problems,
    },
  )
}

/** Every problem of `draft`, each with the JSON pointer of its field. */
export function draftProblems(draft: AuditDraft): { path: string; message: string }[] {
  const problems: { path: string; message: string }[] = []
  if (typeof draft.type !== 'string' || !isAuditEventType(draft.type))
    problems.push({ path: '/type', message: 'must be dotted lowercase, like request.approved' })
  if (!(ACTOR_TYPES as readonly unknown[]).includes(draft.actor?.type))
    problems.push({ path: '/actor/type', message: `must be one of ${ACTOR_TYPES.join(', ')}` })
  checkText(problems, '/actor/id', draft.actor?.id, MAX_ID)
  checkText(problems, '/subject/type', draft.subject?.type, MAX_NAME)
  checkText(problems, '/subject/id', draft.subject?.id, MAX_ID)
  if (draft.policyVersion !== undefined) checkText(problems, '/policyVersion', draft.policyVersion, MAX_ID)
  return problems
}

function checkText(
  problems: { path: string; message: string }[],
  path: string,
  value: unknown,
  max: number,
): void {
  const message = textProblem(value, max)
  if (message !== undefined) problems.push({ path, message })
}

function textProblem(value: unknown, max: number): string | undefined {
  if (typeof value !== 'string' || value.length === 0) return 'must be a non-empty string'
  if (value.length > max) return `must be at most ${max} characters`
  return isWellFormedText(value) ? undefined : 'must be well-formed Unicode (it holds a lone surrogate)'
}
