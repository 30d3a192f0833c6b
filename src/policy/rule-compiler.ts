// Compiles one rule: its globs, condition, obligations, approval and consent
// settings, with every reference checked against the rest of the set.

import { parseDuration, suggest } from '../shared/index.ts'
import type { Path, SourceDocument } from '../shared/yaml-source.ts'
import { compileExpression } from './cel-compiler.ts'
import type { CelEnvironment } from './cel-environment.ts'
import {
  type CompiledExpression,
  type CompiledRule,
  EFFECT_RANK,
  type MaskingProfile,
  type StaticApproval,
  type StaticObligations,
} from './compiled-policy.ts'
import { compileGlob, type Glob, GlobSyntaxError } from './glob.ts'
import { resolveMask } from './mask-compiler.ts'
import type { ApprovalDoc, ObligationsDoc, RuleDoc } from './policy-schema.ts'
import type { ProblemList } from './problem-list.ts'

export interface RuleContext {
  readonly cel: CelEnvironment
  readonly groups: ReadonlySet<string>
  readonly profiles: ReadonlyMap<string, MaskingProfile>
  readonly classifications: ReadonlySet<string>
  readonly problems: ProblemList
}

const DEFAULT_APPROVAL_TIMEOUT = 24 * 3600
const DEFAULT_WINDOW = 15 * 60

const asList = (value: string | readonly string[] | undefined): readonly string[] =>
  value === undefined ? [] : typeof value === 'string' ? [value] : value

/** A duration in seconds. One that comes to zero (`0s`) is a mistake, not "unset": it is reported. */
function seconds(
  text: string | undefined,
  doc: SourceDocument,
  path: Path,
  ctx: RuleContext,
): number | undefined {
  if (text === undefined) return undefined
  const value = parseDuration(text)
  if (value === undefined)
    ctx.problems.add(doc, path, `duration '${text}' must be longer than zero`, 'e.g. 90s, 15m, 1h30m, 2d')
  return value
}

function compileGlobs(
  patterns: string | readonly string[] | undefined,
  separator: '.' | '/',
  doc: SourceDocument,
  path: Path,
  ctx: RuleContext,
): Glob[] {
  const list = asList(patterns)
  const globs: Glob[] = []
  list.forEach((pattern, i) => {
    const at = typeof patterns === 'string' ? path : [...path, i]
    try {
      globs.push(compileGlob(pattern, separator))
    } catch (err) {
      const offset = err instanceof GlobSyntaxError ? err.offset : 0
      ctx.problems.addInString(
        doc,
        at,
        offset,
        `bad glob '${pattern}': ${(err as Error).message}`,
        'globs use * (within a segment), ** (across), ? and {a,b}; escape with \\',
      )
    }
  })
  return globs
}

function expression(
  source: string,
  type: 'bool' | 'string',
  doc: SourceDocument,
  path: Path,
  ctx: RuleContext,
): CompiledExpression | undefined {
  const result = compileExpression(ctx.cel, source, type, ctx.groups)
  if (result.ok) return result.expression
  ctx.problems.addInString(doc, path, result.problem.offset, result.problem.message, result.problem.hint)
  return undefined
}

/** Checks `group:NAME` principals against the declared groups; `user:` and `idp:` pass. */
function checkPrincipals(
  principals: readonly string[],
  doc: SourceDocument,
  path: Path,
  ctx: RuleContext,
): void {
  principals.forEach((p, i) => {
    if (!p.startsWith('group:')) return
    const name = p.slice('group:'.length)
    if (ctx.groups.has(name)) return
    const guess = suggest(name, ctx.groups)
    ctx.problems.add(
      doc,
      [...path, i],
      `unknown group '${name}'`,
      guess === undefined
        ? 'declare it in a Groups document, or write idp:NAME for an identity-provider group'
        : `did you mean 'group:${guess}'?`,
    )
  })
}

