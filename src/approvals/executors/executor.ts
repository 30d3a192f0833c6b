// Executors are pluggable per action verb: each says which verbs it runs (globs such as
// `http.*`), whether running an action twice is harmless, and runs one approved action.
// The registry picks the first executor whose verbs match; the gateway and DSAR features
// add theirs at the composition root.
import type { RequestedAction } from '../approval-request.ts'
import type { ExecutionResult } from '../execution-record.ts'

export interface ExecuteOptions {
  /** The same on every attempt at this execution: endpoints de-duplicate with it. */
  readonly idempotencyKey: string
  /** Aborted when the lease is lost: another node now decides, so stop and report nothing. */
  readonly signal: AbortSignal
}

export interface Executor {
  /** Verb globs: `*` stands for one dotted part, `**` for any number (`http.call`, `dsar.*`). */
  readonly verbs: string | readonly string[]
  /**
   * True when running an action again with the same idempotency key changes nothing more:
   * a lease lost to a dead worker is then resumed; otherwise the execution is failed.
   */
  readonly idempotent: boolean
  /** Runs the action; reports a failure as `{ status: 'failed' }` rather than throwing. */
  execute(action: RequestedAction, options: ExecuteOptions): Promise<ExecutionResult>
}

function verbPattern(glob: string): RegExp {
  const parts = glob.split('.').map((part) => {
    if (part === '**') return '.*'
    return part.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^.]*')
  })
  return new RegExp(`^${parts.join('\\.')}$`)
}

/** The executors by verb; the first registered match wins, so list specific ones first. */
export class ExecutorRegistry {
  readonly #entries: readonly { readonly patterns: readonly RegExp[]; readonly executor: Executor }[]

  constructor(executors: readonly Executor[]) {
    this.#entries = executors.map((executor) => ({
      executor,
      patterns: (typeof executor.verbs === 'string' ? [executor.verbs] : executor.verbs).map(verbPattern),
    }))
  }

  /**
   * SQL LIKE patterns that together match at least every verb some executor runs (a glob's
   * `*` becomes `%`, which may match more: forVerb has the last word), so that a scan for
   * work skips verbs that other parts of jitgate carry out, such as the gateway's queries.
   */
  likePatterns(): string[] {
    return this.#entries.flatMap(({ executor }) =>
      (typeof executor.verbs === 'string' ? [executor.verbs] : executor.verbs).map((glob) =>
        glob.replace(/[%_\\]/g, '\\$&').replace(/\*+/g, '%'),
      ),
    )
  }

  /** The executor for `verb`, or undefined when none runs it. */
  forVerb(verb: string): Executor | undefined {
    return this.#entries.find((entry) => entry.patterns.some((p) => p.test(verb)))?.executor
  }
}
