// The actors' active grants, as the policy engine takes them, kept between statements: a store
// read per statement would cost more than the rest of the decision. An entry is dropped when
// it is older than the TTL (a grant scheduled to start later becomes active without anyone being
// told), or when `invalidate` is called: the composition calls it on every grant and request
// change it hears (GRANT_CHANNEL: used, revoked; REQUEST_CHANNEL: approved, which creates a
// grant), from any node. A load that an invalidation overtook is not kept.
import type { GrantFact } from '../../policy/index.ts'

interface Entry {
  readonly facts: readonly GrantFact[]
  readonly loadedAt: number
}

// Actors kept at most; the least recently loaded goes first.
const MAX_ACTORS = 10_000

export class GrantFactsCache {
  readonly #entries = new Map<string, Entry>()
  readonly #loading = new Map<string, Promise<readonly GrantFact[]>>()
  #generation = 0

  constructor(
    private readonly load: (actorId: string, now: Date) => Promise<readonly GrantFact[]>,
    private readonly ttlMs: number,
  ) {}

  /** The actor's facts when known and fresh at `now`, else undefined (then `fetch`). */
  peek(actorId: string, now: Date): readonly GrantFact[] | undefined {
    const entry = this.#entries.get(actorId)
    if (entry === undefined) return undefined
    if (now.getTime() - entry.loadedAt < this.ttlMs) return entry.facts
    this.#entries.delete(actorId)
    return undefined
  }

  /** Reads the actor's facts from the store; concurrent reads for one actor share one. */
  fetch(actorId: string, now: Date): Promise<readonly GrantFact[]> {
    const pending = this.#loading.get(actorId)
    if (pending !== undefined) return pending
    const generation = this.#generation
    const loading = this.load(actorId, now).then(
      (facts) => {
        this.#loading.delete(actorId)
        if (generation === this.#generation) this.#keep(actorId, { facts, loadedAt: now.getTime() })
        return facts
      },
      (error: unknown) => {
        this.#loading.delete(actorId)
        throw error
      },
    )
    this.#loading.set(actorId, loading)
    return loading
  }

  /** Forgets the actor's facts, or everyone's: they are read again at the next statement. */
  invalidate(actorId?: string): void {
    this.#generation++
    if (actorId === undefined) {
      this.#entries.clear()
      this.#loading.clear()
    } else {
      this.#entries.delete(actorId)
      this.#loading.delete(actorId)
    }
  }

  #keep(actorId: string, entry: Entry): void {
    this.#entries.delete(actorId)
    this.#entries.set(actorId, entry)
    if (this.#entries.size > MAX_ACTORS) {
      const oldest = this.#entries.keys().next()
      if (oldest.done !== true) this.#entries.delete(oldest.value)
    }
  }
}
