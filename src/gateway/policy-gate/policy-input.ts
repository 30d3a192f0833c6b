// A classified statement as the policy engine sees it: one `db.query` action per table it
// touches, on `pg://<upstream>/<schema>.<table>`, with the statement's classification in
// `context.statement` and where it comes from in `context.time`, `ip`, `client` and `unmask`
// (the context documented at the top of examples/policies/database-access.yaml). Pure.
import type { Actor, GrantFact, PolicyInput } from '../../policy/index.ts'
import type { Classification } from '../classify/index.ts'

/** The verb of every statement. */
export const DB_QUERY = 'db.query'

/** What `context.statement` holds. */
export interface StatementContext {
  readonly kind: Classification['kind']
  readonly writes: boolean
  readonly reasons: readonly string[]
  /** `schema.table` as written. */
  readonly tables: { readonly read: readonly string[]; readonly write: readonly string[] }
  /** `table.column`, read or written, each once (policies test membership: `c in [...]`). */
  readonly columns: readonly string[]
  readonly functions: readonly string[]
  /** Statements that differ only in constants share it; a single-use grant is bound to it. */
  readonly fingerprint: string
  /** The statement with its literals masked, for approvers. */
  readonly text: string
}

export function statementContext(c: Classification, fingerprint: string, text: string): StatementContext {
  return Object.freeze({
    kind: c.kind,
    writes: c.writes,
    reasons: c.reasons,
    tables: c.tables,
    columns: unique([...c.columns.read, ...c.columns.write]),
    functions: c.functions,
    fingerprint,
    text,
  })
}

/**
 * The resource of each table the statement touches, each once: `pg://prod/public.customers`.
 * An unqualified name is taken as `public.`; a statement touching no table (BEGIN, SET,
 * SELECT 1) has the upstream itself, `pg://prod/`.
 */
export function resourcesOf(upstream: string, c: Classification): readonly string[] {
  const tables = unique([...c.tables.read, ...c.tables.write])
  if (tables.length === 0) return [`pg://${upstream}/`]
  return unique(tables.map((table) => `pg://${upstream}/${table.includes('.') ? table : `public.${table}`}`))
}

/** Where a statement comes from, as the gateway saw it (a client cannot set these). */
export interface StatementOrigin {
  readonly actor: Actor
  /** RFC 3339: when the gateway decided. */
  readonly time: string
  readonly ip: string
  /** The client program (`application_name`), when it gave one. */
  readonly client?: string
  /** The session asked for raw values (`SET jitgate.unmask = on`). */
  readonly unmask: boolean
  readonly grants: readonly GrantFact[]
}

/** The action on one resource. */
export function policyInput(
  origin: StatementOrigin,
  resource: string,
  statement: StatementContext,
): PolicyInput {
  return {
    actor: origin.actor,
    action: DB_QUERY,
    resource,
    context: {
      time: origin.time,
      ip: origin.ip,
      ...(origin.client === undefined ? {} : { client: origin.client }),
      unmask: origin.unmask,
      statement,
    },
    facts: { grants: origin.grants },
  }
}

/**
 * The grant facts that might let this action through, read as the globs they are (conservatively:
 * by the literal text before their first wildcard). A statement such a grant could cover runs
 * on a grant, so its decision is written to the audit log before it runs.
 */
export function grantsThatMayCover(grants: readonly GrantFact[], resource: string): readonly GrantFact[] {
  return grants.filter(
    (g) => DB_QUERY.startsWith(literalPrefix(g.verb)) && resource.startsWith(literalPrefix(g.resource)),
  )
}

function literalPrefix(glob: string): string {
  let prefix = ''
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i] as string
    if (c === '\\') {
      prefix += glob[i + 1] ?? ''
      i++
    } else if ('*?{'.includes(c)) return prefix
    else prefix += c
  }
  return prefix
}

function unique(values: readonly string[]): readonly string[] {
  return values.length < 2 ? values : [...new Set(values)]
}
