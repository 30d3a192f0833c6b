// Finds the rules whose verb and resource globs match an action without scanning
// every rule: literal patterns are looked up in maps, other patterns are bucketed
// by their literal prefix up to the last separator, so a lookup costs one map
// probe per segment of the verb or resource.
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

  constructor(private readonly separator: string) {}

  add(glob: Glob | undefined, rule: CompiledRule): void {
    if (glob === undefined) {
      this.#any.push(rule)
      return
    }
    if (glob.isLiteral) {
      push(this.#exact, glob.literalPrefix, rule)
      return
    }
    const cut = glob.literalPrefix.lastIndexOf(this.separator)
    push(this.#byPrefix, cut < 0 ? '' : glob.literalPrefix.slice(0, cut + 1), { glob, rule })
  }

  /** Calls `found` for every rule with a pattern matching `value` (a rule may come more than once). */
  lookup(value: string, found: (rule: CompiledRule) => void): void {
    for (const rule of this.#any) found(rule)
    const exact = this.#exact.get(value)
    if (exact !== undefined) for (const rule of exact) found(rule)
    this.#scan(this.#byPrefix.get(''), value, found)
    let at = value.indexOf(this.separator)
    while (at >= 0) {
      this.#scan(this.#byPrefix.get(value.slice(0, at + 1)), value, found)
      at = value.indexOf(this.separator, at + 1)
    }
  }

  #scan(entries: Entry[] | undefined, value: string, found: (rule: CompiledRule) => void): void {
    if (entries === undefined) return
    for (const { glob, rule } of entries) if (glob.test(value)) found(rule)
  }
}

function push<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key)
  if (list === undefined) map.set(key, [value])
  else list.push(value)
}

const CACHE_LIMIT = 4096

/** Candidate rules for (verb, resource), in evaluation order. */
export class RuleIndex {
  readonly #verbs = new PatternIndex('.')
  /** Per verb, an index of the resources of the rules that verb matches. Verbs are few. */
  readonly #byVerb = new Map<string, PatternIndex>()
  readonly #candidates = new Map<string, readonly CompiledRule[]>()

  constructor(rules: readonly CompiledRule[]) {
    for (const rule of rules) for (const glob of rule.verbs) this.#verbs.add(glob, rule)
  }

  candidates(verb: string, resource: string): readonly CompiledRule[] {
    // Exact (verb, resource) pairs repeat a lot in practice; the key cannot collide
    // because verbs never contain a newline (input validation rejects them).
    const key = `${verb}\n${resource}`
    const cached = this.#candidates.get(key)
    if (cached !== undefined) return cached
    const seen = new Set<CompiledRule>()
    const result: CompiledRule[] = []
    this.#resourcesFor(verb).lookup(resource, (rule) => {
      if (seen.has(rule)) return
      seen.add(rule)
      result.push(rule)
    })
    result.sort((a, b) => a.order - b.order)
    if (this.#candidates.size >= CACHE_LIMIT) this.#candidates.clear()
    this.#candidates.set(key, result)
    return result
  }

  #resourcesFor(verb: string): PatternIndex {
    let index = this.#byVerb.get(verb)
    if (index !== undefined) return index
    index = new PatternIndex('/')
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
