// Finds the rules whose verb and resource globs match an action without scanning
// every rule: literal patterns are looked up in maps, other patterns are bucketed
// by their literal prefix up to its last boundary character (`/`, `.`, `:`), so a
// lookup costs one map probe per boundary in the verb or resource and tests only
// the globs whose literal prefix the value starts with.
import type { CompiledRule } from './compiled-policy.ts'
import type { Glob } from './glob.ts'

interface Entry {
  readonly glob: Glob
  readonly rule: CompiledRule
}

/** An index of patterns over one separator. */
class PatternIndex {
  readonly #exact = new Map<string, CompiledRule[]>()
  readonly #byPrefix = new Map<string, Entry[]>()
  readonly #any: CompiledRule[] = []

  add(glob: Glob | undefined, rule: CompiledRule): void {
    if (glob === undefined) {
      this.#any.push(rule)
      return
    }
    if (glob.isLiteral) {
      push(this.#exact, glob.literalPrefix, rule)
      return
    }
    push(this.#byPrefix, glob.literalPrefix.slice(0, lastBoundary(glob.literalPrefix) + 1), { glob, rule })
  }

  /** Calls `found` for every rule with a pattern matching `value` (a rule may come more than once). */
  lookup(value: string, found: (rule: CompiledRule) => void): void {
    for (const rule of this.#any) found(rule)
    const exact = this.#exact.get(value)
    if (exact !== undefined) for (const rule of exact) found(rule)
    this.#scan(this.#byPrefix.get(''), value, found)
    for (let at = 0; at < value.length; at++) {
      if (isBoundary(value.charCodeAt(at)))
        this.#scan(this.#byPrefix.get(value.slice(0, at + 1)), value, found)
    }
  }

  #scan(entries: Entry[] | undefined, value: string, found: (rule: CompiledRule) => void): void {
    if (entries === undefined) return
    for (const { glob, rule } of entries) if (glob.test(value)) found(rule)
  }
}

/** `/`, `.` and `:`: where verbs and resources divide into parts. */
const isBoundary = (code: number): boolean => code === 47 || code === 46 || code === 58

function lastBoundary(text: string): number {
  for (let i = text.length - 1; i >= 0; i--) if (isBoundary(text.charCodeAt(i))) return i
  return -1
}

function push<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key)
  if (list === undefined) map.set(key, [value])
  else list.push(value)
}

/** Entries per cache generation; the previous generation is kept, so hot entries survive a turnover. */
const CACHE_LIMIT = 8192

/** A two-generation cache keyed by (verb, resource), without building a combined key string. */
class PairCache<T> {
  #young = new Map<string, Map<string, T>>()
  #old = new Map<string, Map<string, T>>()
  #size = 0

  get(verb: string, resource: string): T | undefined {
    const hit = this.#young.get(verb)?.get(resource)
    if (hit !== undefined) return hit
    const old = this.#old.get(verb)?.get(resource)
    if (old !== undefined) this.set(verb, resource, old)
    return old
  }

  set(verb: string, resource: string, value: T): void {
    if (this.#size >= CACHE_LIMIT) {
      this.#old = this.#young
      this.#young = new Map()
      this.#size = 0
    }
    let byResource = this.#young.get(verb)
    if (byResource === undefined) {
      byResource = new Map()
      this.#young.set(verb, byResource)
    }
    byResource.set(resource, value)
    this.#size++
  }
}

/** Candidate rules for (verb, resource), in evaluation order. */
export class RuleIndex {
  readonly #verbs = new PatternIndex()
  /** Per verb, an index of the resources of the rules that verb matches. Verbs are few. */
  readonly #byVerb = new Map<string, PatternIndex>()
  readonly #candidates = new PairCache<readonly CompiledRule[]>()

  constructor(rules: readonly CompiledRule[]) {
    for (const rule of rules) for (const glob of rule.verbs) this.#verbs.add(glob, rule)
  }

  candidates(verb: string, resource: string): readonly CompiledRule[] {
    const cached = this.#candidates.get(verb, resource)
    if (cached !== undefined) return cached
    const seen = new Set<CompiledRule>()
    const result: CompiledRule[] = []
    this.#resourcesFor(verb).lookup(resource, (rule) => {
      if (seen.has(rule)) return
      seen.add(rule)
      result.push(rule)
    })
    result.sort((a, b) => a.order - b.order)
    this.#candidates.set(verb, resource, result)
    return result
  }

  #resourcesFor(verb: string): PatternIndex {
    let index = this.#byVerb.get(verb)
    if (index !== undefined) return index
    index = new PatternIndex()
    const added = new Set<CompiledRule>()
    this.#verbs.lookup(verb, (rule) => {
      if (added.has(rule)) return
      added.add(rule)
      if (rule.resources.length === 0) index?.add(undefined, rule)
      for (const glob of rule.resources) index?.add(glob, rule)
    })
    if (this.#byVerb.size >= CACHE_LIMIT) this.#byVerb.clear()
    this.#byVerb.set(verb, index)
    return index
  }
}
