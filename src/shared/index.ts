// Pieces every feature shares: the error base class and small pure helpers.
export { type ErrorDetail, formatErrorDetail, JitgateError, type JitgateErrorOptions } from './jitgate-error.ts'
export { formatDuration, parseDuration } from './duration.ts'
export { suggest } from './suggest.ts'
