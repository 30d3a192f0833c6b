// The one error base class of jitgate: a stable machine-readable `code`, an HTTP
// status, and details that point at the fault (field path, file position) without
// ever carrying secrets or personal data.

/** Where an error points: a field path in a request, or a position in a file. */
export interface ErrorDetail {
  /** JSON pointer (`/rules/0/when`) or dotted path of the field at fault. */
  readonly path?: string
  readonly file?: string
  readonly line?: number
  readonly column?: number
  readonly message: string
  /** How to fix it, when we know. */
  readonly hint?: string
}

export interface JitgateErrorOptions {
  readonly status?: number
  readonly details?: readonly ErrorDetail[]
  readonly cause?: unknown
}

export class JitgateError extends Error {
  readonly code: string
  readonly status: number
  readonly details: readonly ErrorDetail[]

  constructor(code: string, message: string, options: JitgateErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.name = new.target.name
    this.code = code
    this.status = options.status ?? 500
    this.details = options.details ?? []
  }

  /** What may be shown to a client: no stack, no cause. */
  toJSON(): { code: string; message: string; details: readonly ErrorDetail[] } {
    return { code: this.code, message: this.message, details: this.details }
  }
}

/** Formats a detail as `file:line:col: message (hint)` for terminals and logs. */
export function formatErrorDetail(detail: ErrorDetail): string {
  const where =
    detail.file === undefined
      ? detail.path === undefined
        ? ''
        : `${detail.path}: `
      : detail.line === undefined
        ? `${detail.file}: `
        : `${detail.file}:${detail.line}:${detail.column ?? 1}: `
  const hint = detail.hint === undefined ? '' : `\n    hint: ${detail.hint}`
  return `${where}${detail.message}${hint}`
}
