// Catalog snapshots per upstream, kept for a TTL and read once for all plans waiting on them. A
// statement naming a relation the snapshot does not hold asks for a fresh one, at most once a
// second per upstream, so a stream of typos does not become a stream of catalog reads.
import { type CatalogQuery, type CatalogSnapshot, loadCatalogSnapshot } from './catalog-snapshot.ts'

export interface CatalogCacheOptions {
  readonly catalog: (upstream: string) => CatalogQuery
  readonly ttlMs: number
  /** The shortest age of a snapshot that a refresh on an unknown relation replaces. */
  readonly minRefreshMs: number
  readonly now: () => number
}

interface Entry {
  snapshot?: CatalogSnapshot
  loading?: Promise<CatalogSnapshot>
}

export class CatalogCache {
  readonly #options: CatalogCacheOptions
  readonly #entries = new Map<string, Entry>()

  constructor(options: CatalogCacheOptions) {
    this.#options = options
  }

  /** A snapshot younger than the TTL, read now when there is none. */
  get(upstream: string): Promise<CatalogSnapshot> {
    const fresh = this.peek(upstream)
    return fresh !== undefined ? Promise.resolve(fresh) : this.#load(upstream, this.#entry(upstream))
  }

  /** The snapshot `get` would give at once, or undefined when it would have to read one. */
  peek(upstream: string): CatalogSnapshot | undefined {
    const snapshot = this.#entries.get(upstream)?.snapshot
    return snapshot !== undefined && this.#options.now() - snapshot.loadedAt < this.#options.ttlMs
      ? snapshot
      : undefined
  }

  /**
   * A newer snapshot than `seen`, or undefined when `seen` is too recent to be worth replacing
   * (it was read less than minRefreshMs ago).
   */
  async refresh(upstream: string, seen: CatalogSnapshot): Promise<CatalogSnapshot | undefined> {
    const entry = this.#entry(upstream)
    if (entry.snapshot !== undefined && entry.snapshot !== seen) return entry.snapshot
    if (this.#options.now() - seen.loadedAt < this.#options.minRefreshMs) return undefined
    return this.#load(upstream, entry)
  }

  #entry(upstream: string): Entry {
    let entry = this.#entries.get(upstream)
    if (entry === undefined) {
      entry = {}
      this.#entries.set(upstream, entry)
    }
    return entry
  }

  #load(upstream: string, entry: Entry): Promise<CatalogSnapshot> {
    if (entry.loading !== undefined) return entry.loading
    const loading = loadCatalogSnapshot(this.#options.catalog(upstream), this.#options.now())
      .then((snapshot) => {
        entry.snapshot = snapshot
        return snapshot
      })
      .finally(() => {
        entry.loading = undefined
      })
    entry.loading = loading
    return loading
  }
}
