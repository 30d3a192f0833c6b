// The policy gate of the PostgreSQL gateway: each statement a `db.query` action decided by the
// policy engine, with approval on the wire (wait, or fail and send again), grants, row limits,
// timeouts and masking from obligations, and a `db.statement` audit event per statement
// (README.md says what is decided and why).
export {
  type ApprovalPath,
  approvalSettingsFor,
  chooseApprovalPath,
  gateApprovalSettings,
} from './approval-mode.ts'
export {
  type MessageOrigin,
  resultDraft,
  type StatementOutcome,
  type StatementRecord,
  type StatementResultRecord,
  statementDraft,
} from './audit-draft.ts'
export {
  combineTables,
  masksAnything,
  mergeRunObligations,
  type RunObligations,
  type StatementVerdict,
  type TableDecision,
} from './combine-decisions.ts'
export type {
  GateApprovalSettings,
  GateLog,
  GateMasking,
  GateMaskPlan,
  GateMaskPlanInput,
  GrantQuery,
  PolicyGateDeps,
  UsedGrant,
} from './gate-ports.ts'
export { createPolicyGate, PolicyGate } from './policy-gate.ts'
export {
  DB_QUERY,
  grantsThatMayCover,
  policyInput,
  resourcesOf,
  type StatementContext,
  type StatementOrigin,
  statementContext,
} from './policy-input.ts'
export { type SingleUseGrantDeps, singleUseGrantConsumer } from './single-use-grants.ts'
export {
  type BatchedStatement,
  type StatementBatch,
  statementsDraft,
  statementsOf,
} from './statement-batch.ts'
