// The same rules in Cedar, and jitgate inputs as Cedar requests.
//
// Mapping. Cedar knows only permit and forbid, with "any forbid wins, else any
// permit allows, else deny". jitgate's deny rules become forbid, its allow rules
// permit. Its require_approval rules also become permit, annotated
// @jitgate_effect("require_approval"): an allow whose determining policies
// (diagnostics.reason) include one of them reads as require_approval. That is
// jitgate's own order (deny > require_approval > allow > nothing-matched deny),
// with the same number of policies and the same conditions. Verb globs become
// action lists (Cedar has no action wildcards), resource globs `like` patterns
// over a `path` attribute of the resource entity (`{a,b}` expanded into an
// `||`), and the actor an entity with its groups, roles and attributes.
// What Cedar does not do is jitgate's extra work on a match: auto-approve
// conditions and merging obligations (masking, limits, approval steps).
//
// Cost note: cedar-wasm 4.13's statefulIsAuthorized clones the whole preparsed
// PolicySet on every call (cedar-policy/src/ffi/is_authorized.rs), so each call
// costs ~1.6 µs per policy even when no scope matches. The figures measure the
// wasm binding as shipped, not Cedar's native Rust evaluator.
import type {
  AuthorizationAnswer,
  CedarValueJson,
  StatefulAuthorizationCall,
} from '@cedar-policy/cedar-wasm/nodejs'
import type { PolicyInput } from '../../src/policy/decision-types.ts'
import { compileGlob } from '../../src/policy/glob.ts'
import { toCedar, toCedarLike } from './conditions.ts'
import type { BenchEffect, BenchRule } from './rule-types.ts'
import { KNOWN_VERBS, type PolicyGroup } from './world.ts'

export interface CedarPolicySet {
  /** Policy id (the rule name) → Cedar text. */
  readonly policies: Record<string, string>
  readonly effects: ReadonlyMap<string, BenchEffect>
}

const q = (s: string): string => JSON.stringify(s)

/** `a.{b,c}` → [`a.b`, `a.c`] (one level, as jitgate's globs allow). */
export function expandBraces(glob: string): string[] {
  const open = glob.indexOf('{')
  if (open < 0) return [glob]
  const close = glob.indexOf('}', open)
  const head = glob.slice(0, open)
  const tail = glob.slice(close + 1)
  return glob
    .slice(open + 1, close)
    .split(',')
    .flatMap((alt) => expandBraces(`${head}${alt}${tail}`))
}

const isLiteral = (glob: string): boolean => !/[*?{\\]/.test(glob)

function actionScope(verbs: readonly string[]): string {
  if (verbs.includes('**')) return 'action'
  const matched = KNOWN_VERBS.filter((v) => verbs.some((g) => compileGlob(g, '.').test(v)))
  if (matched.length === 0) throw new Error(`verbs ${verbs.join(', ')} match no known verb`)
  if (matched.length === 1) return `action == Action::${q(matched[0] ?? '')}`
  return `action in [${matched.map((v) => `Action::${q(v)}`).join(', ')}]`
}

/** The resource part: a scope when it is one literal, else a condition. */
function resourceParts(resources: readonly string[] | undefined): { scope: string; test?: string } {
  if (resources === undefined) return { scope: 'resource' }
  const only = resources[0]
  if (resources.length === 1 && only !== undefined && isLiteral(only))
    return { scope: `resource == Resource::${q(only)}` }
  const tests = resources
    .flatMap(expandBraces)
    .map((g) => (isLiteral(g) ? `resource == Resource::${q(g)}` : `resource.path like ${q(toCedarLike(g))}`))
  return { scope: 'resource', test: tests.length === 1 ? tests[0] : `(${tests.join(' || ')})` }
}

function policyText(rule: BenchRule, groups: ReadonlyMap<string, PolicyGroup>): string {
  const { scope, test } = resourceParts(rule.resources)
  // The resource test goes first, as in jitgate's index: a rule for another resource costs no more.
  const conds = [...(test === undefined ? [] : [test]), ...rule.when.map((c) => toCedar(c, groups))]
  const kind = rule.effect === 'deny' ? 'forbid' : 'permit'
  const when = conds.length === 0 ? '' : `\nwhen { ${conds.join(' && ')} }`
  return `@jitgate_effect(${q(rule.effect)})\n${kind} (principal, ${actionScope(rule.verbs)}, ${scope})${when};`
}

export function toCedarPolicies(
  rules: readonly BenchRule[],
  groups: ReadonlyMap<string, PolicyGroup>,
): CedarPolicySet {
  const policies: Record<string, string> = {}
  const effects = new Map<string, BenchEffect>()
  for (const rule of rules) {
    policies[rule.name] = policyText(rule, groups)
    effects.set(rule.name, rule.effect)
  }
  return { policies, effects }
}

/** A jitgate input as a Cedar request: time and ip as extension values, which Cedar parses per request as jitgate does. */
export function toCedarRequest(input: PolicyInput, policySetId: string): StatefulAuthorizationCall {
  const { time, ip, ...rest } = (input.context ?? {}) as Record<string, unknown>
  const principal = { type: 'User', id: input.actor.id }
  const resource = { type: 'Resource', id: input.resource }
  const attrs: Record<string, CedarValueJson> = {
    groups: [...(input.actor.groups ?? [])],
    roles: [...(input.actor.roles ?? [])],
    ...(input.actor.attributes as Record<string, CedarValueJson>),
  }
  const context = {
    ...(rest as Record<string, CedarValueJson>),
    purpose: input.purpose ?? '',
    time: { __extn: { fn: 'datetime', arg: String(time) } },
    ip: { __extn: { fn: 'ip', arg: String(ip) } },
  }
  return {
    preparsedPolicySetId: policySetId,
    principal,
    action: { type: 'Action', id: input.action },
    resource,
    context,
    entities: [
      { uid: principal, attrs, parents: [] },
      { uid: resource, attrs: { path: input.resource }, parents: [] },
    ],
  }
}

/** Cedar's answer in jitgate's terms; throws on a failed call, which would make the timing meaningless. */
export function cedarEffect(
  answer: AuthorizationAnswer,
  effects: ReadonlyMap<string, BenchEffect>,
): BenchEffect {
  if (answer.type !== 'success')
    throw new Error(`Cedar call failed: ${answer.errors.map((e) => e.message).join('; ')}`)
  const { decision, diagnostics } = answer.response
  if (decision === 'deny') return 'deny'
  return diagnostics.reason.some((id) => effects.get(id) === 'require_approval')
    ? 'require_approval'
    : 'allow'
}
