// The entry point the policy gate calls for a statement of a masked actor: parse it, analyze each
// statement against the upstream's catalog (cached per upstream), and either refuse it, saying
// why, or forward it with the row transforms that mask its results. What cannot be parsed,
// resolved or compiled is refused, never forwarded unmasked.
import type { Node } from 'libpg-query'
import { AnonymizeError, Masker, type TransformContext } from '../../anonymize/index.ts'
import { parseStatements } from '../classify/pg-parser.ts'
import type { RowColumn, RowTransformFactory } from '../wire/index.ts'
import { CatalogCache } from './catalog-cache.ts'
import type { CatalogQuery, CatalogSnapshot } from './catalog-snapshot.ts'
import { directLineage, type Lineage, sourceColumn } from './lineage.ts'
import { type Mask, MaskRules } from './mask-rules.ts'
import { MaskingRefusal, UNMASK_HINT, UnknownRelationError } from './masking-refusal.ts'
import { columnLineage } from './output-shape.ts'
import { type FieldOrigin, rowMasking } from './row-masking.ts'
import { type AnalyzedStatement, analyzeStatement } from './statement-analysis.ts'
import { StatementAnalyzer } from './statement-analyzer.ts'

export type MaskPlan =
  | { readonly kind: 'refuse'; readonly message: string; readonly detail?: string; readonly hint?: string }
  | { readonly kind: 'forward'; readonly rows?: RowTransformFactory }

export interface StatementMaskingDeps {
  /** A side connection to each upstream, with jitgate's own credentials. */
  readonly catalog: (upstream: string) => CatalogQuery
  /** Keys (and optionally a fixed today) for the transforms. */
  readonly transforms: TransformContext
  /** How long a catalog snapshot is used; 30 s unless given. */
  readonly cacheTtlMs?: number
  /** The clock: catalog ages, and today for transforms when `transforms.now` is not set. */
  readonly now?: () => Date
}

export interface PlanInput {
  readonly upstream: string
  /** One client message: a simple query (maybe several statements) or one extended-protocol statement. */
  readonly sql: string
  readonly mask: Mask
  /** The classification of a `table.column` field, from the policy set. */
  readonly classOf: (field: string) => string | undefined
  /**
   * Stands for `classOf` (the policy set it reads): when given, the analysis of a message is
   * kept and reused for the same text, mask (by value) and scope, while the catalog snapshot
   * and the day stay the same. Without it nothing is kept.
   */
  readonly scope?: object
  /**
   * `sql` with its constants replaced (libpg-query's normalize), for DML: an analysis that did
   * not turn on a constant's value is kept under it too, and serves every text that differs
   * from this one in constants only (the simple protocol sends a new text for each value).
   */
  readonly shape?: string
}

/** What a plan is made of: refused, nothing to mask, or the parts of a fresh row transform. */
type Prepared =
  | { readonly kind: 'done'; readonly plan: MaskPlan }
  | { readonly kind: 'rows'; readonly parts: Parameters<typeof rowMasking>[0] }

interface KeptPlans {
  readonly day: string
  /** `mask NUL upstream NUL sql` → the analysis and the snapshot it was made on. */
  readonly plans: Map<string, { readonly prepared: Prepared; readonly snapshot: CatalogSnapshot }>
}

/** Analyses kept per scope; past it the oldest goes. */
const MAX_KEPT_PLANS = 2_000

const DEFAULT_TTL_MS = 30_000
/** A statement naming an unknown relation refreshes a snapshot at most this old. */
const MIN_REFRESH_MS = 1_000

export class StatementMasking {
  readonly #cache: CatalogCache
  readonly #transforms: TransformContext
  readonly #now: () => Date
  readonly #kept = new WeakMap<object, KeptPlans>()

