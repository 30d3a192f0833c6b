// Retention behind a sealed checkpoint. Before events up to seq N are deleted, a checkpoint
// records N, the hash of event N (which event N + 1 links to), how many events this
// retention covers, and when; its seal hash covers all of these. The checkpoint is also
// appended to the chain as an `audit.checkpoint` event, so the kept events vouch for it.
// (Event N + 1 keeps its prevHash: it was hashed before the checkpoint existed, so the
// checkpoint is where verification restarts, not a new genesis for the chain.)
//
// What this protects: after deletion, verification starts from the checkpoint and still
// finds any change, removal, insertion or reordering in the events kept; a changed
// checkpoint breaks its seal, and a re-sealed one no longer matches the checkpoint event
// in the chain. What it cannot protect: the seal has no secret, so someone with write
// access who rewrites the checkpoint and every event after it consistently (or drops the
// newest events) leaves a chain that verifies. Only a head hash kept outside the store
// catches that: export AuditWriter.head / AuditStore.head regularly to somewhere the
// database's writers cannot change, and pass it to verification as `anchor`.
import { hash as sha256 } from 'node:crypto'
import { JitgateError } from '../shared/index.ts'
import type {
  AuditDraft,
  AuditEvent,
  ChainHead,
  ChainStart,
  StoredAuditEvent,
  VerifiableEvent,
} from './audit-event.ts'
import { canonicalJson } from './canonical-json.ts'
import { readDetails } from './stored-event.ts'

export interface Checkpoint {
  /** The last event covered: events up to this seq may be deleted. */
  readonly seq: number
  /** That event's hash, which the first kept event links to. */
  readonly hash: string
  /** Events covered beyond the previous checkpoint (all of them, for the first one). */
  readonly count: number
  /** RFC 3339 UTC with milliseconds. */
  readonly createdAt: string
  /** SHA-256 (hex) over the canonical encoding of every field above. */
  readonly sealHash: string
}

export type CheckpointFields = Omit<Checkpoint, 'sealHash'>

const HASH = /^[0-9a-f]{64}$/
const TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/
// A domain tag, so that the bytes sealed for a checkpoint can never be read as an event.
const SEAL_KIND = 'jitgate.audit.checkpoint'

/** A sealed checkpoint covering the chain up to `covered` (the last event to delete). */
export function createCheckpoint(
  covered: ChainHead,
  previous: Checkpoint | undefined,
  createdAt: string,
): Checkpoint {
  const after = previous?.seq ?? 0
  const problem = coverageProblem(covered, after, createdAt)
  if (problem !== undefined) throw new JitgateError('audit_checkpoint_invalid', `the checkpoint ${problem}`)
  const fields: CheckpointFields = {
    seq: covered.seq,
    hash: covered.hash,
    count: covered.seq - after,
    createdAt,
  }
  return { ...fields, sealHash: sealHash(fields) }
}

function coverageProblem(covered: ChainHead, after: number, createdAt: string): string | undefined {
  if (!Number.isSafeInteger(covered.seq) || covered.seq <= after)
    return `must cover events after ${after === 0 ? 'the start of the log' : `the previous checkpoint (event ${after})`}`
  if (!HASH.test(covered.hash)) return 'needs the 64 hex digit hash of the last event covered'
  if (!TIME.test(createdAt)) return 'needs createdAt as RFC 3339 UTC with milliseconds'
  return undefined
}

/** The seal over a checkpoint's fields. */
export function sealHash(fields: CheckpointFields): string {
  const { seq, hash, count, createdAt } = fields
  return sha256('sha256', canonicalJson({ kind: SEAL_KIND, seq, hash, count, createdAt }), 'hex')
}

/** True when the checkpoint's fields still match its seal. */
export function isSealIntact(checkpoint: Checkpoint): boolean {
  try {
    return sealHash(checkpoint) === checkpoint.sealHash
  } catch {
    return false
  }
}

/** Where verification of the kept events starts. */
export function checkpointStart(checkpoint: Checkpoint): ChainStart {
  return { seq: checkpoint.seq + 1, prevHash: checkpoint.hash }
}

/** The event that records the checkpoint in the chain; append it before deleting anything. */
export function checkpointDraft(checkpoint: Checkpoint): AuditDraft {
  const { seq, hash, count, createdAt, sealHash } = checkpoint
  return {
    actor: { type: 'system', id: 'retention' },
    type: 'audit.checkpoint',
    subject: { type: 'checkpoint', id: String(seq) },
    details: { seq, hash, count, createdAt, sealHash },
  }
}

/** True when `event` is the chain's record of `checkpoint`. */
export function recordsCheckpoint(event: VerifiableEvent, checkpoint: Checkpoint): boolean {
  if (event.type !== 'audit.checkpoint') return false
  const details = (event as Partial<AuditEvent>).details ?? readDetails(event as StoredAuditEvent)
  return details?.sealHash === checkpoint.sealHash
}
