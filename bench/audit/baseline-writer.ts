// The baseline: the same group commit (up to 1,000 per batch, the next batch formed while
// one is written) for the same drafts, as a plain audit table would do it: seq, id and time
// added, no validation, no redaction, no canonical encoding, no hash chain.
import type { AuditDraft } from '../../src/audit/index.ts'
import type { BaselineRow as Row } from './sqlite-baseline-sink.ts'

interface Sink {
  appendBatch(rows: readonly Row[]): Promise<void>
}

interface Entry {
  readonly draft: AuditDraft
  readonly id: string
  readonly resolve: (row: Row) => void
}

export class BaselineWriter {
  #queue: Entry[] = []
  #draining = false
  #seq = 0

  constructor(
    private readonly sink: Sink,
    private readonly newId: () => string,
    private readonly now: () => Date,
    private readonly maxBatch = 1000,
  ) {}

  append(draft: AuditDraft): Promise<Row> {
    return new Promise((resolve) => {
      this.#queue.push({ draft, id: this.newId(), resolve })
      if (this.#draining) return
      this.#draining = true
      queueMicrotask(() => void this.#drain())
    })
  }

  async #drain(): Promise<void> {
    while (this.#queue.length > 0) {
      const batch = this.#queue.splice(0, this.maxBatch)
      const time = this.now().toISOString()
      const rows = batch.map((entry) => ({ ...entry.draft, seq: ++this.#seq, id: entry.id, time }))
      await this.sink.appendBatch(rows)
      for (const [i, entry] of batch.entries()) entry.resolve(rows[i] as Row)
    }
    this.#draining = false
  }
}
