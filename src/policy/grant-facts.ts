// Whether the active grants passed as facts cover an action: the question behind
// `has_grant()`. Grant globs are compiled once and shared across decisions.
import type { GrantFact } from './decision-types.ts'
import { compileGlob, type Glob } from './glob.ts'

/** Compiled grant globs, shared across decisions: grants repeat while they are active. */
export class GrantGlobs {
  readonly #cache = new Map<string, Glob | null>()

  get(pattern: string, separator: '.' | '/'): Glob | null {
    const key = `${separator}${pattern}`
    let glob = this.#cache.get(key)
    if (glob === undefined) {
      try {
        glob = compileGlob(pattern, separator)
      } catch {
        glob = null
      }
      if (this.#cache.size > 4096) this.#cache.clear()
      this.#cache.set(key, glob)
    }
    return glob
  }
}

export function grantCovers(
  grants: readonly GrantFact[],
  now: Date | null,
  globs: GrantGlobs,
  verb: string,
  resource: string,
): boolean {
  for (const g of grants) {
    if (typeof g.verb !== 'string' || typeof g.resource !== 'string') continue
    // An expiry can only be checked against the action's time; without one the grant does not count.
    if (g.expiresAt !== undefined && (now === null || !(Date.parse(g.expiresAt) > now.getTime()))) continue
    const v = globs.get(g.verb, '.')
    const r = globs.get(g.resource, '/')
    if (v !== null && r !== null && v.test(verb) && r.test(resource)) return true
  }
  return false
}
