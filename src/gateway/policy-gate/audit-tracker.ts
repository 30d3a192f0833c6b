// The gate's audit writes. Most statements are reads that run without waiting for their event
// (it is written when the result comes); the tracker keeps count of those writes and remembers
// whether the last one failed. While the audit log fails, or too many writes are in flight,
// every statement waits for its own event to be durable before it runs, and is refused when it
// cannot be: the gate fails closed, and opens again by itself at the first write that succeeds.
import type { AuditDraft } from '../../audit/index.ts'
import type { GateLog } from './gate-ports.ts'

export class AuditTracker {
  #pending = 0
  #failing = false
  #idle: (() => void)[] = []

  constructor(
    private readonly append: (draft: AuditDraft) => Promise<unknown>,
    private readonly log: GateLog,
    private readonly maxPending: number,
  ) {}

  /** False while the audit log fails or lags: statements must wait for their events. */
  get open(): boolean {
    return !this.#failing && this.#pending < this.maxPending
  }

  /** Writes `drafts` and resolves once every one is durable; rejects when one is not. */
  async durable(drafts: readonly AuditDraft[]): Promise<void> {
    await Promise.all(drafts.map((draft) => this.#write(draft)))
  }

  /** Writes `drafts` without anyone waiting: a failure is logged and closes the gate. */
  later(drafts: readonly AuditDraft[]): void {
    for (const draft of drafts)
      void this.#write(draft, (error) =>
        this.log.error(
          { err: error, event: draft.type, subject: draft.subject.id, actor: draft.actor.id },
          'the audit log could not record a statement that ran; statements now wait for their events',
        ),
      )
  }

  /** Resolves once every write made so far has settled. */
  idle(): Promise<void> {
    if (this.#pending === 0) return Promise.resolve()
    return new Promise((resolve) => this.#idle.push(resolve))
  }

  // A failure is reported before idle() waiters resume: `onFailure` when given, else a rejection.
  async #write(draft: AuditDraft, onFailure?: (error: unknown) => void): Promise<void> {
    this.#pending++
    try {
      await this.append(draft)
      this.#failing = false
    } catch (error) {
      this.#failing = true
      if (onFailure === undefined) throw error
      onFailure(error)
    } finally {
      this.#pending--
      if (this.#pending === 0) for (const resolve of this.#idle.splice(0)) resolve()
    }
  }
}