  constructor(deps: StatementMaskingDeps) {
    const now = deps.now ?? (() => new Date())
    const ttlMs = deps.cacheTtlMs ?? DEFAULT_TTL_MS
    if (!Number.isFinite(ttlMs) || ttlMs < 0)
      throw new RangeError('cacheTtlMs must be a number of milliseconds ≥ 0')
    this.#now = now
    this.#transforms = deps.transforms
    this.#cache = new CatalogCache({
      catalog: deps.catalog,
      ttlMs,
      minRefreshMs: Math.min(MIN_REFRESH_MS, ttlMs),
      now: () => now().getTime(),
    })
  }

  /**
   * One client message for a masked actor: refuse it, or forward it with row transforms. The
   * answer comes without a promise when the message's analysis is kept and its catalog
   * snapshot is still fresh (a promise would hold the message back a turn, and send its
   * messages upstream in several writes).
   */
  plan(input: PlanInput): MaskPlan | Promise<MaskPlan> {
    const { scope } = input
    if (scope === undefined) return this.#prepare(input).then(({ prepared }) => realize(prepared))
    const now = this.#transforms.now ?? this.#now()
    const day = now.toISOString().slice(0, 10)
    // Decisions build their masks afresh: the mask is part of the key by value.
    const prefix = `${maskText(input.mask)}\0${input.upstream}\0`
    let kept = this.#kept.get(scope)
    if (kept === undefined || kept.day !== day) {
      kept = { day, plans: new Map() }
      this.#kept.set(scope, kept)
    }
    // No SQL text holds a NUL (the protocol ends strings with one): the keys cannot meet.
    const keys = {
      exact: `${prefix}${input.sql}`,
      shape: input.shape === undefined ? undefined : `${prefix}\0${input.shape}`,
    }
    const hit =
      kept.plans.get(keys.exact) ?? (keys.shape === undefined ? undefined : kept.plans.get(keys.shape))
    // The rows factory counts result sets: each message gets one of its own.
    if (hit !== undefined && this.#cache.peek(input.upstream) === hit.snapshot) return realize(hit.prepared)
    return this.#planAfresh(input, kept, keys, hit)
  }

  async #planAfresh(
    input: PlanInput,
    kept: KeptPlans,
    keys: { readonly exact: string; readonly shape: string | undefined },
    hit: { readonly prepared: Prepared; readonly snapshot: CatalogSnapshot } | undefined,
  ): Promise<MaskPlan> {
    if (hit !== undefined) {
      const current = await this.#cache.get(input.upstream).catch(() => undefined)
      if (current === hit.snapshot) return realize(hit.prepared)
    }
    const made = await this.#prepare(input)
    if (made.snapshot !== undefined) {
      const keep = { prepared: made.prepared, snapshot: made.snapshot }
      for (const key of made.anyConstants || keys.shape === undefined
        ? [keys.exact]
        : [keys.exact, keys.shape]) {
        if (kept.plans.size >= MAX_KEPT_PLANS) kept.plans.delete(kept.plans.keys().next().value as string)
        kept.plans.set(key, keep)
      }
    }
    return realize(made.prepared)
  }

  /**
   * The analysis of one message, the catalog snapshot it rests on (undefined: not kept), and
   * whether it turned on a constant's value (true unless the analysis ran and read none).
   */
  async #prepare(
    input: PlanInput,
  ): Promise<{ prepared: Prepared; snapshot?: CatalogSnapshot; anyConstants: boolean }> {
    const done = (plan: MaskPlan) => ({ prepared: { kind: 'done', plan } as const, anyConstants: true })
    const parsed = parseStatements(input.sql)
    if (!('stmts' in parsed))
      return done(
        refuse(
          'jitgate could not parse this statement, so it cannot mask its results',
          'Fix the syntax error.',
        ),
      )
    const stmts = (parsed.stmts ?? []).flatMap((s) => (s.stmt === undefined ? [] : [s.stmt]))
    if (stmts.length === 0) return done({ kind: 'forward' })
    let masker: Masker
    try {
      masker = new Masker(input.mask, { ...this.#transforms, now: this.#transforms.now ?? this.#now() })
    } catch (error) {
      if (!(error instanceof AnonymizeError)) throw error
      return done(
        refuse(`the mask of this decision cannot be applied: ${error.message}`, 'Fix the masking profile.'),
      )
    }
    const rules = new MaskRules(input.mask, input.classOf)
    const analyzed = await this.#analyze(input.upstream, stmts, rules)
    const { anyConstants } = analyzed
    if ('refusal' in analyzed)
      return { prepared: { kind: 'done', plan: analyzed.refusal }, ...kept(analyzed), anyConstants }
    const { statements, analyzer, snapshot } = analyzed
    if (!statements.some((s) => s.readsMasked))
      return { prepared: { kind: 'done', plan: { kind: 'forward' } }, snapshot, anyConstants }
    const rowStatements = statements.filter((s) => s.returnsRows)
    return {
      prepared: {
        kind: 'rows',
        parts: { statements: rowStatements, rules, masker, origin: origins(snapshot, analyzer) },
      },
      snapshot,
      anyConstants,
    }
  }

  async #analyze(upstream: string, stmts: readonly Node[], rules: MaskRules): Promise<Analyzed> {
    let snapshot: CatalogSnapshot
    try {
      snapshot = await this.#cache.get(upstream)
    } catch {
      return { refusal: catalogUnavailable(upstream), anyConstants: true }
    }
    for (let attempt = 0; ; attempt++) {
      const analyzer = new StatementAnalyzer(snapshot, rules)
      try {
        const statements = stmts.map((stmt, i) =>
          numbered(() => analyzeStatement(analyzer, stmt), i, stmts.length),
        )
        return { statements, analyzer, snapshot, anyConstants: analyzer.readConstants }
      } catch (error) {
        // Up to the refusal nothing turned on a constant, unless the analyzer says so: every
        // text of this shape is refused alike.
        if (error instanceof MaskingRefusal)
          return {
            refusal: refuse(error.message, error.detail, error.hint),
            snapshot,
            anyConstants: analyzer.readConstants,
          }
        if (!(error instanceof UnknownRelationError)) throw error
        const fresh =
          attempt === 0 ? await this.#cache.refresh(upstream, snapshot).catch(() => undefined) : undefined
        if (fresh === undefined)
          return {
            refusal: refuse(error.message, error.details[0]?.message ?? '', error.details[0]?.hint),
            anyConstants: true,
          }
        snapshot = fresh
      }
    }
  }
}

