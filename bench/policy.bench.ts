// `npm run bench -- policy`: jitgate's policy engine against Cedar (wasm) on the
// same ~1,000-rule policy set and the same 100,000 generated requests.
// Options: --decisions N (default 100000), --cedar-seconds S (default 30).
import * as cedar from '@cedar-policy/cedar-wasm/nodejs'
import type { PolicyInput } from '../src/policy/decision-types.ts'
import { compilePolicySet } from '../src/policy/policy-compiler.ts'
import type { PolicySet } from '../src/policy/policy-set.ts'
import { type CedarPolicySet, cedarEffect, toCedarPolicies, toCedarRequest } from './policy/cedar-render.ts'
import { makeInputs } from './policy/inputs.ts'
import { type Summary, summarize, timeEach } from './policy/measure.ts'
import { Prng } from './policy/prng.ts'
import { distribution, ENGINE_HEADER, engineRow, fmt, table } from './policy/report.ts'
import { makeRules } from './policy/rules.ts'
import { makeWorld } from './policy/world.ts'
import { toPolicyFiles } from './policy/yaml-render.ts'

const SEED = 20260105
const CEDAR_SET_ID = 'jitgate-bench'
const CEDAR_MIN_DECISIONS = 10_000
const WARMUP = 10_000

interface Options {
  readonly decisions: number
  readonly cedarSeconds: number
}

function parseArgs(args: readonly string[]): Options {
  const value = (flag: string, fallback: number): number => {
    const at = args.indexOf(flag)
    if (at < 0) return fallback
    const n = Number(args[at + 1])
    if (!Number.isFinite(n) || n <= 0) throw new Error(`${flag} needs a positive number`)
    return n
  }
  return { decisions: Math.floor(value('--decisions', 100_000)), cedarSeconds: value('--cedar-seconds', 30) }
}

function ms(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e6
}

function compileJitgate(files: ReturnType<typeof toPolicyFiles>): { set: PolicySet; ms: number } {
  const start = process.hrtime.bigint()
  const result = compilePolicySet(files)
  if (!result.ok) {
    for (const e of result.errors.slice(0, 20)) console.error(JSON.stringify(e))
    throw new Error(`the generated policy set does not compile (${result.errors.length} problems)`)
  }
  return { set: result.set, ms: ms(start) }
}

function compileCedar(set: CedarPolicySet): number {
  const start = process.hrtime.bigint()
  const answer = cedar.preparsePolicySet(CEDAR_SET_ID, { staticPolicies: set.policies })
  if (answer.type !== 'success')
    throw new Error(`Cedar rejects the policies: ${answer.errors.map((e) => e.message).join('; ')}`)
  return ms(start)
}

/** jitgate's answer, with a condition error kept apart: it would mean a broken generated rule. */
function jitgateEffect(set: PolicySet, input: PolicyInput): string {
  const d = set.evaluate(input)
  return d.reason.code === 'condition_error' || d.reason.code === 'invalid_input'
    ? `error:${d.reason.code}`
    : d.effect
}

/** What decided, for the outcome mix: a rule of each effect, or nothing matching. */
function outcomes(set: PolicySet, inputs: readonly PolicyInput[]): string[] {
  return inputs.map((input) => {
    const d = set.evaluate(input)
    return d.reason.code === 'rule_matched' ? d.effect : `${d.effect} (${d.reason.code})`
  })
}

function disagreements(
  inputs: readonly PolicyInput[],
  jit: readonly string[],
  ced: readonly string[],
  set: PolicySet,
  effects: CedarPolicySet['effects'],
): string[] {
  const lines: string[] = []
  for (let i = 0; i < ced.length && lines.length < 3; i++) {
    if (jit[i] === ced[i]) continue
    const d = set.evaluate(inputs[i] as PolicyInput)
    const answer = cedar.statefulIsAuthorized(toCedarRequest(inputs[i] as PolicyInput, CEDAR_SET_ID))
    const reasons = answer.type === 'success' ? answer.response.diagnostics : answer.errors
    lines.push(
      `  #${i}: jitgate ${jit[i]} (${d.rules.map((r) => r.name).join(', ')}: ${d.reason.message}), cedar ${cedarEffect(answer, effects)} ${JSON.stringify(reasons)}\n    ${JSON.stringify(inputs[i])}`,
    )
  }
  return lines
}

