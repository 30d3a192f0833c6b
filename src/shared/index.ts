// Pieces every feature shares: the error base class and small pure helpers.

export { type CoalescedCall, coalescedCall } from './coalesced-call.ts'
export { formatDuration, parseDuration } from './duration.ts'
export {
  type ErrorDetail,
  formatErrorDetail,
  JitgateError,
  type JitgateErrorOptions,
} from './jitgate-error.ts'
export type { Mutable } from './mutable.ts'
export { type LoopLogger, PollingLoop } from './polling-loop.ts'
export { type FieldProblem, schemaProblems } from './schema-problems.ts'
export { suggest } from './suggest.ts'
export { isThenable } from './thenable.ts'
export { uuidV7 } from './uuid-v7.ts'
export {
  type Path,
  type Position,
  parseSourceFile,
  type SourceDocument,
  type SourceFile,
} from './yaml-source.ts'