function compileObligations(
  o: ObligationsDoc | undefined,
  doc: SourceDocument,
  path: Path,
  ctx: RuleContext,
): StaticObligations {
  if (o === undefined) return {}
  const rate = o.rate_limit === undefined ? [] : Array.isArray(o.rate_limit) ? o.rate_limit : [o.rate_limit]
  const maxTtl = seconds(o.max_ttl, doc, [...path, 'max_ttl'], ctx)
  const statementTimeout = seconds(o.statement_timeout, doc, [...path, 'statement_timeout'], ctx)
  const ratePath = (i: number): Path =>
    Array.isArray(o.rate_limit) ? [...path, 'rate_limit', i, 'per'] : [...path, 'rate_limit', 'per']
  return {
    ...(o.mask === undefined ? {} : { mask: resolveMask(o.mask, doc, [...path, 'mask'], ctx) }),
    ...(o.row_limit === undefined ? {} : { rowLimit: o.row_limit }),
    ...(rate.length === 0
      ? {}
      : {
          rateLimits: rate.map((r, i) => ({
            max: r.max,
            perSeconds: seconds(r.per, doc, ratePath(i), ctx) ?? 0,
            scope: r.scope ?? 'actor',
          })),
        }),
    ...(o.concurrency === undefined
      ? {}
      : { concurrency: { max: o.concurrency.max, scope: o.concurrency.scope ?? 'global' } }),
    ...(o.step_up === undefined ? {} : { stepUp: o.step_up }),
    ...(o.reason_required === undefined ? {} : { reasonRequired: o.reason_required }),
    ...(maxTtl === undefined ? {} : { maxTtlSeconds: maxTtl }),
    ...(statementTimeout === undefined ? {} : { statementTimeoutSeconds: statementTimeout }),
  }
}

function compileApproval(a: ApprovalDoc, doc: SourceDocument, path: Path, ctx: RuleContext): StaticApproval {
  for (const [i, step] of a.steps.entries())
    checkPrincipals(step.any_of, doc, [...path, 'steps', i, 'any_of'], ctx)
  if (a.escalate !== undefined) checkPrincipals(a.escalate.to, doc, [...path, 'escalate', 'to'], ctx)
  const timeout = seconds(a.timeout, doc, [...path, 'timeout'], ctx) ?? DEFAULT_APPROVAL_TIMEOUT
  let grant: StaticApproval['grant'] = { mode: 'single_use' }
  if (a.grant?.mode === 'window') {
    // Either bound alone sets the other: a lone default is also the longest window, a lone max
    // gets the usual 15 minutes (or less) by default.
    const maxGiven = seconds(a.grant.max, doc, [...path, 'grant', 'max'], ctx)
    const defGiven = seconds(a.grant.default, doc, [...path, 'grant', 'default'], ctx)
    const max = maxGiven ?? defGiven ?? DEFAULT_WINDOW
    const def = defGiven ?? Math.min(DEFAULT_WINDOW, max)
    if (def > max)
      ctx.problems.add(
        doc,
        [...path, 'grant', 'default'],
        `default window ${a.grant.default} is longer than max ${a.grant.max ?? '15m'}`,
        'make default at most max',
      )
    grant = { mode: 'window', maxSeconds: max, defaultSeconds: def }
  } else if (a.grant !== undefined && (a.grant.max !== undefined || a.grant.default !== undefined)) {
    ctx.problems.add(
      doc,
      [...path, 'grant'],
      'a single_use grant takes no max or default',
      'use mode: window for a time-boxed grant',
    )
  }
  const escalateAfter = seconds(a.escalate?.after, doc, [...path, 'escalate', 'after'], ctx)
  if (a.escalate !== undefined && (escalateAfter ?? 0) >= timeout) {
    ctx.problems.add(
      doc,
      [...path, 'escalate', 'after'],
      `escalation after ${a.escalate.after} would come after the request times out (${a.timeout ?? '24h'})`,
      'escalate before the timeout',
    )
  }
  const autoApprove =
    a.auto_approve === undefined
      ? undefined
      : expression(a.auto_approve, 'bool', doc, [...path, 'auto_approve'], ctx)
  return {
    steps: a.steps.map((s, i) => ({
      name: s.name ?? `step-${i + 1}`,
      anyOf: s.any_of,
      quorum: s.quorum ?? 1,
    })),
    separationOfDuties: a.separation_of_duties ?? true,
    timeoutSeconds: timeout,
    ...(a.escalate === undefined || escalateAfter === undefined
      ? {}
      : { escalation: { afterSeconds: escalateAfter, to: a.escalate.to } }),
    reasonRequired: a.reason_required ?? false,
    stepUp: a.step_up ?? false,
    grant,
    ...(autoApprove === undefined ? {} : { autoApprove }),
  }
}

