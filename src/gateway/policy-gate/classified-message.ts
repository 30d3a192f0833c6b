// A client message's statements as the gate decides on them: each one's classification, its
// fingerprint and literal-masked text, the resources it touches and what it changes in the
// session; or, when any statement does not parse, which one (the whole message is refused).
// Classifying costs tens of microseconds, so results are kept per upstream in bounded caches: by
// exact text (prepared statements, repeated queries), and by normalized text for plain DML,
// whose classification does not depend on its constants (pgbench -S in the simple protocol
// sends a new text each time, differing in one number). Normalizing is a parse too, so shaped
// messages are also found by literal shape (literal-shape.ts), a scan of the text.
import { normalizeSync } from 'libpg-query'
import {
  type Classification,
  type ClassifiedStatement,
  classify,
  type FunctionCatalog,
  literalShape,
  type StatementError,
  statementFingerprint,
} from '../classify/index.ts'
import { resourcesOf, type StatementContext, statementContext } from './policy-input.ts'
import { executedName } from './prepared-sql.ts'
import { type PreparedStatement, type StatementEffects, statementEffects } from './session-effects.ts'
import { maskLiterals } from './statement-text.ts'

export interface StatementEntry {
  /** As classified; a valid `SET jitgate.…` changes nothing in PostgreSQL and is not a write. */
  readonly classification: Classification
  readonly fingerprint: string
  /** Literals masked: for the audit log and approvers. */
  readonly text: string
  readonly resources: readonly string[]
  readonly context: StatementContext
  readonly effects: StatementEffects
  /** EXECUTE: the prepared statement it runs. */
  readonly executes?: string
}

export interface Unparseable {
  /** 0-based position of the first statement that does not parse. */
  readonly index: number
  readonly error: StatementError
  /** Each statement's text, literals masked (or withheld), for the audit log. */
  readonly texts: readonly string[]
}

export interface ClassifiedMessage {
  readonly statements: readonly StatementEntry[]
  readonly unparseable?: Unparseable
  /** Holds an EXECUTE: classify it again with the session's prepared statements. */
  readonly executes: boolean
  /**
   * The text with its constants replaced, when every statement is plain DML: what masking may
   * share an analysis by (GateMaskPlanInput.shape).
   */
  readonly shape?: string
}

/** Classifies `sql`, a whole message, for `upstream`. */
export function classifyMessage(
  sql: string,
  upstream: string,
  catalog: FunctionCatalog | undefined,
  prepared?: ReadonlyMap<string, Classification>,
): ClassifiedMessage {
  const results = classify(sql, catalog, prepared)
  const index = results.findIndex((r) => r.kind === 'error')
  const failed = results[index]
  if (failed !== undefined && 'error' in failed) {
    const texts = results.map((r) => maskLiterals(sql.slice(r.location.start, r.location.end)))
    return { statements: [], unparseable: { index, error: failed.error, texts }, executes: false }
  }
  const statements = (results as readonly ClassifiedStatement[]).map((c) => entryOf(sql, upstream, c))
  return { statements, executes: statements.some((s) => s.classification.statement === 'ExecuteStmt') }
}

function entryOf(sql: string, upstream: string, c: ClassifiedStatement): StatementEntry {
  const raw = sql.slice(c.location.start, c.location.end)
  const { fingerprint, normalized } = statementFingerprint(raw)
  const text = maskLiterals(normalized)
  const effects = statementEffects(c, raw, fingerprint, text)
  const classification = effects.ok && effects.jitgateSetting ? { ...c, writes: false, reasons: [] } : c
  const executes = c.statement === 'ExecuteStmt' ? executedName(raw) : undefined
  return {
    ...described(upstream, classification, fingerprint, text),
    effects,
    ...(executes === undefined ? {} : { executes }),
  }
}

/** What an entry says of the statement it stands for, whoever classified it. */
function described(upstream: string, classification: Classification, fingerprint: string, text: string) {
  return {
    classification,
    fingerprint,
    text,
    resources: resourcesOf(upstream, classification),
    context: statementContext(classification, fingerprint, text),
  }
}

/** A statement prepared earlier, executed by name: decided on what it runs. */
export function preparedEntry(
  upstream: string,
  prepared: Pick<PreparedStatement, 'classification' | 'fingerprint' | 'text'>,
): StatementEntry {
  const { classification, fingerprint, text } = prepared
  return {
    ...described(upstream, classification, fingerprint, text),
    effects: { ok: true, effects: [], jitgateSetting: false },
  }
}

/**
 * The message with each EXECUTE standing for the statement it runs: its fingerprint and text
 * are the prepared statement's, so an approval of `EXECUTE name` is bound to what runs, and a
 * name prepared again with another statement needs approval again. PREPAREs earlier in the
 * message count. An EXECUTE of a name the gate does not know makes the message unknown.
 */
