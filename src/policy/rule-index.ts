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

  /** Appends to `out` every rule with a pattern matching `value` (a rule may come more than once). */
  lookup(value: string, out: CompiledRule[]): void {
    for (const rule of this.#any) out.push(rule)
    const exact = this.#exact.get(value)
    if (exact !== undefined) for (const rule of exact) out.push(rule)
    this.#scan(this.#byPrefix.get(''), value, out)
    for (let at = 0; at < value.length; at++) {
      if (isBoundary(value.charCodeAt(at))) this.#scan(this.#byPrefix.get(value.slice(0, at + 1)), value, out)
    }
  }

  #scan(entries: Entry[] | undefined, value: string, out: CompiledRule[]): void {
    if (entries === undefined) return
    for (const { glob, rule } of entries) if (glob.test(value)) out.push(rule)
  }
}

/** Sorts rules into evaluation order and drops repeats (a rule found through several patterns). */
function inOrder(rules: CompiledRule[]): CompiledRule[] {
  rules.sort(byOrder)
  let kept = 0
  for (let i = 0; i < rules.length; i++)
    if (i === 0 || rules[i] !== rules[i - 1]) rules[kept++] = rules[i] as CompiledRule
  rules.length = kept
  return rules
}

const byOrder = (a: CompiledRule, b: CompiledRule): number => a.order - b.order

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
    const found: CompiledRule[] = []
    this.#resourcesFor(verb).lookup(resource, found)
    const result = inOrder(found)
    this.#candidates.set(verb, resource, result)
    return result
  }

  #resourcesFor(verb: string): PatternIndex {
    let index = this.#byVerb.get(verb)
    if (index !== undefined) return index
    index = new PatternIndex()
    const found: CompiledRule[] = []
    this.#verbs.lookup(verb, found)
    for (const rule of inOrder(found)) {
      if (rule.resources.length === 0) index.add(undefined, rule)
      for (const glob of rule.resources) index.add(glob, rule)
    }
    if (this.#byVerb.size >= CACHE_LIMIT) this.#byVerb.clear()
    this.#byVerb.set(verb, index)
    return index
  }
}
