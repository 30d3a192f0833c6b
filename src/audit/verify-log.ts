// Verifies a whole log as a store keeps it: from the genesis hash, or after retention
// from the latest checkpoint, whose seal is checked and which the kept chain must record.
import type { ChainHead } from './audit-event.ts'
import { type Checkpoint, checkpointStart, isSealIntact, recordsCheckpoint } from './checkpoint.ts'
import { ChainVerifier, type EventStream, feed, GENESIS_START, type VerifyResult } from './verify-chain.ts'

export interface LogToVerify {
  /** The latest checkpoint, when retention has deleted events. */
  readonly checkpoint?: Checkpoint
  /** Every event after it (or every event), in seq order: AuditStore.read gives them. */
  readonly events: EventStream
  /** A head recorded outside the store, if one was kept. */
  readonly anchor?: ChainHead
}

export interface CheckpointFailure {
  readonly ok: false
  /** The last seq the checkpoint covers. */
  readonly seq: number
  readonly problem: 'checkpoint'
  readonly message: string
}

export type LogVerifyResult = VerifyResult | CheckpointFailure

export async function verifyLog({ checkpoint, events, anchor }: LogToVerify): Promise<LogVerifyResult> {
  if (checkpoint !== undefined && !isSealIntact(checkpoint))
    return checkpointFailure(checkpoint, 'was changed: its seal does not match its fields')
  const start = checkpoint === undefined ? GENESIS_START : checkpointStart(checkpoint)
  const verifier = new ChainVerifier(start, anchor === undefined ? {} : { anchor })
  let recorded = checkpoint === undefined
  // Only trusted when the whole chain verifies: a failure is reported instead.
  await feed(verifier, events, (event) => {
    if (!recorded && checkpoint !== undefined) recorded = recordsCheckpoint(event, checkpoint)
  })
  const result = verifier.finish()
  if (!result.ok || recorded || checkpoint === undefined) return result
  return checkpointFailure(
    checkpoint,
    'is not recorded in the chain: no audit.checkpoint event carries its seal',
  )
}

function checkpointFailure(checkpoint: Checkpoint, what: string): CheckpointFailure {
  return {
    ok: false,
    seq: checkpoint.seq,
    problem: 'checkpoint',
    message: `the checkpoint covering events up to ${checkpoint.seq} ${what}`,
  }
}
