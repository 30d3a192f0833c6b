// Approvals and grants: the pure core. An approval request's state machine, quorum over
// approval steps (one person, one step), step-up by TOTP, and the grants an approval
// produces, as plain data with time passed in. Other features import only from here.

export {
  type ActionOrigin,
  ActionService,
  type ActionServiceDeps,
  type DecidedAction,
  type RequestActionCommand,
  type RequestedOutcome,
  SERVER_CONTEXT_KEYS,
} from './action-service.ts'
export {
  type ApprovalStore,
  type ApprovalTransaction,
  type AuditedTransaction,
  GRANT_CHANNEL,
  type GrantListQuery,
  type GrantRepository,
  type ListPosition,
  type LoadedRequest,
  REQUEST_CHANNEL,
  type RequestListQuery,
  type RequestRepository,
  type ServiceClock,
  type TotpRecord,
  type TotpRepository,
  type TransactionalStore,
} from './approval-ports.ts'
export type {
  ApprovalRequest,
  Execution,
  FrozenGroup,
  GrantRequest,
  HistoryEntry,
  RequestComment,
  RequestedAction,
  RequestState,
  Vote,
} from './approval-request.ts'
export { REQUEST_STATES } from './approval-request.ts'
export {
  ApprovalService,
  type ApprovalServiceDeps,
  type CreateRequestCommand,
  type RequestListing,
} from './approval-service.ts'
export {
  ApprovalServiceError,
  type ApprovalServiceErrorCode,
  RequestConflictError,
} from './approval-service-errors.ts'
export { ApprovalSweeper, type ApprovalSweeperDeps, type SweepResult } from './approval-sweeper.ts'
export {
  type ApproveCheck,
  type ApproverOutlook,
  canApprove,
  type OpenStep,
  whoCanApprove,
} from './approver-outlook.ts'
export { createApprovalRequest, type NewApprovalRequest } from './create-approval-request.ts'
export {
  ApprovalError,
  type ApprovalErrorCode,
  InvalidTransitionError,
  type TransitionSubject,
} from './errors.ts'
export { ExecutionError, type ExecutionErrorCode, executionNotFound } from './execution-errors.ts'
export {
  abandonExecution,
  claimExecution,
  DIED_NOT_REPEATED,
  finishExecution,
  type Lease,
  leaseExpired,
  renewLease,
  resumeExecution,
} from './execution-lease.ts'
export {
  checkLimits,
  type LimitUsage,
  type LimitVerdict,
  limitsFor,
  queueHeads,
  queueKeyOf,
} from './execution-limits.ts'
export {
  EXECUTION_CHANNEL,
  type ExecutionRepository,
  type ExecutionStore,
  type ExecutionTransaction,
} from './execution-ports.ts'
export { type WaitingExecution, type WaitingReason, waitingList } from './execution-queue.ts'
export type { ExecutionLimit, ExecutionRecord, ExecutionResult, ExecutionState } from './execution-record.ts'
export { ExecutionService, type ExecutionServiceDeps } from './execution-service.ts'
export { ExecutionWorker, type ExecutionWorkerDeps, type WorkerLogger } from './execution-worker.ts'
export { type ExecuteOptions, type Executor, ExecutorRegistry } from './executors/executor.ts'
export { HttpExecutor } from './executors/http-executor.ts'
export {
  HTTP_METHODS,
  type HttpEndpointConfig,
  type HttpExecutorConfig,
  type HttpMethod,
} from './executors/http-executor-config.ts'
export {
  createGrant,
  type Grant,
  type GrantMode,
  type GrantState,
  type GrantStatus,
  grantLifetimeSeconds,
  grantStatus,
  grantsAsFacts,
  grantWindow,
  isGrantActive,
  revokeGrant,
  SINGLE_USE_SECONDS,
  useGrant,
} from './grant.ts'
export { type GrantRouteDeps, grantRoutes } from './grant-routes.ts'
export { type GrantListing, GrantService, type GrantServiceDeps } from './grant-service.ts'
export { type GrantView, GrantViewSchema, toGrantView } from './grant-views.ts'
export { DEFAULT_LIVE_LIMITS, LiveLimitError, type LiveLimits } from './live-limits.ts'
export { decodePageCursor, encodePageCursor, PAGE_LIMITS, type Page } from './page-cursor.ts'
export { type Identity, principalIncludes } from './principals.ts'
export {
  countedApprovers,
  eligibleSteps,
  escalationDueAt,
  isEscalationDue,
  type QuorumStatus,
  quorumStatus,
  type StepStatus,
} from './quorum.ts'
export { canSeeRequest, readsEveryRequest, type Viewer } from './request-access.ts'
export type { RequestRouteDeps } from './request-api.ts'
export {
  type Approver,
  REQUEST_EVENT_TYPES,
  type RequestEvent,
  type RequestEventOf,
  type RequestEventType,
} from './request-event.ts'
export { MAX_TEXT_LENGTH } from './request-history.ts'
export { type CreationLimit, DEFAULT_CREATION_LIMIT } from './request-rate-limit.ts'
export { requestRoutes } from './request-routes.ts'
export { allowedEvents, transition } from './request-state-machine.ts'
export { type RequestView, RequestViewSchema, toRequestView } from './request-views.ts'
export { type RequestNotifier, RequestWaiters, RequestWatch } from './request-waiters.ts'
export { assignSeats, type SeatAssignment } from './seat-matching.ts'
export {
  DEFAULT_TOTP_SETTINGS,
  enrollTotp,
  MIN_SECRET_BYTES,
  TOTP_ISSUER,
  type TotpCheck,
  type TotpEnrolment,
  type TotpSettings,
  verifyTotp,
} from './step-up.ts'
export { consumeTotpCode, StepUpService, type StepUpServiceDeps } from './step-up-service.ts'