export async function run(args: string[]): Promise<void> {
  const options = parseArgs(args)
  const world = makeWorld(new Prng(SEED))
  const rules = makeRules(world)
  const files = toPolicyFiles(world, rules)
  const jitgate = compileJitgate(files)
  const cedarSet = toCedarPolicies(rules, world.groups)
  const cedarCompileMs = compileCedar(cedarSet)
  const inputs = makeInputs(world, new Prng(SEED + 1), options.decisions)
  const warmup = makeInputs(world, new Prng(SEED + 2), WARMUP)
  const requests = inputs.map((input) => toCedarRequest(input, CEDAR_SET_ID))
  console.log(
    `policy: ${rules.length} rules in ${files.length} files (${fmt(files.reduce((n, f) => n + f.text.length, 0) / 1024, 0)} KiB of YAML); ${fmt(inputs.length, 0)} inputs`,
  )
  console.log(`compile: jitgate ${fmt(jitgate.ms)} ms, cedar preparse ${fmt(cedarCompileMs)} ms`)

  // Warm both up on other inputs of the same mix: JIT tiers and jitgate's caches
  // reach a steady state without having seen the timed inputs themselves.
  for (const input of warmup) jitgateEffect(jitgate.set, input)
  // Cedar's cost is flat per call (see cedar-render.ts), so a short warm-up does.
  for (const input of warmup.slice(0, 500))
    cedarEffect(cedar.statefulIsAuthorized(toCedarRequest(input, CEDAR_SET_ID)), cedarSet.effects)

  const jit: string[] = []
  const jitSummary = summarize(timeEach(inputs, (input) => jitgateEffect(jitgate.set, input), jit))
  const ced: string[] = []
  const cedSummary = summarize(
    timeEach(requests, (request) => cedarEffect(cedar.statefulIsAuthorized(request), cedarSet.effects), ced, {
      budgetMs: options.cedarSeconds * 1000,
      minCount: Math.min(CEDAR_MIN_DECISIONS, requests.length),
    }),
  )
  const examples = disagreements(inputs, jit, ced, jitgate.set, cedarSet.effects)
  report(rules.length, jitSummary, cedSummary, outcomes(jitgate.set, inputs), ced, jit, examples)
}

function report(
  rules: number,
  jitSummary: Summary,
  cedSummary: Summary,
  mix: readonly string[],
  ced: readonly string[],
  jit: readonly string[],
  examples: readonly string[],
): void {
  let agree = 0
  for (let i = 0; i < ced.length; i++) if (jit[i] === ced[i]) agree++
  const agreement = agree / ced.length
  const ratio = jitSummary.perSecond / cedSummary.perSecond
  console.log('')
  console.log(table(ENGINE_HEADER, [engineRow('jitgate', jitSummary), engineRow('cedar-wasm', cedSummary)]))
  console.log('')
  console.log(`outcomes (jitgate): ${distribution(mix)}`)
  console.log(
    `agreement on effect (deny / require_approval / allow), first ${fmt(ced.length, 0)} inputs: ${fmt(agreement * 100, 2)}%`,
  )
  for (const line of examples) console.log(line)
  console.log(`jitgate / cedar throughput: ${fmt(ratio, 2)}x`)
  console.log(
    'note: cedar-wasm copies its whole preparsed policy set on every call; native Cedar would be faster',
  )
  const round = (n: number, d = 2) => Number(n.toFixed(d))
  console.log(
    JSON.stringify({
      bench: 'policy',
      rules,
      decisions: jitSummary.count,
      jitgate_decisions_per_s: Math.round(jitSummary.perSecond),
      p50_us: round(jitSummary.p50Us),
      p99_us: round(jitSummary.p99Us),
      cedar_decisions_per_s: Math.round(cedSummary.perSecond),
      cedar_decisions: cedSummary.count,
      cedar_p50_us: round(cedSummary.p50Us),
      cedar_p99_us: round(cedSummary.p99Us),
      ratio: round(ratio, 3),
      agreement: round(agreement, 4),
    }),
  )
}
