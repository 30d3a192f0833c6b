// Decisions kept for statements that come again. A policy set none of whose expressions read
// the time (PolicySet.readsTime false), asked by an actor with no grants (a grant's expiry is a
// time), decides the same input the same way every time; and in one session the input of a
// statement is made of the set, the session's actor, client and address, the cached
// classification, the table and the unmask flag, nothing else. So an `allow` is kept per set,
// session actor, classification and table, and the next identical statement skips building its
// input and evaluating it. Only allows: a denial or an approval is rare, and an approval needs
// its input fresh. Everything is weakly held: a new policy set, an evicted classification or a
// closed session lets its decisions go.
import type { Actor, PolicySet } from '../../policy/index.ts'
import type { StatementEntry } from './classified-message.ts'
import type { TableDecision } from './combine-decisions.ts'

/** The kept decisions of one set and one session actor. */
export interface MemoScope {
  get(entry: StatementEntry, resource: string, unmask: boolean): TableDecision | undefined
  keep(entry: StatementEntry, resource: string, unmask: boolean, table: TableDecision): void
}

// By resource, one map with raw values asked for (unmask) and one without: the resource is the
// classification's own string, hashed once, where a key made of both was a string per lookup.
type Tables = readonly [Map<string, TableDecision>, Map<string, TableDecision>]
type ByEntry = WeakMap<StatementEntry, Tables>

export class DecisionMemo {
  readonly #sets = new WeakMap<PolicySet, WeakMap<Actor, EntryScope>>()

  /** Where the decisions of `actor` under `set` are kept; undefined when they may not be. */
  scope(set: PolicySet, actor: Actor, grants: readonly unknown[]): MemoScope | undefined {
    if (set.readsTime || grants.length > 0) return undefined
    let byActor = this.#sets.get(set)
    if (byActor === undefined) {
      byActor = new WeakMap()
      this.#sets.set(set, byActor)
    }
    let scope = byActor.get(actor)
    if (scope === undefined) {
      scope = new EntryScope(new WeakMap())
      byActor.set(actor, scope)
    }
    return scope
  }
}

class EntryScope implements MemoScope {
  constructor(private readonly byEntry: ByEntry) {}

  get(entry: StatementEntry, resource: string, unmask: boolean): TableDecision | undefined {
    return this.byEntry.get(entry)?.[unmask ? 1 : 0].get(resource)
  }

  keep(entry: StatementEntry, resource: string, unmask: boolean, table: TableDecision): void {
    if (table.decision.effect !== 'allow') return
    let tables = this.byEntry.get(entry)
    if (tables === undefined) {
      tables = [new Map(), new Map()]
      this.byEntry.set(entry, tables)
    }
    tables[unmask ? 1 : 0].set(resource, table)
  }
}
