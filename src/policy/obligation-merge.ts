// Combines the obligations of every rule that matched at the deciding effect.
// Where rules disagree the stricter one wins: the least revealing transform per
// field, the smallest limit, the shortest time, any `true` of a requirement, and
// every approval step of every rule.
import type { StaticApproval, StaticObligations } from './compiled-policy.ts'
import type {
  ApprovalObligation,
  ApprovalStep,
  ConsentObligation,
  FieldTransform,
  Obligations,
} from './decision-types.ts'
import { REVEALS } from './transform-compiler.ts'

/** One matched rule's contribution, with its CEL-valued parts already evaluated. */
export interface RuleObligations {
  readonly rule: string
  readonly obligations: StaticObligations
  readonly approval?: { readonly spec: StaticApproval; readonly autoApproved: boolean }
  readonly consent?: ConsentObligation
}

const min = (a: number | undefined, b: number | undefined): number | undefined =>
  a === undefined ? b : b === undefined ? a : Math.min(a, b)

const KEEP: FieldTransform = { transform: 'keep', params: {} }

/** The transform a mask gives a key: its own entry, else its classification's (for a field), else the default. */
function effective(
  mask: Readonly<Record<string, FieldTransform>>,
  key: string,
  fieldClasses: ReadonlyMap<string, string>,
): FieldTransform {
  const own = mask[key]
  if (own !== undefined) return own
  const cls = fieldClasses.get(key)
  return (cls === undefined ? undefined : mask[cls]) ?? mask['*'] ?? KEEP
}

/** Characters a partial mask shows; the `keep:` forms (email domain, card last 4) are not compared. */
const shown = (t: FieldTransform): number | undefined =>
  t.params.keep === undefined ? Number(t.params.keep_first ?? 0) + Number(t.params.keep_last ?? 0) : undefined

function stricter(a: FieldTransform, b: FieldTransform): FieldTransform {
  if (REVEALS[b.transform] !== REVEALS[a.transform])
    return REVEALS[b.transform] < REVEALS[a.transform] ? b : a
  if (a.transform === 'partial' && b.transform === 'partial') {
    const [sa, sb] = [shown(a), shown(b)]
    if (sa !== undefined && sb !== undefined && sb < sa) return b
  }
  return a
}

/**
 * Merges masks so that every field ends up with the least revealing transform any
 * of them gives it, however each mask names the field: by table.column, by its
 * classification, or through its default (`*`).
 */
export function mergeMasks(
  masks: readonly Readonly<Record<string, FieldTransform>>[],
  fieldClasses: ReadonlyMap<string, string>,
): Record<string, FieldTransform> {
  if (masks.length === 1) return { ...masks[0] }
  const keys = new Set(masks.flatMap((m) => Object.keys(m)))
  const merged: Record<string, FieldTransform> = {}
  for (const key of keys) {
    merged[key] = masks.map((m) => effective(m, key, fieldClasses)).reduce(stricter)
  }
  return merged
}

function mergeApprovals(
  parts: readonly NonNullable<RuleObligations['approval']>[],
): ApprovalObligation | undefined {
  const first = parts[0]
  if (first === undefined) return undefined
  const steps: ApprovalStep[] = []
  const seenSteps = new Set<string>()
  let timeout = first.spec.timeoutSeconds
  let escalation = first.spec.escalation
  let grant = first.spec.grant
  for (const { spec } of parts) {
    for (const step of spec.steps) {
      // Two rules asking for the same step (same approvers, same quorum) ask once.
      const key = `${[...step.anyOf].sort().join(',')}#${step.quorum}`
      if (seenSteps.has(key)) continue
      seenSteps.add(key)
      steps.push(step)
    }
    timeout = Math.min(timeout, spec.timeoutSeconds)
    if (
      spec.escalation !== undefined &&
      (escalation === undefined || spec.escalation.afterSeconds < escalation.afterSeconds)
    )
      escalation = spec.escalation
    if (spec.grant.mode === 'single_use') grant = spec.grant
    else if (grant.mode === 'window') {
      grant = {
        mode: 'window',
        maxSeconds: Math.min(grant.maxSeconds, spec.grant.maxSeconds),
        defaultSeconds: Math.min(grant.defaultSeconds, spec.grant.defaultSeconds),
      }
    }
  }
  // An escalation that would come after the (merged, shortest) timeout never happens.
  if (escalation !== undefined && escalation.afterSeconds >= timeout) escalation = undefined
  return {
    steps,
    separationOfDuties: parts.some((p) => p.spec.separationOfDuties),
    timeoutSeconds: timeout,
    ...(escalation === undefined ? {} : { escalation }),
    reasonRequired: parts.some((p) => p.spec.reasonRequired),
    stepUp: parts.some((p) => p.spec.stepUp),
    grant,
    autoApprove: parts.every((p) => p.autoApproved),
  }
}

export function mergeObligations(
  parts: readonly RuleObligations[],
  fieldClasses: ReadonlyMap<string, string>,
): Obligations {
  const masks: Readonly<Record<string, FieldTransform>>[] = []
  let rowLimit: number | undefined
  let maxTtl: number | undefined
  let statementTimeout: number | undefined
  let stepUp = false
  let reasonRequired = false
  const rateLimits: NonNullable<Obligations['rateLimits']>[number][] = []
  const concurrencyLimits: NonNullable<Obligations['concurrencyLimits']>[number][] = []
  const consent: ConsentObligation[] = []
  for (const part of parts) {
    const o = part.obligations
    if (o.mask !== undefined) masks.push(o.mask)
    rowLimit = min(rowLimit, o.rowLimit)
    maxTtl = min(maxTtl, o.maxTtlSeconds)
    statementTimeout = min(statementTimeout, o.statementTimeoutSeconds)
    stepUp ||= o.stepUp === true
    reasonRequired ||= o.reasonRequired === true
    for (const r of o.rateLimits ?? []) rateLimits.push({ rule: part.rule, ...r })
    if (o.concurrency !== undefined) concurrencyLimits.push({ rule: part.rule, ...o.concurrency })
    if (
      part.consent !== undefined &&
      !consent.some((c) => c.subject === part.consent?.subject && c.purpose === part.consent.purpose)
    ) {
      consent.push(part.consent)
    }
  }
  const mask = mergeMasks(masks, fieldClasses)
  const approval = mergeApprovals(parts.flatMap((p) => (p.approval === undefined ? [] : [p.approval])))
  return {
    ...(approval === undefined ? {} : { approval }),
    ...(consent.length === 0 ? {} : { consent }),
    ...(Object.keys(mask).length === 0 ? {} : { mask }),
    ...(rowLimit === undefined ? {} : { rowLimit }),
    ...(statementTimeout === undefined ? {} : { statementTimeoutSeconds: statementTimeout }),
    ...(rateLimits.length === 0 ? {} : { rateLimits }),
    ...(concurrencyLimits.length === 0 ? {} : { concurrencyLimits }),
    ...(stepUp ? { stepUp } : {}),
    ...(reasonRequired || approval?.reasonRequired ? { reasonRequired: true } : {}),
    ...(maxTtl === undefined ? {} : { maxTtlSeconds: maxTtl }),
  }
}