/** Compiles rule `index` of a Policy document; problems go to ctx.problems. */
export function compileRule(
  rule: RuleDoc,
  doc: SourceDocument,
  path: Path,
  sequence: number,
  ctx: RuleContext,
): CompiledRule {
  const { line } = doc.locate(path)
  if (rule.effect === 'require_approval' && rule.approval === undefined) {
    ctx.problems.add(
      doc,
      path,
      `rule '${rule.name}' requires approval but says nothing of who approves`,
      'add approval: { steps: [ { any_of: [group:…] } ] }',
    )
  }
  if (rule.effect !== 'require_approval' && rule.approval !== undefined) {
    ctx.problems.add(
      doc,
      [...path, 'approval'],
      `'approval' only applies to rules with effect require_approval (this rule's effect is ${rule.effect})`,
      undefined,
      true,
    )
  }
  if (rule.effect === 'require_consent' && rule.consent === undefined) {
    ctx.problems.add(
      doc,
      path,
      `rule '${rule.name}' requires consent but does not say for which purpose and subject`,
      'add consent: { purpose: …, subject: context.subject }',
    )
  }
  if (rule.effect !== 'require_consent' && rule.consent !== undefined) {
    ctx.problems.add(
      doc,
      [...path, 'consent'],
      `'consent' only applies to rules with effect require_consent (this rule's effect is ${rule.effect})`,
      undefined,
      true,
    )
  }
  if (rule.effect === 'deny' && rule.obligations !== undefined) {
    ctx.problems.add(
      doc,
      [...path, 'obligations'],
      'a deny rule carries no obligations',
      'remove obligations, or change the effect',
      true,
    )
  }
  const when =
    rule.when === undefined ? undefined : expression(rule.when, 'bool', doc, [...path, 'when'], ctx)
  const approval =
    rule.approval === undefined ? undefined : compileApproval(rule.approval, doc, [...path, 'approval'], ctx)
  const subject =
    rule.consent === undefined
      ? undefined
      : expression(rule.consent.subject, 'string', doc, [...path, 'consent', 'subject'], ctx)
  return {
    ref: { name: rule.name, effect: rule.effect, source: { file: doc.file, line } },
    order: EFFECT_RANK[rule.effect] * 1_000_000 + sequence,
    effect: rule.effect,
    verbs: compileGlobs(rule.match.verbs, '.', doc, [...path, 'match', 'verbs'], ctx),
    resources: compileGlobs(rule.match.resources, '/', doc, [...path, 'match', 'resources'], ctx),
    ...(when === undefined ? {} : { when }),
    ...(rule.message === undefined ? {} : { message: rule.message }),
    obligations: compileObligations(rule.obligations, doc, [...path, 'obligations'], ctx),
    ...(approval === undefined ? {} : { approval }),
    ...(rule.consent === undefined || subject === undefined
      ? {}
      : {
          consent: {
            purpose: rule.consent.purpose,
            subject,
            ...(rule.consent.notice === undefined ? {} : { notice: rule.consent.notice }),
          },
        }),
  }
}
