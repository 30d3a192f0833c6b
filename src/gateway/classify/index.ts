// Statement classification for the PostgreSQL gateway: what each statement reads, writes and
// calls, and whether it can change data or state (README.md says what is decided and why).
export type {
  Classification,
  ClassifiedStatement,
  FunctionCatalog,
  PreparedStatements,
  StatementError,
  StatementKind,
  StatementLocation,
  StatementResult,
  UnparseableStatement,
  Volatility,
} from './classification-types.ts'
export { classify } from './classify.ts'
export {
  type CatalogEntry,
  functionCatalog,
  HARMLESS_VOLATILE_FUNCTIONS,
  OPAQUE_READ_FUNCTIONS,
  USER_FUNCTIONS_SQL,
  USER_OPERATORS_SQL,
} from './function-volatility.ts'
export { literalShape } from './literal-shape.ts'
export { ClassifierNotReadyError, initClassifier } from './pg-parser.ts'
export { HARMLESS_SETTINGS } from './set-statements.ts'
export {
  type StatementFingerprint,
  StatementUnparseableError,
  statementFingerprint,
} from './statement-fingerprint.ts'
