// Holds the policy set in force and replaces it on reload only when the new set
// compiles. A failed reload keeps the last good set and remembers why it failed,
// for the API and CLI to show.
import { type FSWatcher, watch } from 'node:fs'
import type { ErrorDetail } from '../shared/index.ts'
import { compilePolicySet } from './policy-compiler.ts'
import { readPolicyFiles } from './policy-files.ts'
import type { PolicySet } from './policy-set.ts'

/** The part of a pino logger the registry needs. */
export interface RegistryLogger {
  info(obj: object, msg: string): void
  error(obj: object, msg: string): void
}

export interface ReloadFailure {
  readonly at: string
  readonly errors: readonly ErrorDetail[]
}

export interface PolicyStatus {
  readonly path: string
  readonly version: string
  readonly loadedAt: string
  readonly rules: number
  readonly files: readonly string[]
  /** The last reload that failed after the set in force was loaded; absent when it is current. */
  readonly lastFailure?: ReloadFailure
}

export type ReloadResult =
  | { ok: true; set: PolicySet; changed: boolean }
  | { ok: false; errors: readonly ErrorDetail[] }

export class PolicyLoadError extends Error {
  readonly errors: readonly ErrorDetail[]
  constructor(path: string, errors: readonly ErrorDetail[]) {
    super(`policy set at '${path}' has ${errors.length} error${errors.length === 1 ? '' : 's'}`)
    this.name = 'PolicyLoadError'
    this.errors = errors
  }
}

const DEBOUNCE_MS = 100

/** What a reload did, for listeners such as the audit log. */
export type ReloadOutcome =
  | { readonly ok: true; readonly version: string; readonly previous: string; readonly rules: number }
  | { readonly ok: false; readonly version: string; readonly errors: readonly ErrorDetail[] }

export class PolicyRegistry {
  #set: PolicySet
  #loadedAt: string
  #lastFailure: ReloadFailure | undefined
  #watcher: FSWatcher | undefined
  #timer: NodeJS.Timeout | undefined
  #reloading: Promise<ReloadResult> | undefined
  readonly #listeners: ((outcome: ReloadOutcome) => void)[] = []

  private constructor(
    readonly path: string,
    set: PolicySet,
    private readonly now: () => Date,
    private readonly log: RegistryLogger,
  ) {
    this.#set = set
    this.#loadedAt = now().toISOString()
  }

  /** Loads the set at `path`; throws PolicyLoadError when it does not compile. */
  static async open(path: string, now: () => Date, log: RegistryLogger): Promise<PolicyRegistry> {
    const result = compilePolicySet(await readPolicyFiles(path))
    if (!result.ok) throw new PolicyLoadError(path, result.errors)
    log.info({ path, version: result.set.version, rules: result.set.rules.length }, 'policy set loaded')
    return new PolicyRegistry(path, result.set, now, log)
  }

  get current(): PolicySet {
    return this.#set
  }

  status(): PolicyStatus {
    return {
      path: this.path,
      version: this.#set.version,
      loadedAt: this.#loadedAt,
      rules: this.#set.rules.length,
      files: this.#set.files,
      ...(this.#lastFailure === undefined ? {} : { lastFailure: this.#lastFailure }),
    }
  }

  /** Reads and compiles the files again; swaps the set in only if it compiles. */
  reload(): Promise<ReloadResult> {
    // Reloads never overlap: a burst of file events yields one read at a time.
    const next = (this.#reloading ?? Promise.resolve(undefined)).then(() => this.#reloadOnce())
    this.#reloading = next
    return next
  }

  async #reloadOnce(): Promise<ReloadResult> {
    let errors: readonly ErrorDetail[]
    try {
      const result = compilePolicySet(await readPolicyFiles(this.path))
      if (result.ok) {
        const changed = result.set.version !== this.#set.version
        if (changed) {
          this.#tell({
            ok: true,
            version: result.set.version,
            previous: this.#set.version,
            rules: result.set.rules.length,
          })
          this.#set = result.set
          this.#loadedAt = this.now().toISOString()
          this.log.info(
            { path: this.path, version: result.set.version, rules: result.set.rules.length },
            'policy set reloaded',
          )
        }
        this.#lastFailure = undefined
        return { ok: true, set: this.#set, changed }
      }
      errors = result.errors
    } catch (err) {
      errors = [{ path: this.path, message: `could not read policies: ${(err as Error).message}` }]
    }
    this.#lastFailure = { at: this.now().toISOString(), errors }
    this.#tell({ ok: false, version: this.#set.version, errors })
    this.log.error(
      { path: this.path, version: this.#set.version, errors },
      'policy reload failed; keeping the last good set',
    )
    return { ok: false, errors }
  }

  /** Calls `listener` after every reload that changed the set or failed. */
  onReload(listener: (outcome: ReloadOutcome) => void): void {
    this.#listeners.push(listener)
  }

  #tell(outcome: ReloadOutcome): void {
    for (const listener of this.#listeners) {
      try {
        listener(outcome)
      } catch (error) {
        this.log.error({ err: error }, 'a policy reload listener failed')
      }
    }
  }

  /** Reloads when a file under the path changes. */
  watch(): void {
    if (this.#watcher !== undefined) return
    this.#watcher = watch(this.path, { recursive: true, persistent: false }, () => {
      if (this.#timer !== undefined) clearTimeout(this.#timer)
      this.#timer = setTimeout(() => {
        this.#timer = undefined
        void this.reload()
      }, DEBOUNCE_MS)
    })
  }

  close(): void {
    this.#watcher?.close()
    this.#watcher = undefined
    if (this.#timer !== undefined) clearTimeout(this.#timer)
  }
}
