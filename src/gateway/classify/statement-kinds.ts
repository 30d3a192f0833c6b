// The kind of each top-level statement type, and the reason it writes when it does by nature.
// Statement types not listed here are classified as utility statements that write, with the
// reason `unrecognised statement <type>`: a new PostgreSQL statement is never a read by accident.
import type { StatementKind } from './classification-types.ts'

export interface StatementSpec {
  readonly kind: StatementKind
  /** Set when the statement changes data or state whatever its details. */
  readonly reason?: string
  /** It defines an object: statements inside (a rule's actions, a function body) do not run now. */
  readonly definition?: boolean
}

const DDL: StatementSpec = { kind: 'ddl', reason: 'schema change', definition: true }
const DCL: StatementSpec = { kind: 'dcl', reason: 'privilege change', definition: true }
const UTILITY: StatementSpec = { kind: 'utility' }

const DDL_STATEMENTS = [
  ...['CreateStmt', 'CreateSchemaStmt', 'AlterTableStmt', 'AlterTableMoveAllStmt', 'ReplicaIdentityStmt'],
  ...['AlterCollationStmt', 'AlterDomainStmt', 'CreateTableSpaceStmt', 'DropTableSpaceStmt'],
  ...[
    'AlterTableSpaceOptionsStmt',
    'CreateExtensionStmt',
    'AlterExtensionStmt',
    'AlterExtensionContentsStmt',
  ],
  ...['CreateFdwStmt', 'AlterFdwStmt', 'CreateForeignServerStmt', 'AlterForeignServerStmt'],
  ...['CreateForeignTableStmt', 'CreateUserMappingStmt', 'AlterUserMappingStmt', 'DropUserMappingStmt'],
  ...[
    'ImportForeignSchemaStmt',
    'CreateAmStmt',
    'CreateTrigStmt',
    'CreateEventTrigStmt',
    'AlterEventTrigStmt',
  ],
  ...[
    'CreatePLangStmt',
    'CreateSeqStmt',
    'AlterSeqStmt',
    'DefineStmt',
    'CreateDomainStmt',
    'CreateOpClassStmt',
  ],
  ...['CreateOpFamilyStmt', 'AlterOpFamilyStmt', 'DropStmt', 'CommentStmt', 'SecLabelStmt', 'IndexStmt'],
  ...['CreateStatsStmt', 'AlterStatsStmt', 'CreateFunctionStmt', 'AlterFunctionStmt', 'RenameStmt'],
  ...['AlterObjectDependsStmt', 'AlterObjectSchemaStmt', 'AlterOperatorStmt', 'AlterTypeStmt', 'RuleStmt'],
  ...['CompositeTypeStmt', 'CreateEnumStmt', 'CreateRangeStmt', 'AlterEnumStmt', 'ViewStmt', 'CreatedbStmt'],
  ...['AlterDatabaseStmt', 'AlterDatabaseRefreshCollStmt', 'AlterDatabaseSetStmt', 'DropdbStmt'],
  ...['CreateTableAsStmt', 'CreateConversionStmt', 'CreateCastStmt', 'CreateTransformStmt'],
  ...['AlterTSDictionaryStmt', 'AlterTSConfigurationStmt', 'CreatePublicationStmt', 'AlterPublicationStmt'],
  ...['CreateSubscriptionStmt', 'AlterSubscriptionStmt', 'DropSubscriptionStmt'],
]

const DCL_STATEMENTS = [
  ...['GrantStmt', 'GrantRoleStmt', 'AlterDefaultPrivilegesStmt', 'CreateRoleStmt', 'AlterRoleStmt'],
  ...['AlterRoleSetStmt', 'DropRoleStmt', 'CreatePolicyStmt', 'AlterPolicyStmt', 'AlterOwnerStmt'],
  ...['DropOwnedStmt', 'ReassignOwnedStmt'],
]

export const STATEMENT_SPECS: Readonly<Record<string, StatementSpec>> = {
  ...Object.fromEntries(DDL_STATEMENTS.map((t) => [t, DDL])),
  ...Object.fromEntries(DCL_STATEMENTS.map((t) => [t, DCL])),
  AlterSystemStmt: { kind: 'ddl', reason: 'server configuration change' },
  SelectStmt: { kind: 'read' },
  DeclareCursorStmt: { kind: 'read' },
  // Their handlers give the reason (`data-modifying CTE (DELETE)` reads better than two).
  InsertStmt: { kind: 'write' },
  UpdateStmt: { kind: 'write' },
  DeleteStmt: { kind: 'write' },
  MergeStmt: { kind: 'write' },
  TruncateStmt: { kind: 'write', reason: 'TRUNCATE' },
  CallStmt: { kind: 'write', reason: 'CALL' },
  DoStmt: { kind: 'write', reason: 'DO' },
  RefreshMatViewStmt: { kind: 'write', reason: 'REFRESH MATERIALIZED VIEW' },
  ConstraintsSetStmt: { kind: 'transaction' },
  VariableShowStmt: UTILITY,
  ListenStmt: UTILITY,
  UnlistenStmt: UTILITY,
  FetchStmt: UTILITY,
  ClosePortalStmt: UTILITY,
  DeallocateStmt: UTILITY,
  NotifyStmt: { kind: 'utility', reason: 'NOTIFY' },
  LoadStmt: { kind: 'utility', reason: 'LOAD of a server library' },
  CheckPointStmt: { kind: 'utility', reason: 'CHECKPOINT' },
  LockStmt: { kind: 'utility', reason: 'LOCK TABLE' },
  ClusterStmt: { kind: 'utility', reason: 'CLUSTER' },
  ReindexStmt: { kind: 'utility', reason: 'REINDEX' },
}

/** The spec of a statement type; unknown types write. */
export function statementSpec(type: string): StatementSpec {
  return STATEMENT_SPECS[type] ?? { kind: 'utility', reason: `unrecognised statement ${type}` }
}
