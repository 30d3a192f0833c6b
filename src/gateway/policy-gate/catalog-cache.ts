// Each upstream's function catalog (the volatility of its own functions and operators), read on
// the first statement and then kept: past its TTL the old one still serves while a fresh one is
// read, so statements never wait for it again. A first read that fails leaves the catalog
// unknown (unknown functions count as writes, the strict side) and is tried again after a
// pause; a later one keeps the last catalog read.
import type { FunctionCatalog } from '../classify/index.ts'
import type { GateLog } from './gate-ports.ts'

interface Entry {
  /** undefined: the read failed; every function outside pg_catalog is unknown. */
  readonly catalog: FunctionCatalog | undefined
  readonly readAt: number
}

/** A failed read is not tried again sooner than this. */
const RETRY_MS = 5000

export class CatalogCache {
  readonly #entries = new Map<string, Entry>()
  readonly #reading = new Map<string, Promise<Entry>>()

  constructor(
    private readonly read: (upstream: string) => Promise<FunctionCatalog>,
    private readonly ttlMs: number,
    private readonly log: GateLog,
  ) {}

  /** The catalog in hand ({ catalog: undefined } after a failed read), or undefined before the first read. */
  peek(upstream: string, now: Date): { readonly catalog: FunctionCatalog | undefined } | undefined {
    const entry = this.#entries.get(upstream)
    if (entry === undefined) return undefined
    const age = now.getTime() - entry.readAt
    if (age >= (entry.catalog === undefined ? RETRY_MS : this.ttlMs)) void this.fetch(upstream, now)
    return entry
  }

  /** Reads the catalog; concurrent reads of one upstream share one. Never rejects. */
  fetch(upstream: string, now: Date): Promise<{ readonly catalog: FunctionCatalog | undefined }> {
    const pending = this.#reading.get(upstream)
    if (pending !== undefined) return pending
    const reading = this.read(upstream).then(
      (catalog): Entry => ({ catalog, readAt: now.getTime() }),
      (error: unknown): Entry => {
        const last = this.#entries.get(upstream)?.catalog
        this.log.warn(
          { upstream, err: error },
          last === undefined
            ? 'the upstream’s function catalog could not be read: its functions count as writes'
            : 'the upstream’s function catalog could not be read again: the last one read is kept',
        )
        return { catalog: last, readAt: now.getTime() }
      },
    )
    const settled = reading.then((entry) => {
      this.#entries.set(upstream, entry)
      this.#reading.delete(upstream)
      return entry
    })
    this.#reading.set(upstream, settled)
    return settled
  }
}
