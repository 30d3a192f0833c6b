// The tamper-evident audit log: the event model, the RFC 8785 hash chain, streaming
// verification that names the first broken link, sealed checkpoints for retention,
// redaction of details, and the group-commit writer over a store port. Other features
// import only from here.
export {
  ACTOR_TYPES,
  type ActorType,
  type AuditActor,
  type AuditDraft,
  type AuditEvent,
  type AuditEventType,
  type AuditSubject,
  type ChainedEvent,
  type ChainHead,
  type ChainStart,
  checkDraft,
  draftProblems,
  isAuditEventType,
  KNOWN_EVENT_TYPES,
  type KnownAuditEventType,
  type StoredAuditEvent,
  type VerifiableEvent,
} from './audit-event.ts'
export { AuditHeadMovedError, type AuditStore } from './audit-port.ts'
export { type AuditEventQuery, type AuditRouteDeps, auditRoutes } from './audit-routes.ts'
export { AuditWriter, type AuditWriterOptions } from './audit-writer.ts'
export type { BrokenLink, ChainProblem } from './broken-link.ts'
export {
  CanonicalJson,
  canonicalJson,
  encodeString,
  type JsonObject,
  type JsonValue,
} from './canonical-json.ts'
export {
  type Checkpoint,
  type CheckpointFields,
  checkpointDraft,
  checkpointStart,
  createCheckpoint,
  isSealIntact,
  recordsCheckpoint,
  sealHash,
} from './checkpoint.ts'
export {
  appendEvents,
  canonicalEvent,
  contentHash,
  GENESIS_HASH,
  GENESIS_HEAD,
  hashEvent,
  hashStoredEvent,
  headAfter,
  type UnhashedEvent,
} from './hash-chain.ts'
export { MemoryAuditStore } from './memory-audit-store.ts'
export {
  createRedactor,
  DEFAULT_MAX_ITEMS,
  PERSONAL,
  REDACTED,
  type RedactionRules,
  type Redactor,
  redactDetails,
  TOO_DEEP,
  UNSUPPORTED,
} from './redact-details.ts'
export { DEFAULT_PERSONAL_KEYS } from './sensitive-data.ts'
export { fromStoredEvent, readDetails, toStoredEvent } from './stored-event.ts'
export {
  ChainVerifier,
  type EventStream,
  feed,
  GENESIS_START,
  type VerifyFailure,
  type VerifyOptions,
  type VerifyResult,
  verifyChain,
  verifyChainAsync,
} from './verify-chain.ts'
export { type CheckpointFailure, type LogToVerify, type LogVerifyResult, verifyLog } from './verify-log.ts'