/** anyConstants: the analysis turned on a constant's value (or did not run to a verdict). */
type Analyzed =
  /** `snapshot`: the refusal follows from the statement and this catalog (kept); absent: it does not. */
  | { readonly refusal: MaskPlan; readonly snapshot?: CatalogSnapshot; readonly anyConstants: boolean }
  | {
      readonly statements: readonly AnalyzedStatement[]
      readonly analyzer: StatementAnalyzer
      readonly snapshot: CatalogSnapshot
      readonly anyConstants: boolean
    }

function kept(analyzed: { readonly snapshot?: CatalogSnapshot }): { snapshot?: CatalogSnapshot } {
  return analyzed.snapshot === undefined ? {} : { snapshot: analyzed.snapshot }
}

const maskTexts = new WeakMap<Mask, string>()

/** The mask as JSON: its value is the key; a policy set's compiled masks come again and again. */
function maskText(mask: Mask): string {
  let text = maskTexts.get(mask)
  if (text === undefined) {
    text = JSON.stringify(mask)
    maskTexts.set(mask, text)
  }
  return text
}

function realize(prepared: Prepared): MaskPlan {
  return prepared.kind === 'done' ? prepared.plan : { kind: 'forward', rows: rowMasking(prepared.parts) }
}

function numbered(run: () => AnalyzedStatement, index: number, count: number): AnalyzedStatement {
  try {
    return run()
  } catch (error) {
    if (error instanceof MaskingRefusal && count > 1)
      throw new MaskingRefusal(`statement ${index + 1}: ${error.message}`, error.detail, error.hint)
    throw error
  }
}

function origins(snapshot: CatalogSnapshot, analyzer: StatementAnalyzer): FieldOrigin {
  return (field: RowColumn): Lineage | 'unknown' | undefined => {
    if (field.tableOid === 0 || field.columnAttnum <= 0) return undefined
    const relation = snapshot.byOid(field.tableOid)
    const col = relation?.columns.find((c) => c.attnum === field.columnAttnum)
    if (relation === undefined || col === undefined) return 'unknown'
    if (relation.kind !== 'view' || relation.system)
      return directLineage(sourceColumn(relation, col.name, relation.parents, relation.system))
    try {
      return columnLineage(analyzer.relationShape(relation), col.name)?.lineage ?? 'unknown'
    } catch {
      return 'unknown'
    }
  }
}

function refuse(message: string, detail: string, hint: string = UNMASK_HINT): MaskPlan {
  return { kind: 'refuse', message, detail, hint }
}

function catalogUnavailable(upstream: string): MaskPlan {
  return refuse(
    `jitgate could not read the catalog of upstream ${upstream}, which masking needs`,
    'Masking ties every result column to its table column through the database catalog.',
    'Try again in a moment; if it persists, check jitgate’s connection to the upstream.',
  )
}