export function resolveExecutes(
  classified: ClassifiedMessage,
  known: (name: string) => PreparedStatement | undefined,
): ClassifiedMessage | { readonly unknown: string } {
  const local = new Map<string, PreparedStatement | undefined>()
  let lookup = known
  const statements: StatementEntry[] = []
  for (const entry of classified.statements) {
    if (entry.classification.statement === 'ExecuteStmt') {
      const name = entry.executes
      const prepared = name === undefined ? undefined : local.has(name) ? local.get(name) : lookup(name)
      if (name === undefined || prepared === undefined) return { unknown: name ?? '(unnamed)' }
      const { fingerprint, text } = prepared
      statements.push({
        ...entry,
        fingerprint,
        text,
        context: statementContext(entry.classification, fingerprint, text),
      })
    } else statements.push(entry)
    for (const effect of entry.effects.ok ? entry.effects.effects : []) {
      if (effect.kind === 'prepare') local.set(effect.name, effect.statement)
      if (effect.kind === 'forget_prepared') {
        // The gate does not read which name a DEALLOCATE drops: every later EXECUTE is unknown.
        lookup = () => undefined
        local.clear()
      }
    }
  }
  return { ...classified, statements }
}

// Statements whose classification depends on their structure only, never on a constant's value
// (SET, EXPLAIN's options and COPY's do): these may share one by normalized text.
const SHAPED: ReadonlySet<string> = new Set([
  'SelectStmt',
  'InsertStmt',
  'UpdateStmt',
  'DeleteStmt',
  'MergeStmt',
])
// Texts longer than this are classified each time: a client must not fill the cache with huge ones.
const MAX_CACHED_TEXT = 16_384

interface Cached {
  readonly message: ClassifiedMessage
  readonly catalog: FunctionCatalog | undefined
}

export class ClassificationCache {
  readonly #size: number
  /** Per upstream: keys are the texts themselves, not strings built and hashed per message. */
  readonly #upstreams = new Map<string, UpstreamCache>()

  constructor(size: number) {
    this.#size = size
  }

  /** The classification of `sql` with `catalog` (the upstream's, as the gate last read it). */
  get(upstream: string, sql: string, catalog: FunctionCatalog | undefined): ClassifiedMessage {
    if (sql.length > MAX_CACHED_TEXT) return classifyMessage(sql, upstream, catalog)
    let cache = this.#upstreams.get(upstream)
    if (cache === undefined) {
      const size = this.#size
      // By exact text (a prepared statement's is the same string each time); by normalized text;
      // shaped messages also by literal shape (literal-shape.ts), found without normalizing.
      cache = { exact: new Lru(size), shaped: new Lru(size), byLiterals: new Lru(size) }
      this.#upstreams.set(upstream, cache)
    }
    const exact = cache.exact.get(sql)
    if (exact !== undefined && exact.catalog === catalog) return exact.message
    // Texts alike but for the constants compared to (pgbench's simple protocol): no parse at all.
    const literals = literalShape(sql)
    const byLiterals = literals === undefined ? undefined : cache.byLiterals.get(literals)
    if (byLiterals !== undefined && byLiterals.catalog === catalog) return byLiterals.message
    const normalized = normalizedText(sql)
    const alike = normalized === undefined ? undefined : cache.shaped.get(normalized)
    if (alike !== undefined && alike.catalog === catalog) {
      if (literals !== undefined) cache.byLiterals.set(literals, alike)
      return alike.message
    }
    const classified = classifyMessage(sql, upstream, catalog)
    const shaped =
      normalized !== undefined &&
      classified.statements.length > 0 &&
      classified.statements.every((s) => SHAPED.has(s.classification.statement))
    const message = shaped ? { ...classified, shape: normalized } : classified
    cache.exact.set(sql, { message, catalog })
    if (shaped) {
      cache.shaped.set(normalized, { message, catalog })
      if (literals !== undefined) cache.byLiterals.set(literals, { message, catalog })
    }
    return message
  }
}

interface UpstreamCache {
  readonly exact: Lru<Cached>
  readonly shaped: Lru<Cached>
  readonly byLiterals: Lru<Cached>
}

function normalizedText(sql: string): string | undefined {
  try {
    return normalizeSync(sql)
  } catch {
    return undefined
  }
}

/** A map that forgets the entry least recently used beyond `size`. */
class Lru<T> {
  readonly #map = new Map<string, T>()

  constructor(private readonly size: number) {}

  /** The key used last: asked again (one prepared statement, message after message), it stays where it is. */
  #newest: string | undefined

  get(key: string): T | undefined {
    const value = this.#map.get(key)
    if (value !== undefined && key !== this.#newest) {
      this.#map.delete(key)
      this.#map.set(key, value)
      this.#newest = key
    }
    return value
  }

  set(key: string, value: T): void {
    this.#map.delete(key)
    this.#map.set(key, value)
    this.#newest = key
    if (this.#map.size > this.size) {
      const oldest = this.#map.keys().next()
      if (oldest.done !== true) this.#map.delete(oldest.value)
    }
  }
}
